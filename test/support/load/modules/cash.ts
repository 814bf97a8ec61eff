import { between, fen, pick } from '../units';
import type { CheckContext, LoadContext, LoadModule, PlannedCall } from '../driver';

const cents = (rand: () => number, low: number, high: number) => (between(rand, low, high) / 100).toFixed(2);

function deposit(ctx: LoadContext): PlannedCall {
  const trader = pick(ctx.rand, ctx.world.traders);
  return {
    action: 'cash.deposit',
    actorId: ctx.world.operatorId,
    request: {
      method: 'POST', path: `/v1/participants/${trader.id}/deposits`, apiKey: ctx.world.adminKey, idempotencyKey: ctx.unique('key'),
      body: { amount: cents(ctx.rand, 100, 50000), reference: ctx.unique('deposit') },
    },
    expect: [201],
  };
}

function withdraw(ctx: LoadContext): PlannedCall {
  const trader = pick(ctx.rand, ctx.world.traders);
  return {
    action: 'cash.withdraw',
    actorId: trader.id,
    request: {
      method: 'POST', path: `/v1/participants/${trader.id}/withdrawals`, apiKey: trader.apiKey, idempotencyKey: ctx.unique('key'),
      body: { amount: cents(ctx.rand, 1, 5000) },
    },
    expect: [201, 409],
  };
}

/** Cash that moved in and out through the load, in fen: what the conservation check adds to the seeding. */
export function cashMoved(ctx: Pick<CheckContext, 'journal'>): { depositedFen: bigint; withdrawnFen: bigint } {
  const sum = (action: string) => ctx.journal.answered(action, 201).reduce((s, c) => s + fen((c.request.body as any).amount), 0n);
  return { depositedFen: sum('cash.deposit'), withdrawnFen: sum('cash.withdraw') };
}

/** Deposits and withdrawals stored are exactly the acknowledged ones, each once, with the amounts asked. */
async function movementsMatchAnswers({ journal, db, tag }: CheckContext): Promise<string[]> {
  const problems: string[] = [];
  const { rows: deposits } = await db.query(`SELECT id, participant_id, amount::text, reference FROM deposits WHERE reference LIKE $1`, [`${tag}-%`]);
  const { rows: withdrawals } = await db.query(`SELECT id, participant_id, amount::text FROM withdrawals`);
  for (const [action, rows] of [['cash.deposit', deposits], ['cash.withdraw', withdrawals]] as const) {
    const acknowledged = new Map(journal.answered(action, 201).map((c) => [c.answer!.body.refId as string, c]));
    const stored = new Map(rows.map((r: any) => [r.id as string, r]));
    for (const [id, c] of acknowledged) {
      const r = stored.get(id);
      if (!r) problems.push(`${action} ${id} was acknowledged 201 but is not stored`);
      else if (fen(r.amount) !== fen((c.request.body as any).amount) || !c.request.path.includes(r.participant_id)) problems.push(`${action} ${id} is stored as ${r.amount} for ${r.participant_id}, asked ${JSON.stringify(c.request.body)} on ${c.request.path}`);
    }
    for (const id of stored.keys()) if (!acknowledged.has(id)) problems.push(`${action} ${id} is stored but no request was acknowledged with it`);
  }
  const { rows: audited } = await db.query(`
    SELECT entity_type, entity_id, count(*) AS n FROM audit_log
     WHERE action IN ('deposit.recorded','withdrawal.requested') GROUP BY entity_type, entity_id HAVING count(*) > 1`);
  for (const r of audited) problems.push(`${r.entity_type} ${r.entity_id} is recorded ${r.n} times in the audit log`);
  const { rows: moved } = await db.query(`
    SELECT ref_type, ref_id, count(DISTINCT movement_id) AS n FROM ledger_postings
     WHERE ref_type IN ('deposit','withdrawal') GROUP BY ref_type, ref_id HAVING count(DISTINCT movement_id) <> 1`);
  for (const r of moved) problems.push(`${r.ref_type} ${r.ref_id} moved cash ${r.n} times in the ledger`);
  return problems;
}

/** Money through the settlement bank: the operator records deposits, participants withdraw. */
export function cashModule(weights: { deposit?: number; withdraw?: number } = {}): LoadModule {
  return {
    name: 'cash',
    actions: [
      { name: 'cash.deposit', weight: weights.deposit ?? 4, plan: deposit },
      { name: 'cash.withdraw', weight: weights.withdraw ?? 4, plan: withdraw },
    ],
    checks: [movementsMatchAnswers],
  };
}
