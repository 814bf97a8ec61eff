import type { Answer, Target } from '../target';
import { between, fen, inParallel, pick } from '../units';
import type { CheckContext, LoadContext, LoadModule, PlannedCall } from '../driver';
import { TRADING_YEAR, type World } from '../world';

interface Deal {
  sellerId: string;
  buyerId: string;
}

const PROPOSED = 'proposedRightTransfers';
const PENDING = 'pendingRightTransfers';
const FINAL = { accept: 'PENDING_APPROVAL', decline: 'DECLINED', cancel: 'CANCELLED', approve: 'SETTLED', reject: 'REJECTED' } as const;
type Verb = keyof typeof FINAL;
const idOf = (path: string) => path.split('/')[3];

/**
 * 取水权交易 under load: each trader holds a ten-year right with no allocation, and
 * transfers parts of it for the years after this one; the buyer accepts (its cash locked)
 * or declines, the seller may cancel, the city's regulator approves or rejects.
 */
export function rightTransfersModule(weights: Partial<Record<'propose' | Verb, number>> = {}): LoadModule {
  const rightOf = new Map<string, string>();

  const propose = (ctx: LoadContext): PlannedCall | null => {
    const seller = pick(ctx.rand, ctx.world.traders);
    const rightId = rightOf.get(seller.id);
    if (!rightId) return null;
    const buyer = pick(ctx.rand, ctx.world.traders.filter((t) => t.id !== seller.id));
    const fromYear = TRADING_YEAR + between(ctx.rand, 1, 3);
    return {
      action: 'rightTransfer.propose',
      actorId: seller.id,
      request: {
        method: 'POST', path: '/v1/right-transfers', apiKey: seller.apiKey, idempotencyKey: ctx.unique('key'),
        body: { rightId, buyerId: buyer.id, volumePerYear: String(between(ctx.rand, 1, 500)), fromYear, toYear: fromYear + between(ctx.rand, 0, 2), price: `0.${between(ctx.rand, 10, 99)}`, note: ctx.unique('rt') },
      },
      // 409 CAP_EXCEEDED once a right's years are spoken for.
      expect: [201, 409],
      onAnswer: (a: Answer) => {
        if (a.status === 201) ctx.pool<Deal>(PROPOSED).set(a.body.id, { sellerId: seller.id, buyerId: buyer.id });
      },
    };
  };

  const act = (verb: Verb) => (ctx: LoadContext): PlannedCall | null => {
    const taken = ctx.take<Deal>(verb === 'approve' || verb === 'reject' ? PENDING : PROPOSED);
    if (!taken) return null;
    const [id, deal] = taken;
    const actor = verb === 'approve' || verb === 'reject' ? ctx.world.regulator : ctx.world.traders.find((t) => t.id === (verb === 'cancel' ? deal.sellerId : deal.buyerId))!;
    return {
      action: `rightTransfer.${verb}`,
      actorId: actor.id,
      request: {
        method: 'POST', path: `/v1/right-transfers/${id}/${verb}`, apiKey: actor.apiKey, idempotencyKey: ctx.unique('key'),
        body: verb === 'reject' ? { reason: 'crash suite' } : verb === 'approve' ? { comment: 'crash suite' } : undefined,
      },
      // 409: the buyer is short of cash (accept), or the deal moved on under another request.
      expect: [200, 409],
      onAnswer: (a: Answer) => {
        if (a.status === 200 && verb === 'accept') ctx.pool<Deal>(PENDING).set(id, deal);
      },
    };
  };

  async function matchAnswers({ journal, db, tag }: CheckContext): Promise<string[]> {
    const problems: string[] = [];
    const { rows } = await db.query(`
      SELECT rt.id, rt.right_id, rt.status, rt.decision, rt.amount::text, rt.accepted_at, rt.new_right_id, h.status AS hold_status, h.remaining::text AS held
        FROM right_transfers rt LEFT JOIN ledger_holds h ON h.id = rt.buyer_hold_id WHERE rt.note LIKE $1`, [`${tag}-%`]);
    const stored = new Map(rows.map((r) => [r.id, r]));
    const proposed = new Set(journal.answered('rightTransfer.propose', 201).map((c) => c.answer!.body.id));
    for (const id of proposed) if (!stored.has(id)) problems.push(`transfer of rights ${id} was acknowledged 201 but is not stored`);
    const acknowledged = new Map<Verb, Set<string>>();
    for (const verb of Object.keys(FINAL) as Verb[]) acknowledged.set(verb, new Set(journal.answered(`rightTransfer.${verb}`, 200).map((c) => idOf(c.request.path))));
    for (const r of rows) {
      const said = (verb: Verb) => acknowledged.get(verb)!.has(r.id);
      if (!proposed.has(r.id)) problems.push(`transfer of rights ${r.id} is stored but no proposal was acknowledged with it`);
      if ((r.accepted_at !== null) !== said('accept')) problems.push(`transfer of rights ${r.id} accepted at ${r.accepted_at} but its accept was ${said('accept') ? '' : 'not '}acknowledged`);
      for (const verb of ['decline', 'cancel', 'approve'] as const) {
        if ((r.status === FINAL[verb]) !== said(verb)) problems.push(`transfer of rights ${r.id} is ${r.status} but ${verb} was ${said(verb) ? '' : 'not '}acknowledged`);
      }
      if ((r.decision === 'REJECTED') !== said('reject')) problems.push(`transfer of rights ${r.id} is ${r.status}/${r.decision} but reject was ${said('reject') ? '' : 'not '}acknowledged`);
      if ((r.status === 'SETTLED') !== (r.new_right_id !== null)) problems.push(`transfer of rights ${r.id} is ${r.status} with new right ${r.new_right_id}`);
      const pending = r.status === 'PENDING_APPROVAL';
      if (pending !== (r.hold_status === 'PENDING') || (pending && fen(r.held) !== fen(r.amount))) {
        problems.push(`transfer of rights ${r.id} is ${r.status} (amount ${r.amount}) but the buyer's lock is ${r.hold_status} with ${r.held}`);
      }
    }
    const { rows: children } = await db.query(`
      SELECT rt.right_id, count(*) FILTER (WHERE rt.status = 'SETTLED') AS settled,
             (SELECT count(*) FROM rights c WHERE c.parent_right_id = rt.right_id) AS created
        FROM right_transfers rt WHERE rt.note LIKE $1 GROUP BY rt.right_id`, [`${tag}-%`]);
    for (const r of children) if (r.settled !== r.created) problems.push(`right ${r.right_id}: ${r.settled} transfers settled but ${r.created} rights created from it`);
    const { rows: twice } = await db.query(`
      SELECT entity_id, count(*) AS n FROM audit_log WHERE action IN ('rightTransfer.settled','rightTransfer.rejected','rightTransfer.expired') GROUP BY entity_id HAVING count(*) > 1`);
    for (const r of twice) problems.push(`transfer of rights ${r.entity_id} was decided ${r.n} times in the audit log`);
    return problems;
  }

  return {
    name: 'rightTransfers',
    setup: async (world: World, target: Target, tag: string) => {
      await inParallel(world.traders, 4, async (trader, i) => {
        const right = await target.must({
          method: 'POST', path: '/v1/rights', apiKey: world.regulator.apiKey,
          body: { holderId: trader.id, regionCode: trader.regionCode, source: 'RECLAIMED', useType: 'INDUSTRY', annualVolume: '100000',
            validFrom: `${TRADING_YEAR}-01-01`, validTo: `${TRADING_YEAR + 9}-12-31`, permitNo: `${tag}-LT-${i}` },
        });
        rightOf.set(trader.id, right.id);
      });
    },
    actions: [
      { name: 'rightTransfer.propose', weight: weights.propose ?? 3, plan: propose },
      { name: 'rightTransfer.accept', weight: weights.accept ?? 2, plan: act('accept') },
      { name: 'rightTransfer.decline', weight: weights.decline ?? 0.5, plan: act('decline') },
      { name: 'rightTransfer.cancel', weight: weights.cancel ?? 0.5, plan: act('cancel') },
      { name: 'rightTransfer.approve', weight: weights.approve ?? 2, plan: act('approve') },
      { name: 'rightTransfer.reject', weight: weights.reject ?? 1, plan: act('reject') },
    ],
    checks: [matchAnswers],
    resync: async (load, { db, tag }) => {
      for (const [pool, status] of [[PROPOSED, 'PROPOSED'], [PENDING, 'PENDING_APPROVAL']] as const) {
        const { rows } = await db.query(`SELECT id, seller_id, buyer_id FROM right_transfers WHERE note LIKE $1 AND status = $2`, [`${tag}-%`, status]);
        load.refill<Deal>(pool, rows.map((r) => [r.id, { sellerId: r.seller_id, buyerId: r.buyer_id }]));
      }
    },
  };
}
