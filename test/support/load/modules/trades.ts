import type { CheckContext, LoadContext, LoadModule, PlannedCall } from '../driver';
import { PENDING_TRADES } from './orders';

const tradeIdOf = (path: string) => path.split('/')[3];

function decide(verb: 'approve' | 'reject') {
  return (ctx: LoadContext): PlannedCall | null => {
    const taken = ctx.take<true>(PENDING_TRADES);
    if (!taken) return null;
    const { regulator } = ctx.world;
    return {
      action: `trade.${verb}`,
      actorId: regulator.id,
      request: {
        method: 'POST',
        path: `/v1/trades/${taken[0]}/${verb}`,
        apiKey: regulator.apiKey,
        body: verb === 'approve' ? { comment: 'crash suite' } : { reason: 'crash suite' },
        idempotencyKey: ctx.unique('key'),
      },
      // 409: settled at once on creation (auto-approval), or decided by the other verb first.
      expect: [200, 409],
    };
  };
}

/** Regulators' decisions in the database are exactly the acknowledged ones, each taken once. */
async function decisionsMatchAnswers({ journal, db, world }: CheckContext): Promise<string[]> {
  const problems: string[] = [];
  const { rows } = await db.query(`SELECT id, status, decision FROM trades WHERE decided_by = $1`, [world.regulator.id]);
  for (const [verb, decision, status] of [['approve', 'APPROVED', 'SETTLED'], ['reject', 'REJECTED', 'REJECTED']] as const) {
    const acknowledged = new Set(journal.answered(`trade.${verb}`, 200).map((c) => tradeIdOf(c.request.path)));
    const decided = new Set(rows.filter((r) => r.decision === decision).map((r) => r.id));
    for (const id of acknowledged) if (!decided.has(id)) problems.push(`trade ${id}: ${verb} was acknowledged but the trade is not ${status}/${decision}`);
    for (const id of decided) if (!acknowledged.has(id)) problems.push(`trade ${id} is ${decision} by the regulator but no ${verb} was acknowledged`);
  }
  const { rows: twice } = await db.query(`
    SELECT entity_id, count(*) AS n FROM audit_log
     WHERE entity_type = 'trade' AND action IN ('trade.settled','trade.rejected','trade.expired') GROUP BY entity_id HAVING count(*) > 1`);
  for (const r of twice) problems.push(`trade ${r.entity_id} was decided ${r.n} times in the audit log`);
  const { rows: moved } = await db.query(`
    SELECT t.id, t.status, count(q.trade_id) AS n FROM trades t LEFT JOIN quota_transfers q ON q.trade_id = t.id
     GROUP BY t.id HAVING count(q.trade_id) <> CASE WHEN t.status = 'SETTLED' THEN 1 ELSE 0 END`);
  for (const r of moved) problems.push(`trade ${r.id} is ${r.status} with ${r.n} quota transfers recorded`);
  return problems;
}

/** Escrow follows the trade: pending trades hold the seller's whole volume, decided ones hold nothing. */
async function escrowFollowsTrades({ db }: CheckContext): Promise<string[]> {
  const { rows } = await db.query(`
    SELECT t.id, t.status, s.status AS seller_hold, s.remaining::text AS seller_left, t.volume::text, b.status AS buyer_hold
      FROM trades t JOIN ledger_holds s ON s.id = t.seller_hold_id LEFT JOIN ledger_holds b ON b.id = t.buyer_hold_id
     WHERE (t.status = 'PENDING_APPROVAL' AND (s.status <> 'PENDING' OR s.remaining <> t.volume OR b.status IS DISTINCT FROM 'PENDING' AND t.buyer_hold_id IS NOT NULL))
        OR (t.status <> 'PENDING_APPROVAL' AND (s.status = 'PENDING' OR b.status = 'PENDING'))`);
  return rows.map((r) => `trade ${r.id} is ${r.status} but its escrow is seller ${r.seller_hold} (${r.seller_left} of ${r.volume}), buyer ${r.buyer_hold}`);
}

/** 审批: the city's regulator approves and rejects trades while orders keep coming. */
export function tradesModule(weights: { approve?: number; reject?: number } = {}): LoadModule {
  return {
    name: 'trades',
    actions: [
      { name: 'trade.approve', weight: weights.approve ?? 8, plan: decide('approve') },
      { name: 'trade.reject', weight: weights.reject ?? 4, plan: decide('reject') },
    ],
    checks: [decisionsMatchAnswers, escrowFollowsTrades],
    resync: async (load, { db }) => {
      const { rows } = await db.query(`SELECT id FROM trades WHERE status = 'PENDING_APPROVAL'`);
      load.refill<true>(PENDING_TRADES, rows.map((r) => [r.id, true]));
    },
  };
}
