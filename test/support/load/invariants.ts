import type { Check, CheckContext, LoadModule } from './driver';
import { cashMoved } from './modules/cash';
import { fen, litres } from './units';

const get = (ctx: CheckContext, path: string) => ctx.target.send({ method: 'GET', path, apiKey: ctx.world.adminKey });

export const ledgerVerifies: Check = async (ctx) => {
  const a = await get(ctx, '/v1/ledger/verify');
  return a.status === 200 && a.body.valid ? [] : [`GET /v1/ledger/verify: ${a.status} ${JSON.stringify(a.body).slice(0, 2000)}`];
};

export const auditVerifies: Check = async (ctx) => {
  const a = await get(ctx, '/v1/audit/verify');
  return a.status === 200 && a.body.valid ? [] : [`GET /v1/audit/verify: ${a.status} ${JSON.stringify(a.body)}`];
};

/** What the API shows as the book is the aggregation of the stored open orders, and it does not cross. */
export const booksMatchOpenOrders: Check = async (ctx) => {
  const problems: string[] = [];
  for (const marketId of ctx.world.marketIds) {
    const a = await get(ctx, `/v1/markets/${marketId}/book?depth=500`);
    const { rows } = await ctx.db.query(
      `SELECT side, price::text, sum(volume - filled_volume)::text AS volume, count(*)::int AS orders
         FROM orders WHERE market_id = $1 AND status IN ('OPEN','PARTIALLY_FILLED') GROUP BY side, price`,
      [marketId],
    );
    const level = (side: string, l: any) => `${side} ${Number(l.price).toFixed(4)} ${litres(String(l.volume))} ${l.orders}`;
    const shown = [...a.body.bids.map((l: any) => level('BUY', l)), ...a.body.asks.map((l: any) => level('SELL', l))].sort();
    const stored = rows.map((r) => level(r.side, r)).sort();
    if (JSON.stringify(shown) !== JSON.stringify(stored)) problems.push(`market ${marketId}: the book shows ${JSON.stringify(shown)} but the open orders are ${JSON.stringify(stored)}`);
    const [bid, ask] = [a.body.bids[0], a.body.asks[0]];
    if (bid && ask && Number(bid.price) >= Number(ask.price)) problems.push(`market ${marketId} is crossed: bid ${bid.price} ≥ ask ${ask.price}`);
  }
  return problems;
};

/**
 * Cash to the fen and quota to the litre: participants (with the fees still in the markets'
 * fee books, the operator's) hold what was deposited less what was withdrawn, and what was allocated.
 */
export const conservation: Check = async (ctx) => {
  const problems: string[] = [];
  const { rows } = await ctx.db.query(`SELECT asset, sum(balance)::text AS total FROM ledger_accounts WHERE owner_id IS NOT NULL OR system_name LIKE 'FEES:%' GROUP BY asset`);
  const held = new Map(rows.map((r) => [r.asset, r.total as string]));
  const moved = cashMoved(ctx);
  const cash = ctx.world.depositedFen + moved.depositedFen - moved.withdrawnFen;
  if (fen(held.get('CNY') ?? '0') !== cash) problems.push(`participants hold ${held.get('CNY')} CNY but ${cash} fen came in net`);
  for (const [marketId, allocated] of ctx.world.allocatedLitres) {
    if (litres(held.get(marketId) ?? '0') !== allocated) problems.push(`participants hold ${held.get(marketId)} m³ of ${marketId} but ${allocated} litres were allocated`);
  }
  return problems;
};

const UNSTORED = (status: number) => status === 401 || status === 429 || status >= 500;

/** Each answered key has one stored response, the one the client holds; no key of the run is stored without an answered request. */
export const idempotencyRecords: Check = async (ctx) => {
  const problems: string[] = [];
  const keyed = ctx.journal.calls.filter((c) => c.request.idempotencyKey && c.answer && !UNSTORED(c.answer.status));
  const { rows } = await ctx.db.query(`SELECT participant_id, path, key, status_code FROM idempotency_keys WHERE key LIKE $1`, [`${ctx.tag}-%`]);
  const stored = new Map(rows.map((r) => [`${r.participant_id} ${r.path} ${r.key}`, r.status_code as number]));
  for (const c of keyed) {
    const status = stored.get(`${c.actorId} ${c.request.path} ${c.request.idempotencyKey}`);
    if (status !== c.answer!.status) problems.push(`key ${c.request.idempotencyKey} (${c.action}) was answered ${c.answer!.status} but ${status ?? 'nothing'} is stored`);
  }
  if (rows.length !== keyed.length) problems.push(`${rows.length} keys of this run are stored for ${keyed.length} answered requests`);
  return problems;
};

/** Every request ended in an answer its action expects (no 500, no unexplained 4xx, none left unanswered). */
export const answersExpected: Check = async (ctx) =>
  ctx.journal.unexpected().map((c) => `${c.action} ${c.request.method} ${c.request.path} ${JSON.stringify(c.request.body)} ended ${c.answer ? `${c.answer.status} ${JSON.stringify(c.answer.body)}` : `without an answer after ${c.attempts} attempts`}`);

export const GLOBAL_CHECKS: Check[] = [answersExpected, ledgerVerifies, auditVerifies, booksMatchOpenOrders, conservation, idempotencyRecords];

/** Runs every check and returns all that failed, each named. */
export async function checkAll(ctx: CheckContext, modules: LoadModule[]): Promise<string[]> {
  const problems: string[] = [];
  for (const check of [...GLOBAL_CHECKS, ...modules.flatMap((m) => m.checks)]) {
    for (const p of await check(ctx)) problems.push(`${check.name}: ${p}`);
  }
  return problems;
}
