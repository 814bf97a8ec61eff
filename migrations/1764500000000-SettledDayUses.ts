import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settled trades summed per market, settlement day (Asia/Shanghai) and the two sides' uses,
 * so the regulators' trade report reads totals instead of every settled trade of its
 * markets (decision 0038). The triggers of `settled_days` (decision 0036) now add to both
 * tables: its day first, so any two statements adding to the same day's uses have queued
 * on the day's row before. A participant's use never changes once registered, so a
 * trade's uses are its parties' as it settles. '' stands for no use (a reserve): a key
 * column cannot be null.
 */
export class SettledDayUses1764500000000 implements MigrationInterface {
  name = 'SettledDayUses1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // No CHECK on the sums and no foreign keys, for the reasons settled_days has none.
    await q.query(`
      CREATE TABLE settled_day_uses (
        market_id  text    NOT NULL,
        day        date    NOT NULL,
        seller_use text    NOT NULL,
        buyer_use  text    NOT NULL,
        trades     bigint  NOT NULL,
        volume     numeric NOT NULL,
        amount     numeric NOT NULL,
        PRIMARY KEY (market_id, day, seller_use, buyer_use)
      )`);
    for (const [event, source] of SOURCES) await q.query(triggerFunction(event, source, true));
    await q.query(`
      INSERT INTO settled_day_uses (market_id, day, seller_use, buyer_use, trades, volume, amount)
      SELECT t.market_id, (t.decided_at AT TIME ZONE 'Asia/Shanghai')::date, COALESCE(s.use_type, ''), COALESCE(b.use_type, ''),
             count(*), sum(t.volume), sum(t.amount)
        FROM trades t JOIN participants s ON s.id = t.seller_id JOIN participants b ON b.id = t.buyer_id
       WHERE t.status = 'SETTLED' GROUP BY 1, 2, 3, 4`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [event, source] of SOURCES) await q.query(triggerFunction(event, source, false));
    await q.query('DROP TABLE settled_day_uses');
  }
}

/** The settled trades a statement added (n = 1) and took away (n = -1), per event: a branch may name only the transition tables its trigger has. */
const SOURCES: ReadonlyArray<readonly [string, string]> = [
  ['insert', `SELECT market_id, decided_at, seller_id, buyer_id, 1 AS n, volume, amount FROM new_trades WHERE status = 'SETTLED'`],
  ['update', `SELECT market_id, decided_at, seller_id, buyer_id, 1 AS n, volume, amount FROM new_trades WHERE status = 'SETTLED'
              UNION ALL SELECT market_id, decided_at, seller_id, buyer_id, -1, -volume, -amount FROM old_trades WHERE status = 'SETTLED'`],
  ['delete', `SELECT market_id, decided_at, seller_id, buyer_id, -1 AS n, -volume AS volume, -amount AS amount FROM old_trades WHERE status = 'SETTLED'`],
];

/** The trigger function of `event`: the days, as in 0036, then (with `uses`) the days per uses; rows upserted in key order. */
function triggerFunction(event: string, source: string, uses: boolean): string {
  const perUse = `
          INSERT INTO settled_day_uses AS s (market_id, day, seller_use, buyer_use, trades, volume, amount)
          SELECT d.market_id, (d.decided_at AT TIME ZONE 'Asia/Shanghai')::date, COALESCE(ps.use_type, ''), COALESCE(pb.use_type, ''),
                 sum(d.n), sum(d.volume), sum(d.amount)
            FROM (${source}) d JOIN participants ps ON ps.id = d.seller_id JOIN participants pb ON pb.id = d.buyer_id
           GROUP BY 1, 2, 3, 4 HAVING sum(d.n) <> 0 OR sum(d.volume) <> 0 OR sum(d.amount) <> 0
           ORDER BY 1, 2, 3, 4
          ON CONFLICT (market_id, day, seller_use, buyer_use) DO UPDATE
            SET trades = s.trades + EXCLUDED.trades, volume = s.volume + EXCLUDED.volume, amount = s.amount + EXCLUDED.amount;`;
  return `
        CREATE OR REPLACE FUNCTION settled_days_on_${event}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          INSERT INTO settled_days AS s (market_id, day, trades, volume, amount)
          SELECT market_id, (decided_at AT TIME ZONE 'Asia/Shanghai')::date, sum(n), sum(volume), sum(amount)
            FROM (${source}) d
           GROUP BY 1, 2 HAVING sum(n) <> 0 OR sum(volume) <> 0 OR sum(amount) <> 0
           ORDER BY 1, 2
          ON CONFLICT (market_id, day) DO UPDATE
            SET trades = s.trades + EXCLUDED.trades, volume = s.volume + EXCLUDED.volume, amount = s.amount + EXCLUDED.amount;${uses ? perUse : ''}
          RETURN NULL;
        END $fn$`;
}
