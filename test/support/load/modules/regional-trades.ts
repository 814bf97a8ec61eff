import type { Answer, Target } from '../target';
import { between, fen, pick } from '../units';
import type { CheckContext, LoadContext, LoadModule, PlannedCall } from '../driver';
import { CITY, Party, TRADING_YEAR, type World } from '../world';

interface Announced {
  sellerId: string;
  closesAtMs: number;
}

interface Interest {
  tradeId: string;
  buyerId: string;
}

const ANNOUNCED = 'announcedRegionalTrades';
const PENDING = 'pendingRegionalTrades';
const INTERESTS = 'activeInterests';
/** Counties of 赤峰市 whose governments trade cap: siblings, so any may buy from any other, and the city approves. */
const COUNTIES: [string, string][] = [['150421', '阿鲁科尔沁旗'], ['150422', '巴林左旗'], ['150423', '巴林右旗'], ['150424', '林西县']];
const YEARS = [TRADING_YEAR + 1, TRADING_YEAR + 2];
const CASH = '1000000.00';
const idOf = (path: string) => path.split('/')[3];
const interestIdOf = (path: string) => path.split('/')[5];

/**
 * 区域水权交易 under load: four county governments announce part of their caps for the
 * years ahead, bid sealed interests in each other's, withdraw them; the seller or the
 * close job closes, the seller may withdraw, the city's regulator approves or rejects.
 */
export function regionalTradesModule(weights: Partial<Record<'announce' | 'interest' | 'withdrawInterest' | 'close' | 'withdraw' | 'approve' | 'reject', number>> = {}): LoadModule {
  const governments: Party[] = [];
  const government = (id: string) => governments.find((g) => g.id === id)!;

  const announce = (ctx: LoadContext): PlannedCall | null => {
    if (!governments.length) return null;
    const seller = pick(ctx.rand, governments);
    const closesAtMs = Date.now() + between(ctx.rand, 4_000, 7_000);
    const fromYear = pick(ctx.rand, YEARS);
    return {
      action: 'regionalTrade.announce',
      actorId: seller.id,
      request: {
        method: 'POST', path: '/v1/regional-trades', apiKey: seller.apiKey, idempotencyKey: ctx.unique('key'),
        body: { volumePerYear: String(between(ctx.rand, 100, 5_000)), fromYear, toYear: fromYear + between(ctx.rand, 0, YEARS[1] - fromYear), askingPrice: '0.30', closesAt: new Date(closesAtMs).toISOString(), note: ctx.unique('regional') },
      },
      // 400: an announcement whose first attempts died may reach the service after its notice ran short (checked below).
      expect: [201, 400, 409],
      onAnswer: (a: Answer) => {
        if (a.status === 201) ctx.pool<Announced>(ANNOUNCED).set(a.body.id, { sellerId: seller.id, closesAtMs });
      },
    };
  };

  const peek = (ctx: LoadContext, when: (a: Announced) => boolean): [string, Announced] | null => {
    const found = [...ctx.pool<Announced>(ANNOUNCED)].filter(([, a]) => when(a));
    return found.length ? pick(ctx.rand, found) : null;
  };

  const interest = (ctx: LoadContext): PlannedCall | null => {
    const found = peek(ctx, (a) => a.closesAtMs > Date.now() - 500);
    if (!found) return null;
    const [tradeId, trade] = found;
    const buyer = pick(ctx.rand, governments.filter((g) => g.id !== trade.sellerId));
    return {
      action: 'regionalTrade.interest',
      actorId: buyer.id,
      request: { method: 'POST', path: `/v1/regional-trades/${tradeId}/interests`, apiKey: buyer.apiKey, idempotencyKey: ctx.unique('key'), body: { price: `0.${between(ctx.rand, 30, 60)}` } },
      // 409: one interest per region at a time (DUPLICATE), or too late (INVALID_STATE).
      expect: [201, 409],
      onAnswer: (a: Answer) => {
        if (a.status === 201) ctx.pool<Interest>(INTERESTS).set(a.body.id, { tradeId, buyerId: buyer.id });
      },
    };
  };

  const withdrawInterest = (ctx: LoadContext): PlannedCall | null => {
    const taken = ctx.take<Interest>(INTERESTS);
    if (!taken) return null;
    const [id, i] = taken;
    const buyer = government(i.buyerId);
    return {
      action: 'regionalTrade.withdrawInterest',
      actorId: buyer.id,
      // DELETE carries no Idempotency-Key: a retry after a lost answer meets 409 if the first took effect.
      request: { method: 'DELETE', path: `/v1/regional-trades/${i.tradeId}/interests/${id}`, apiKey: buyer.apiKey },
      expect: [200, 409],
    };
  };

  const sellerAct = (verb: 'close' | 'withdraw') => (ctx: LoadContext): PlannedCall | null => {
    const found = peek(ctx, (a) => (verb === 'close' ? a.closesAtMs < Date.now() : a.closesAtMs > Date.now() + 1_000));
    if (!found) return null;
    const [id, trade] = found;
    ctx.pool<Announced>(ANNOUNCED).delete(id);
    const seller = government(trade.sellerId);
    return {
      action: `regionalTrade.${verb}`,
      actorId: seller.id,
      request: { method: 'POST', path: `/v1/regional-trades/${id}/${verb}`, apiKey: seller.apiKey, idempotencyKey: ctx.unique('key') },
      // 409: the close job got there first, or the notice ended meanwhile.
      expect: [200, 409],
      onAnswer: (a: Answer) => {
        if (a.status === 200 && a.body.status === 'PENDING_APPROVAL') ctx.pool<true>(PENDING).set(id, true);
      },
    };
  };

  const decide = (verb: 'approve' | 'reject') => (ctx: LoadContext): PlannedCall | null => {
    const taken = ctx.take<true>(PENDING);
    if (!taken) return null;
    const { regulator } = ctx.world;
    return {
      action: `regionalTrade.${verb}`,
      actorId: regulator.id,
      request: {
        method: 'POST', path: `/v1/regional-trades/${taken[0]}/${verb}`, apiKey: regulator.apiKey, idempotencyKey: ctx.unique('key'),
        body: verb === 'approve' ? { comment: 'crash suite' } : { reason: 'crash suite' },
      },
      // 409: decided by the other verb first, or a cap check failed on approval.
      expect: [200, 409],
    };
  };

  async function matchAnswers({ journal, db, tag }: CheckContext): Promise<string[]> {
    const problems: string[] = [];
    const { rows: trades } = await db.query(`
      SELECT r.id, r.status, r.decision, r.amount::text, h.status AS escrow_status, h.remaining::text AS escrowed
        FROM regional_trades r LEFT JOIN ledger_holds h ON h.id = r.escrow_hold_id WHERE r.note LIKE $1`, [`${tag}-%`]);
    const stored = new Map(trades.map((r) => [r.id, r]));
    const announced = new Set(journal.answered('regionalTrade.announce', 201).map((c) => c.answer!.body.id));
    for (const id of announced) if (!stored.has(id)) problems.push(`regional trade ${id} was acknowledged 201 but is not stored`);
    for (const c of journal.answered('regionalTrade.announce', 400)) {
      if (c.lostAnswers + c.abandoned === 0) problems.push(`announcement ${c.request.idempotencyKey} was refused 400 on its first attempt: ${JSON.stringify(c.answer!.body)}`);
    }
    const said = (verb: string) => new Set(journal.answered(`regionalTrade.${verb}`, 200).map((c) => idOf(c.request.path)));
    const [closed, withdrawn, approved, rejected] = ['close', 'withdraw', 'approve', 'reject'].map(said);
    for (const r of trades) {
      if (!announced.has(r.id)) problems.push(`regional trade ${r.id} is stored but no announcement was acknowledged with it`);
      if (closed.has(r.id) && ['ANNOUNCED', 'WITHDRAWN'].includes(r.status)) problems.push(`regional trade ${r.id}: close was acknowledged but it is ${r.status}`);
      if ((r.status === 'WITHDRAWN') !== withdrawn.has(r.id)) problems.push(`regional trade ${r.id} is ${r.status} but withdraw was ${withdrawn.has(r.id) ? '' : 'not '}acknowledged`);
      if ((r.status === 'SETTLED') !== approved.has(r.id)) problems.push(`regional trade ${r.id} is ${r.status} but approve was ${approved.has(r.id) ? '' : 'not '}acknowledged`);
      if ((r.decision === 'REJECTED') !== rejected.has(r.id)) problems.push(`regional trade ${r.id} is ${r.status}/${r.decision} but reject was ${rejected.has(r.id) ? '' : 'not '}acknowledged`);
      const pending = r.status === 'PENDING_APPROVAL';
      if (pending !== (r.escrow_status === 'PENDING') || (pending && fen(r.escrowed) !== fen(r.amount))) problems.push(`regional trade ${r.id} is ${r.status} (amount ${r.amount}) but its escrow is ${r.escrow_status} with ${r.escrowed}`);
    }
    const { rows: interests } = await db.query(`
      SELECT i.id, i.status, r.status AS trade_status, h.status AS hold_status
        FROM regional_interests i JOIN regional_trades r ON r.id = i.regional_trade_id LEFT JOIN ledger_holds h ON h.id = i.hold_id WHERE r.note LIKE $1`, [`${tag}-%`]);
    const placed = new Set(journal.answered('regionalTrade.interest', 201).map((c) => c.answer!.body.id));
    const asked = new Set(journal.of('regionalTrade.withdrawInterest').map((c) => interestIdOf(c.request.path)));
    const storedInterests = new Set(interests.map((i) => i.id));
    for (const id of placed) if (!storedInterests.has(id)) problems.push(`interest ${id} was acknowledged 201 but is not stored`);
    for (const i of interests) {
      if (!placed.has(i.id)) problems.push(`interest ${i.id} is stored but no interest was acknowledged with it`);
      if (i.status === 'WITHDRAWN' && !asked.has(i.id)) problems.push(`interest ${i.id} is WITHDRAWN but its region never asked`);
      if (i.status === 'ACTIVE' && (i.trade_status !== 'ANNOUNCED' || i.hold_status !== 'PENDING')) problems.push(`interest ${i.id} is ACTIVE on a ${i.trade_status} trade with its lock ${i.hold_status}`);
      if (['WITHDRAWN', 'LOST', 'CANCELLED'].includes(i.status) && i.hold_status === 'PENDING') problems.push(`interest ${i.id} is ${i.status} but still locks cash`);
    }
    const { rows: twice } = await db.query(`
      SELECT entity_id, count(*) AS n FROM audit_log WHERE action IN ('regionalTrade.closed','regionalTrade.settled','regionalTrade.rejected','regionalTrade.expired','regionalTrade.withdrawn')
       GROUP BY entity_id, action HAVING count(*) > 1`);
    for (const r of twice) problems.push(`regional trade ${r.entity_id} has ${r.n} entries of one decision in the audit log`);
    return problems;
  }

  return {
    name: 'regionalTrades',
    setup: async (world: World, target: Target, tag: string) => {
      const op = (method: 'POST' | 'PUT', path: string, body: unknown) => target.must({ method, path, apiKey: world.adminKey, body });
      for (const [code, name] of COUNTIES) {
        await op('PUT', `/v1/regions/${code}`, { name, parentCode: CITY });
        for (const year of YEARS) await op('PUT', `/v1/regions/${code}/caps/${year}`, { totalCap: '100000000' });
        const p = await op('POST', '/v1/participants', { name: `${name}水利局`, kind: 'REGULATOR', regionCode: code });
        await op('POST', `/v1/participants/${p.id}/deposits`, { amount: CASH, reference: `GOV-${tag}-${code}` });
        governments.push({ id: p.id, apiKey: p.apiKey, regionCode: code });
      }
      // The governments' cash is participants' cash too: the conservation check counts it in.
      world.depositedFen += fen(CASH) * BigInt(COUNTIES.length);
    },
    actions: [
      { name: 'regionalTrade.announce', weight: weights.announce ?? 1, plan: announce },
      { name: 'regionalTrade.interest', weight: weights.interest ?? 3, plan: interest },
      { name: 'regionalTrade.withdrawInterest', weight: weights.withdrawInterest ?? 0.5, plan: withdrawInterest },
      { name: 'regionalTrade.close', weight: weights.close ?? 1, plan: sellerAct('close') },
      { name: 'regionalTrade.withdraw', weight: weights.withdraw ?? 0.3, plan: sellerAct('withdraw') },
      { name: 'regionalTrade.approve', weight: weights.approve ?? 1.5, plan: decide('approve') },
      { name: 'regionalTrade.reject', weight: weights.reject ?? 0.5, plan: decide('reject') },
    ],
    checks: [matchAnswers],
    resync: async (load, { db, tag }) => {
      const { rows: open } = await db.query(`SELECT id, seller_id, closes_at FROM regional_trades WHERE note LIKE $1 AND status = 'ANNOUNCED'`, [`${tag}-%`]);
      load.refill<Announced>(ANNOUNCED, open.map((r) => [r.id, { sellerId: r.seller_id, closesAtMs: new Date(r.closes_at).getTime() }]));
      const { rows: pending } = await db.query(`SELECT id FROM regional_trades WHERE note LIKE $1 AND status = 'PENDING_APPROVAL'`, [`${tag}-%`]);
      load.refill<true>(PENDING, pending.map((r) => [r.id, true]));
      const { rows: active } = await db.query(`SELECT i.id, i.regional_trade_id, i.buyer_id FROM regional_interests i JOIN regional_trades r ON r.id = i.regional_trade_id WHERE r.note LIKE $1 AND i.status = 'ACTIVE'`, [`${tag}-%`]);
      load.refill<Interest>(INTERESTS, active.map((r) => [r.id, { tradeId: r.regional_trade_id, buyerId: r.buyer_id }]));
    },
  };
}
