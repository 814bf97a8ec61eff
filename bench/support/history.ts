/**
 * Bulk history for the growth benchmark, written straight into the tables with
 * generate_series: finished orders, the trades that filled them, their holds, the
 * settlement postings with running balances, the quota transfers, audit entries sealed
 * into the chain, and contract water-saving projects with their readings and statements.
 * What the service reads stays consistent: the ledger and the audit chain verify after
 * every step, and the live state (resting orders, pending trades) is left as it was.
 */
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { sealEntry } from '../../src/core/audit/hash-chain';

export interface HistoryParties {
  marketIds: [string, string];
  traderIds: string[];
  regulatorId: string;
  serviceCompanyId: string;
  waterUserId: string;
}

/** The same UUID in SQL (md5(text)::uuid) and here, so audit entries name the rows they describe. */
export const md5Uuid = (text: string) => createHash('md5').update(text).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

const YEAR_SECONDS = 364 * 86400;
/** Spread over the year before yesterday: none of it counts in the last 24 hours. */
const agoSeconds = (j: number) => 86400 + ((j * 7919) % YEAR_SECONDS);

export async function prepareHistory(db: Client, parties: HistoryParties): Promise<void> {
  await db.query(`CREATE TEMP TABLE bench_traders (idx int PRIMARY KEY, id uuid, cny bigint, qa bigint, qb bigint)`);
  await db.query(
    `INSERT INTO bench_traders
     SELECT t.idx - 1, t.id,
            (SELECT id FROM ledger_accounts WHERE owner_id = t.id AND asset = 'CNY' AND bucket = 'AVAILABLE'),
            (SELECT id FROM ledger_accounts WHERE owner_id = t.id AND asset = $2 AND bucket = 'AVAILABLE'),
            (SELECT id FROM ledger_accounts WHERE owner_id = t.id AND asset = $3 AND bucket = 'AVAILABLE')
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, idx)`,
    [parties.traderIds, ...parties.marketIds],
  );
}

/**
 * Adds pairs [from, to): pair j is a BUY and a SELL order of 2v m³, both FILLED by two
 * trades of v m³ (every tenth pair's trades REJECTED, the rest SETTLED with their postings).
 */
export async function addTradingHistory(db: Client, parties: HistoryParties, from: number, to: number): Promise<void> {
  const T = parties.traderIds.length;
  const p = [from, to, T, parties.marketIds[0], parties.marketIds[1], parties.regulatorId];
  // Pair j: buyer j % T, seller (j + 1) % T, market j % 2, price 0.90–1.10, v 1–50 m³, no fee (the markets charge none).
  const pairs = `
    SELECT j, b.id AS buyer, s.id AS seller, b.cny AS buyer_cny, s.cny AS seller_cny,
           CASE WHEN j % 2 = 0 THEN b.qa ELSE b.qb END AS buyer_q, CASE WHEN j % 2 = 0 THEN s.qa ELSE s.qb END AS seller_q,
           CASE WHEN j % 2 = 0 THEN $4 ELSE $5 END AS market, (0.90 + (j % 21) * 0.01)::numeric AS price, (1 + j % 50)::numeric AS v,
           now() - make_interval(secs => 86400 + (j * 7919) % ${YEAR_SECONDS}) AS at, j % 10 = 9 AS rejected
      FROM generate_series($1::bigint, $2::bigint - 1) j
      JOIN bench_traders b ON b.idx = j % $3 JOIN bench_traders s ON s.idx = (j + 1) % $3`;
  await db.query('BEGIN');
  try {
    const [{ base }] = (await db.query(`SELECT max(order_seq) AS base FROM markets WHERE id IN ($1, $2)`, parties.marketIds)).rows;
    await db.query(
      `INSERT INTO ledger_holds (id, owner_id, asset, amount, remaining, status, ref_type, ref_id, created_at)
       SELECT md5('hb' || j)::uuid, buyer, 'CNY', round(price * v * 2, 2), 0, 'POSTED', 'order', md5('ob' || j)::uuid, at FROM (${pairs}) x
       UNION ALL
       SELECT md5('hs' || j)::uuid, seller, market, v * 2, 0, 'POSTED', 'order', md5('os' || j)::uuid, at FROM (${pairs}) x`,
      p.slice(0, 5),
    );
    await db.query(
      `INSERT INTO orders (id, market_id, participant_id, side, price, volume, filled_volume, status, time_in_force, seq, hold_id, created_at, updated_at)
       SELECT md5('ob' || j)::uuid, market, buyer, 'BUY', price, v * 2, v * 2, 'FILLED', 'GTC', $6 + 2 * (j - $1) + 1, md5('hb' || j)::uuid, at, at FROM (${pairs}) x
       UNION ALL
       SELECT md5('os' || j)::uuid, market, seller, 'SELL', price, v * 2, v * 2, 'FILLED', 'GTC', $6 + 2 * (j - $1) + 2, md5('hs' || j)::uuid, at, at FROM (${pairs}) x`,
      [...p.slice(0, 5), base],
    );
    await db.query(`UPDATE markets SET order_seq = $3::bigint + 2 * ($2::bigint - $1::bigint), book_version = gen_random_uuid() WHERE id IN ($4, $5)`, [from, to, base, ...parties.marketIds]);
    await db.query(
      `INSERT INTO trades (id, market_id, buyer_id, seller_id, buy_order_id, sell_order_id, price, volume, amount, buyer_fee, seller_fee, status, decision,
                           checks, seller_hold_id, buyer_hold_id, seller_region_code, buyer_region_code, created_at, approval_due_at, decided_by, decided_at, reason)
       SELECT md5('t' || j || '.' || k)::uuid, market, buyer, seller, md5('ob' || j)::uuid, md5('os' || j)::uuid, price, v, round(price * v, 2), 0, 0,
              CASE WHEN rejected THEN 'REJECTED' ELSE 'SETTLED' END, CASE WHEN rejected THEN 'REJECTED' ELSE 'APPROVED' END,
              '[]', md5('hs' || j)::uuid, md5('hb' || j)::uuid, '150421', '150421', at, at + interval '20 days', $6::uuid, at + interval '1 hour',
              CASE WHEN rejected THEN 'history' END
         FROM (${pairs}) x CROSS JOIN generate_series(1, 2) k ORDER BY j, k`,
      p,
    );
    await db.query(
      `INSERT INTO quota_transfers (trade_id, year, seller_region_code, buyer_region_code, volume, settled_at)
       SELECT md5('t' || j || '.' || k)::uuid, split_part(market, '-', 3)::int, '150421', '150421', v, at + interval '1 hour'
         FROM (${pairs}) x CROSS JOIN generate_series(1, 2) k WHERE NOT rejected`,
      p.slice(0, 5),
    );
    const [{ seqbase }] = (await db.query(`SELECT COALESCE(max(seq), 0) AS seqbase FROM ledger_postings`)).rows;
    // Settlement of each trade, one movement per asset: quota seller → buyer, cash buyer → seller.
    await db.query(
      `WITH legs AS (
         SELECT j, k, n, account_id, asset, delta, md5('mv' || j || '.' || k || '.' || (n / 2))::uuid AS movement, md5('t' || j || '.' || k)::uuid AS trade, at
           FROM (${pairs}) x CROSS JOIN generate_series(1, 2) k
           CROSS JOIN LATERAL (VALUES (0, seller_q, market, -v), (1, buyer_q, market, v), (2, buyer_cny, 'CNY', -round(price * v, 2)), (3, seller_cny, 'CNY', round(price * v, 2))) l(n, account_id, asset, delta)
          WHERE NOT rejected),
       numbered AS (SELECT *, row_number() OVER (ORDER BY j, k, n) AS ord FROM legs)
       INSERT INTO ledger_postings (seq, id, movement_id, account_id, asset, delta, balance_after, reason, ref_type, ref_id, created_at)
       SELECT $6::bigint + ord, md5('p' || j || '.' || k || '.' || n)::uuid, movement, account_id, x.asset, delta,
              a.balance + sum(delta) OVER (PARTITION BY account_id ORDER BY ord), 'SETTLEMENT', 'trade', trade, at + interval '1 hour'
         FROM numbered x JOIN ledger_accounts a ON a.id = x.account_id ORDER BY ord`,
      [...p.slice(0, 5), seqbase],
    );
    await db.query(
      `UPDATE ledger_accounts a SET balance = a.balance + d.net
         FROM (SELECT account_id, sum(delta) AS net FROM ledger_postings WHERE seq > $1 GROUP BY account_id) d WHERE a.id = d.account_id`,
      [seqbase],
    );
    await db.query(`SELECT setval(pg_get_serial_sequence('ledger_postings', 'seq'), (SELECT max(seq) FROM ledger_postings))`);
    await sealAudit(db, parties, from, to);
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
}

/** One `order.placed` per order and one decision per trade, chained after the head. */
async function sealAudit(db: Client, parties: HistoryParties, from: number, to: number): Promise<void> {
  const [head] = (await db.query('SELECT seq, hash FROM audit_head WHERE id FOR UPDATE')).rows;
  let seq = Number(head.seq);
  let prevHash: string = head.hash;
  const now = Date.now();
  const BATCH = 20000;
  const columns: unknown[][] = Array.from({ length: 11 }, () => []);
  const flush = async () => {
    if (columns[0].length === 0) return;
    await db.query(
      `INSERT INTO audit_log (seq, at, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[], $10::text[], $11::text[])`,
      columns,
    );
    for (const c of columns) c.length = 0;
  };
  const T = parties.traderIds.length;
  for (let j = from; j < to; j++) {
    const at = new Date(now - agoSeconds(j) * 1000).toISOString();
    const [buyer, seller] = [parties.traderIds[j % T], parties.traderIds[(j + 1) % T]];
    const rejected = j % 10 === 9;
    const entries = [
      { actorId: buyer, action: 'order.placed', entityType: 'order', entityId: md5Uuid(`ob${j}`), after: { side: 'BUY', status: 'FILLED' } },
      { actorId: seller, action: 'order.placed', entityType: 'order', entityId: md5Uuid(`os${j}`), after: { side: 'SELL', status: 'FILLED' } },
      ...[1, 2].map((k) => ({
        actorId: parties.regulatorId, action: rejected ? 'trade.rejected' : 'trade.settled', entityType: 'trade', entityId: md5Uuid(`t${j}.${k}`),
        after: { status: rejected ? 'REJECTED' : 'SETTLED' },
      })),
    ];
    for (const e of entries) {
      const sealed = sealEntry({ seq: ++seq, at, actorId: e.actorId, action: e.action, entityType: e.entityType, entityId: e.entityId, before: null, after: e.after, requestId: null, prevHash });
      prevHash = sealed.hash;
      const row = [sealed.seq, sealed.at, sealed.actorId, sealed.action, sealed.entityType, sealed.entityId, null, JSON.stringify(sealed.after), null, sealed.prevHash, sealed.hash];
      row.forEach((v, i) => columns[i].push(v));
    }
    if (columns[0].length >= BATCH) await flush();
  }
  await flush();
  await db.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id', [seq, prevHash]);
}

/**
 * Contract water-saving projects [from, to) of the two parties, each with `periods` daily
 * readings and their statements (project 0 is the one the benchmark reads).
 */
export async function addProjects(db: Client, parties: HistoryParties, from: number, to: number, periods = 100): Promise<void> {
  await db.query(
    `INSERT INTO projects (id, name, model, service_company_id, water_user_id, region_code, source, start_date, end_date, water_price,
                           baseline_method, baseline_volume_per_period, terms, status, created_by)
     SELECT md5('pj' || i)::uuid, 'growth project ' || i, 'BENEFIT_SHARING', $3, $4, '150421', 'SURFACE', '2025-01-01', '2026-12-31', 2.5,
            'FIXED', 1000, '{"serviceShare": "0.7"}', 'ACTIVE', $3
       FROM generate_series($1::int, $2::int - 1) i`,
    [from, to, parties.serviceCompanyId, parties.waterUserId],
  );
  await db.query(
    `INSERT INTO readings (id, project_id, period_start, period_end, volume, created_by)
     SELECT md5('rd' || i || '.' || d)::uuid, md5('pj' || i)::uuid, date '2025-01-01' + d, date '2025-01-01' + d, 900, $3
       FROM generate_series($1::int, $2::int - 1) i CROSS JOIN generate_series(0, $4::int - 1) d ORDER BY i, d`,
    [from, to, parties.waterUserId, periods],
  );
  await db.query(
    `INSERT INTO statements (id, project_id, reading_id, baseline_volume, actual_volume, saved_volume, saved_value,
                             service_company_amount, water_user_amount, shortfall_volume, compensation, status)
     SELECT md5('st' || i || '.' || d)::uuid, md5('pj' || i)::uuid, md5('rd' || i || '.' || d)::uuid, 1000, 900, 100, 250, 175, 75, 0, 0, 'DRAFT'
       FROM generate_series($1::int, $2::int - 1) i CROSS JOIN generate_series(0, $3::int - 1) d ORDER BY i, d`,
    [from, to, periods],
  );
}
