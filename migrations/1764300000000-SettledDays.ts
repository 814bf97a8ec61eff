import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settled trades summed per market and settlement day (Asia/Shanghai), so the public price
 * index reads one row per market and day instead of every settled trade (decision 0036).
 * Triggers on `trades` keep the sums: whatever writes a trade (a settlement, a correction
 * by hand, a bulk load), the days follow in the same transaction. They are statement-level
 * triggers over transition tables, so a statement touching many trades adds to each day
 * once, not once per trade. The day is the exchange's (Asia/Shanghai), written out: a
 * migration does not change with the code.
 */
export class SettledDays1764300000000 implements MigrationInterface {
  name = 'SettledDays1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE settled_days (
        market_id text    NOT NULL,
        day       date    NOT NULL,
        trades    bigint  NOT NULL,
        volume    numeric NOT NULL,
        amount    numeric NOT NULL,
        PRIMARY KEY (market_id, day)
      )`);
    // No foreign key to markets: its check would take KEY SHARE on the market row when a
    // market's day is first written, from a settlement that already holds its accounts,
    // while a placement holding that row FOR UPDATE may wait for those accounts.
    // No CHECK on the sums: PostgreSQL checks an upsert's proposed row before it finds the
    // conflict, and the row a statement proposes for a day it takes trades from is negative.
    // One function per event: a branch may name only the transition tables its trigger has.
    for (const [event, source] of [
      ['insert', `SELECT market_id, decided_at, 1 AS n, volume, amount FROM new_trades WHERE status = 'SETTLED'`],
      ['update', `SELECT market_id, decided_at, 1 AS n, volume, amount FROM new_trades WHERE status = 'SETTLED'
                  UNION ALL SELECT market_id, decided_at, -1, -volume, -amount FROM old_trades WHERE status = 'SETTLED'`],
      ['delete', `SELECT market_id, decided_at, -1 AS n, -volume AS volume, -amount AS amount FROM old_trades WHERE status = 'SETTLED'`],
    ]) {
      // Rows upserted in (market, day) order, so two statements never take the same days in opposite orders.
      await q.query(`
        CREATE FUNCTION settled_days_on_${event}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          INSERT INTO settled_days AS s (market_id, day, trades, volume, amount)
          SELECT market_id, (decided_at AT TIME ZONE 'Asia/Shanghai')::date, sum(n), sum(volume), sum(amount)
            FROM (${source}) d
           GROUP BY 1, 2 HAVING sum(n) <> 0 OR sum(volume) <> 0 OR sum(amount) <> 0
           ORDER BY 1, 2
          ON CONFLICT (market_id, day) DO UPDATE
            SET trades = s.trades + EXCLUDED.trades, volume = s.volume + EXCLUDED.volume, amount = s.amount + EXCLUDED.amount;
          RETURN NULL;
        END $fn$`);
    }
    await q.query(`CREATE TRIGGER settled_days_insert AFTER INSERT ON trades REFERENCING NEW TABLE AS new_trades FOR EACH STATEMENT EXECUTE FUNCTION settled_days_on_insert()`);
    await q.query(`CREATE TRIGGER settled_days_update AFTER UPDATE ON trades REFERENCING OLD TABLE AS old_trades NEW TABLE AS new_trades FOR EACH STATEMENT EXECUTE FUNCTION settled_days_on_update()`);
    await q.query(`CREATE TRIGGER settled_days_delete AFTER DELETE ON trades REFERENCING OLD TABLE AS old_trades FOR EACH STATEMENT EXECUTE FUNCTION settled_days_on_delete()`);
    await q.query(`
      INSERT INTO settled_days (market_id, day, trades, volume, amount)
      SELECT market_id, (decided_at AT TIME ZONE 'Asia/Shanghai')::date, count(*), sum(volume), sum(amount)
        FROM trades WHERE status = 'SETTLED' GROUP BY 1, 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER settled_days_${event} ON trades`);
      await q.query(`DROP FUNCTION settled_days_on_${event}()`);
    }
    await q.query(`DROP TABLE settled_days`);
  }
}
