import type { Answer } from '../target';
import { between, pick } from '../units';
import type { CheckContext, LoadContext, LoadModule, PlannedCall } from '../driver';
import { limitPrice, PENDING_TRADES } from './orders';

interface Proposal {
  sellerId: string;
  buyerId: string;
}

const PROPOSED = 'proposedTransfers';
const transferIdOf = (path: string) => path.split('/')[3];

function propose(ctx: LoadContext): PlannedCall {
  const { traders, marketIds } = ctx.world;
  const seller = pick(ctx.rand, traders);
  const buyer = pick(ctx.rand, traders.filter((t) => t.id !== seller.id));
  return {
    action: 'transfer.propose',
    actorId: seller.id,
    request: {
      method: 'POST', path: '/v1/transfers', apiKey: seller.apiKey, idempotencyKey: ctx.unique('key'),
      body: { marketId: pick(ctx.rand, marketIds), buyerId: buyer.id, volume: String(between(ctx.rand, 1, 20)), price: limitPrice(ctx.rand, 'SELL'), note: ctx.unique('transfer') },
    },
    expect: [201, 409],
    onAnswer: (a: Answer) => {
      if (a.status === 201) ctx.pool<Proposal>(PROPOSED).set(a.body.id, { sellerId: seller.id, buyerId: buyer.id });
    },
  };
}

function answer(verb: 'accept' | 'decline' | 'cancel') {
  return (ctx: LoadContext): PlannedCall | null => {
    const taken = ctx.take<Proposal>(PROPOSED);
    if (!taken) return null;
    const [id, proposal] = taken;
    const actor = ctx.world.traders.find((t) => t.id === (verb === 'cancel' ? proposal.sellerId : proposal.buyerId))!;
    return {
      action: `transfer.${verb}`,
      actorId: actor.id,
      request: { method: 'POST', path: `/v1/transfers/${id}/${verb}`, apiKey: actor.apiKey, idempotencyKey: ctx.unique('key') },
      expect: [200, 409],
      onAnswer: (a: Answer) => {
        if (a.status === 200 && a.body.tradeId) ctx.pool<true>(PENDING_TRADES).set(a.body.tradeId, true);
      },
    };
  };
}

const FINAL = { accept: 'ACCEPTED', decline: 'DECLINED', cancel: 'CANCELLED' } as const;

/** Proposals stored are exactly the acknowledged ones; each acknowledged answer left the transfer as it said. */
async function transfersMatchAnswers({ journal, db, tag }: CheckContext): Promise<string[]> {
  const problems: string[] = [];
  const { rows } = await db.query(`
    SELECT t.id, t.status, t.trade_id, t.note, h.status AS hold_status, h.remaining::text, t.volume::text, tr.transfer_id
      FROM transfers t JOIN ledger_holds h ON h.id = t.hold_id LEFT JOIN trades tr ON tr.id = t.trade_id
     WHERE t.note LIKE $1`, [`${tag}-%`]);
  const stored = new Map(rows.map((r) => [r.id, r]));
  const acknowledged = journal.answered('transfer.propose', 201);
  const acknowledgedIds = new Set(acknowledged.map((c) => c.answer!.body.id));
  for (const id of acknowledgedIds) if (!stored.has(id)) problems.push(`transfer ${id} was acknowledged 201 but is not stored`);
  for (const r of rows) if (!acknowledgedIds.has(r.id)) problems.push(`transfer ${r.id} (${r.note}) is stored but no proposal was acknowledged with it`);
  for (const verb of ['accept', 'decline', 'cancel'] as const) {
    for (const c of journal.answered(`transfer.${verb}`, 200)) {
      const r = stored.get(transferIdOf(c.request.path));
      if (r?.status !== FINAL[verb]) problems.push(`transfer ${transferIdOf(c.request.path)}: ${verb} was acknowledged but it is ${r?.status}`);
    }
  }
  const answeredFinal = new Map<string, string>();
  for (const verb of ['accept', 'decline', 'cancel'] as const) for (const c of journal.answered(`transfer.${verb}`, 200)) answeredFinal.set(transferIdOf(c.request.path), FINAL[verb]);
  for (const r of rows) {
    if (r.status !== 'PROPOSED' && answeredFinal.get(r.id) !== r.status) problems.push(`transfer ${r.id} is ${r.status} but no such answer was acknowledged`);
    if (r.status === 'PROPOSED' && (r.hold_status !== 'PENDING' || r.remaining !== r.volume)) problems.push(`transfer ${r.id} is PROPOSED but its lock is ${r.hold_status} with ${r.remaining} of ${r.volume}`);
    if (r.status !== 'PROPOSED' && r.hold_status === 'PENDING') problems.push(`transfer ${r.id} is ${r.status} but still locks ${r.remaining}`);
    if ((r.status === 'ACCEPTED') !== (r.trade_id !== null) || (r.trade_id && r.transfer_id !== r.id)) problems.push(`transfer ${r.id} is ${r.status} with trade ${r.trade_id}`);
  }
  return problems;
}

/** 协议转让: proposals to a named buyer, accepted, declined or cancelled. */
export function transfersModule(weights: { propose?: number; accept?: number; decline?: number; cancel?: number } = {}): LoadModule {
  return {
    name: 'transfers',
    actions: [
      { name: 'transfer.propose', weight: weights.propose ?? 6, plan: propose },
      { name: 'transfer.accept', weight: weights.accept ?? 3, plan: answer('accept') },
      { name: 'transfer.decline', weight: weights.decline ?? 1.5, plan: answer('decline') },
      { name: 'transfer.cancel', weight: weights.cancel ?? 1.5, plan: answer('cancel') },
    ],
    checks: [transfersMatchAnswers],
    resync: async (load, { db, tag }) => {
      const { rows } = await db.query(`SELECT id, seller_id, buyer_id FROM transfers WHERE note LIKE $1 AND status = 'PROPOSED'`, [`${tag}-%`]);
      load.refill<Proposal>(PROPOSED, rows.map((r) => [r.id, { sellerId: r.seller_id, buyerId: r.buyer_id }]));
    },
  };
}
