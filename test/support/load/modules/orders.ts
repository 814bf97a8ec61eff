import type { Answer } from '../target';
import { between, pick } from '../units';
import type { CheckContext, LoadContext, LoadModule, PlannedCall } from '../driver';

export interface RestingOrder {
  ownerId: string;
  marketId: string;
}

/** Trades the load may decide later; other modules (transfers) add to the same pool. */
export const PENDING_TRADES = 'pendingTrades';
export const RESTING_ORDERS = 'restingOrders';

const TIME_IN_FORCE = ['GTC', 'GTC', 'GTC', 'GTC', 'IOC', 'IOC', 'FOK'] as const;

/** Prices on the 0.01 grid around 1.00 CNY/m³; buyers bid a little under, sellers ask a little over, so about half the orders cross. */
export function limitPrice(rand: () => number, side: 'BUY' | 'SELL'): string {
  const offset = side === 'BUY' ? between(rand, -4, 2) : between(rand, -2, 4);
  return ((100 + offset) / 100).toFixed(2);
}

export function rememberTrades(ctx: LoadContext, trades: any[] | undefined): void {
  for (const t of trades ?? []) if (t.status === 'PENDING_APPROVAL') ctx.pool<true>(PENDING_TRADES).set(t.id, true);
}

function placeOrder(ctx: LoadContext): PlannedCall {
  const trader = pick(ctx.rand, ctx.world.traders);
  const marketId = pick(ctx.rand, ctx.world.marketIds);
  const side = ctx.rand() < 0.5 ? 'BUY' : 'SELL';
  const body = {
    side,
    price: limitPrice(ctx.rand, side),
    volume: String(between(ctx.rand, 1, 30)),
    timeInForce: pick(ctx.rand, TIME_IN_FORCE),
    clientOrderId: ctx.unique('order'),
  };
  return {
    action: 'order.place',
    actorId: trader.id,
    request: { method: 'POST', path: `/v1/markets/${marketId}/orders`, apiKey: trader.apiKey, body, idempotencyKey: ctx.unique('key') },
    // A seller or buyer may run short after many fills and withdrawals: 409 is a fair answer.
    expect: [201, 409],
    onAnswer: (a: Answer) => {
      if (a.status !== 201) return;
      if (a.body.status === 'OPEN' || a.body.status === 'PARTIALLY_FILLED') ctx.pool<RestingOrder>(RESTING_ORDERS).set(a.body.id, { ownerId: trader.id, marketId });
      rememberTrades(ctx, a.body.trades);
    },
  };
}

function cancelOrder(ctx: LoadContext): PlannedCall | null {
  const taken = ctx.take<RestingOrder>(RESTING_ORDERS);
  if (!taken) return null;
  const [orderId, order] = taken;
  const owner = ctx.world.traders.find((t) => t.id === order.ownerId)!;
  return {
    action: 'order.cancel',
    actorId: owner.id,
    // DELETE carries no Idempotency-Key: a retry after a lost answer meets 409 if the first took effect.
    request: { method: 'DELETE', path: `/v1/orders/${orderId}`, apiKey: owner.apiKey },
    expect: [200, 409],
  };
}

const idOf = (path: string) => path.split('/').pop()!;

/** Every acknowledged order is stored once, and nothing else is: set equality by id and by client order id. */
async function ordersMatchAnswers({ journal, db, tag }: CheckContext): Promise<string[]> {
  const problems: string[] = [];
  const { rows } = await db.query(
    `SELECT id, participant_id, side, price::text, volume::text, time_in_force, client_order_id FROM orders WHERE client_order_id LIKE $1`,
    [`${tag}-%`],
  );
  const stored = new Map(rows.map((r) => [r.id, r]));
  const acknowledged = journal.answered('order.place', 201);
  for (const c of acknowledged) {
    const row = stored.get(c.answer!.body.id);
    const body = c.request.body as any;
    if (!row) problems.push(`order ${c.answer!.body.id} (${body.clientOrderId}) was acknowledged 201 but is not stored`);
    else if (row.participant_id !== c.actorId || row.side !== body.side || Number(row.price) !== Number(body.price) || Number(row.volume) !== Number(body.volume) || row.time_in_force !== body.timeInForce || row.client_order_id !== body.clientOrderId) {
      problems.push(`order ${row.id} is stored as ${JSON.stringify(row)} but was requested as ${JSON.stringify(body)}`);
    }
  }
  const acknowledgedIds = new Set(acknowledged.map((c) => c.answer!.body.id));
  for (const row of rows) if (!acknowledgedIds.has(row.id)) problems.push(`order ${row.id} (${row.client_order_id}) is stored but no request was acknowledged with it`);
  const refused = new Set(journal.answered('order.place', 409).map((c) => (c.request.body as any).clientOrderId));
  for (const row of rows) if (refused.has(row.client_order_id)) problems.push(`order ${row.id} is stored though its request was answered 409`);
  const { rows: audited } = await db.query(`SELECT entity_id, count(*) AS n FROM audit_log WHERE action = 'order.placed' GROUP BY entity_id HAVING count(*) > 1`);
  for (const r of audited) problems.push(`order ${r.entity_id} was placed ${r.n} times in the audit log`);
  return problems;
}

/** Each order's fills are its trades, within its volume; each acknowledged trade is stored with its orders. */
async function fillsMatchTrades({ journal, db }: CheckContext): Promise<string[]> {
  const problems: string[] = [];
  const { rows } = await db.query(`
    SELECT o.id, o.volume::text, o.filled_volume::text, COALESCE(t.traded, 0)::text AS traded
      FROM orders o
      LEFT JOIN (SELECT id, sum(volume) AS traded FROM (
                   SELECT buy_order_id AS id, volume FROM trades WHERE buy_order_id IS NOT NULL
                   UNION ALL SELECT sell_order_id, volume FROM trades WHERE sell_order_id IS NOT NULL) x GROUP BY id) t ON t.id = o.id
     WHERE o.filled_volume <> COALESCE(t.traded, 0) OR o.filled_volume > o.volume`);
  for (const r of rows) problems.push(`order ${r.id} has filled ${r.filled_volume} of ${r.volume} but its trades add up to ${r.traded}`);
  const trades = journal.answered('order.place', 201).flatMap((c) => (c.answer!.body.trades as any[]).map((t) => ({ t, order: c.answer!.body.id })));
  const { rows: stored } = await db.query('SELECT id, buy_order_id, sell_order_id FROM trades WHERE id = ANY($1)', [trades.map((x) => x.t.id)]);
  const byId = new Map(stored.map((r) => [r.id, r]));
  for (const { t, order } of trades) {
    const row = byId.get(t.id);
    if (!row) problems.push(`trade ${t.id} was reported in order ${order}'s answer but is not stored`);
    else if (row.buy_order_id !== order && row.sell_order_id !== order) problems.push(`trade ${t.id} does not name order ${order} that reported it`);
  }
  return problems;
}

/** An order's lock lives as long as the order: finished orders hold nothing, resting sells hold exactly their rest. */
async function locksFollowOrders({ db }: CheckContext): Promise<string[]> {
  const { rows } = await db.query(`
    SELECT o.id, o.side, o.status, h.status AS hold_status, h.remaining::text, (o.volume - o.filled_volume)::text AS rest
      FROM orders o JOIN ledger_holds h ON h.id = o.hold_id
     WHERE (o.status IN ('FILLED','CANCELLED') AND h.status = 'PENDING')
        OR (o.side = 'SELL' AND o.status IN ('OPEN','PARTIALLY_FILLED') AND (h.status <> 'PENDING' OR h.remaining <> o.volume - o.filled_volume))`);
  return rows.map((r) => `${r.side} order ${r.id} is ${r.status} but its lock is ${r.hold_status} with ${r.remaining} left (rest ${r.rest})`);
}

/** A user cancellation in the database was asked for; an acknowledged one is there. */
async function cancelsMatchAnswers({ journal, db, tag }: CheckContext): Promise<string[]> {
  const problems: string[] = [];
  const asked = new Set(journal.of('order.cancel').map((c) => idOf(c.request.path)));
  const { rows } = await db.query(`SELECT id, status, cancel_reason FROM orders WHERE client_order_id LIKE $1 AND (cancel_reason = 'USER' OR id = ANY($2))`, [`${tag}-%`, [...asked]]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows) if (r.cancel_reason === 'USER' && !asked.has(r.id)) problems.push(`order ${r.id} was cancelled by its user, who never asked`);
  for (const c of journal.answered('order.cancel', 200)) {
    const r = byId.get(idOf(c.request.path));
    if (!r || r.status !== 'CANCELLED' || r.cancel_reason !== 'USER') problems.push(`cancel of ${idOf(c.request.path)} was acknowledged but the order is ${r?.status}/${r?.cancel_reason}`);
  }
  // A 409 is only fair for an order that had ended, or one whose first attempt took effect before the answer was lost.
  for (const c of journal.answered('order.cancel', 409)) {
    const r = byId.get(idOf(c.request.path));
    if (r?.status !== 'FILLED' && r?.status !== 'CANCELLED') problems.push(`cancel of ${idOf(c.request.path)} was refused but the order is ${r?.status}`);
    else if (r.cancel_reason === 'USER' && c.lostAnswers + c.abandoned === 0 && journal.answered('order.cancel', 200).every((x) => x.request.path !== c.request.path)) {
      problems.push(`order ${r.id} was cancelled by its user though the only request for it was refused`);
    }
  }
  return problems;
}

/** 挂牌交易: limit orders (GTC, IOC, FOK) on both sides of every market, and cancellations. */
export function ordersModule(weights: { place?: number; cancel?: number } = {}): LoadModule {
  return {
    name: 'orders',
    actions: [
      { name: 'order.place', weight: weights.place ?? 50, plan: placeOrder },
      { name: 'order.cancel', weight: weights.cancel ?? 10, plan: cancelOrder },
    ],
    checks: [ordersMatchAnswers, fillsMatchTrades, locksFollowOrders, cancelsMatchAnswers],
    resync: async (load, { db, tag }) => {
      const { rows } = await db.query(`SELECT id, participant_id, market_id FROM orders WHERE client_order_id LIKE $1 AND status IN ('OPEN','PARTIALLY_FILLED')`, [`${tag}-%`]);
      load.refill<RestingOrder>(RESTING_ORDERS, rows.map((r) => [r.id, { ownerId: r.participant_id, marketId: r.market_id }]));
    },
  };
}
