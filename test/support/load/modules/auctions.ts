import type { Answer } from '../target';
import { between, litres, pick } from '../units';
import type { CheckContext, LoadContext, LoadModule, PlannedCall } from '../driver';
import { PENDING_TRADES } from './orders';

interface OpenAuction {
  creatorId: string;
  side: 'BUY' | 'SELL';
  volume: number;
  closesAtMs: number;
}

interface ActiveBid {
  auctionId: string;
  bidderId: string;
}

const OPEN_AUCTIONS = 'openAuctions';
const ACTIVE_BIDS = 'activeBids';
const LIMIT = '0.95';

/** The notice the crash service runs with (MIN_NOTICE_SECONDS), so auctions close during the run. */
export const AUCTION_NOTICE_SECONDS = 1;

const price = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const traderById = (ctx: LoadContext, id: string) => ctx.world.traders.find((t) => t.id === id)!;

function peek(ctx: LoadContext, when: (a: OpenAuction) => boolean): [string, OpenAuction] | null {
  const candidates = [...ctx.pool<OpenAuction>(OPEN_AUCTIONS)].filter(([, a]) => when(a));
  return candidates.length ? pick(ctx.rand, candidates) : null;
}

function create(ctx: LoadContext): PlannedCall {
  const creator = pick(ctx.rand, ctx.world.traders);
  const side = ctx.rand() < 0.6 ? 'SELL' : 'BUY';
  const volume = between(ctx.rand, 10, 60);
  // Long enough that a create retried after a restart is still on notice; short enough to close within the run.
  const closesAtMs = Date.now() + between(ctx.rand, 5_000, 9_000);
  const marketId = pick(ctx.rand, ctx.world.marketIds);
  return {
    action: 'auction.create',
    actorId: creator.id,
    request: {
      method: 'POST', path: '/v1/auctions', apiKey: creator.apiKey, idempotencyKey: ctx.unique('key'),
      body: { marketId, side, volume: String(volume), limitPrice: LIMIT, closesAt: new Date(closesAtMs).toISOString(), note: ctx.unique('auction') },
    },
    // 400: a create whose first attempts died may reach the service after its notice ran short (checked below).
    expect: [201, 400, 409],
    onAnswer: (a: Answer) => {
      if (a.status === 201) ctx.pool<OpenAuction>(OPEN_AUCTIONS).set(a.body.id, { creatorId: creator.id, side, volume, closesAtMs });
    },
  };
}

function bid(ctx: LoadContext): PlannedCall | null {
  const found = peek(ctx, (a) => a.closesAtMs > Date.now() - 500);
  if (!found) return null;
  const [auctionId, auction] = found;
  const bidder = pick(ctx.rand, ctx.world.traders.filter((t) => t.id !== auction.creatorId));
  // A buyer bids at or above the reserve; a seller offers around the hidden limit.
  const cents = auction.side === 'SELL' ? between(ctx.rand, 95, 110) : between(ctx.rand, 85, 100);
  return {
    action: 'auction.bid',
    actorId: bidder.id,
    request: {
      method: 'POST', path: `/v1/auctions/${auctionId}/bids`, apiKey: bidder.apiKey, idempotencyKey: ctx.unique('key'),
      body: { price: price(cents), volume: String(between(ctx.rand, 1, auction.volume)), allOrNone: ctx.rand() < 0.2 },
    },
    // 409: too late (INVALID_STATE), or the bidder is short of cash or quota.
    expect: [201, 409],
    onAnswer: (a: Answer) => {
      if (a.status === 201) ctx.pool<ActiveBid>(ACTIVE_BIDS).set(a.body.id, { auctionId, bidderId: bidder.id });
    },
  };
}

function withdraw(ctx: LoadContext): PlannedCall | null {
  const taken = ctx.take<ActiveBid>(ACTIVE_BIDS);
  if (!taken) return null;
  const [bidId, b] = taken;
  const bidder = traderById(ctx, b.bidderId);
  return {
    action: 'auction.withdrawBid',
    actorId: bidder.id,
    // DELETE carries no Idempotency-Key: a retry after a lost answer meets 409 if the first took effect.
    request: { method: 'DELETE', path: `/v1/auctions/${b.auctionId}/bids/${bidId}`, apiKey: bidder.apiKey },
    expect: [200, 409],
  };
}

function close(ctx: LoadContext): PlannedCall | null {
  const found = peek(ctx, (a) => a.closesAtMs < Date.now());
  if (!found) return null;
  const [auctionId, auction] = found;
  ctx.pool<OpenAuction>(OPEN_AUCTIONS).delete(auctionId);
  const creator = traderById(ctx, auction.creatorId);
  return {
    action: 'auction.close',
    actorId: creator.id,
    request: { method: 'POST', path: `/v1/auctions/${auctionId}/close`, apiKey: creator.apiKey, idempotencyKey: ctx.unique('key') },
    // 409: the close job got there first.
    expect: [200, 409],
    onAnswer: (a: Answer) => {
      if (a.status === 200) for (const x of a.body.allocations ?? []) ctx.pool<true>(PENDING_TRADES).set(x.tradeId, true);
    },
  };
}

const auctionIdOf = (path: string) => path.split('/')[3];
const bidIdOf = (path: string) => path.split('/')[5];

/** Auctions and bids stored are exactly the acknowledged ones; answers left what they said; locks follow the statuses; each close once. */
async function auctionsMatchAnswers({ journal, db, tag }: CheckContext): Promise<string[]> {
  const problems: string[] = [];
  const { rows: auctions } = await db.query(`
    SELECT a.id, a.status, a.volume::text, a.filled_volume::text AS filled, h.status AS hold_status,
           (SELECT coalesce(sum(t.volume), 0)::text FROM trades t WHERE t.auction_id = a.id) AS traded
      FROM auctions a JOIN ledger_holds h ON h.id = a.hold_id WHERE a.note LIKE $1`, [`${tag}-%`]);
  const created = journal.answered('auction.create', 201);
  const createdIds = new Set(created.map((c) => c.answer!.body.id));
  const stored = new Map(auctions.map((r) => [r.id, r]));
  for (const id of createdIds) if (!stored.has(id)) problems.push(`auction ${id} was acknowledged 201 but is not stored`);
  for (const r of auctions) {
    if (!createdIds.has(r.id)) problems.push(`auction ${r.id} is stored but no create was acknowledged with it`);
    if ((r.status === 'OPEN') !== (r.hold_status === 'PENDING')) problems.push(`auction ${r.id} is ${r.status} but its creator's lock is ${r.hold_status}`);
    if (litres(r.filled) !== litres(r.traded)) problems.push(`auction ${r.id} filled ${r.filled} but its trades sum to ${r.traded}`);
  }
  for (const c of journal.answered('auction.create', 400)) {
    if (c.lostAnswers + c.abandoned === 0) problems.push(`auction create ${c.request.idempotencyKey} was refused 400 on its first attempt: ${JSON.stringify(c.answer!.body)}`);
  }
  for (const c of journal.answered('auction.close', 200)) {
    if (stored.get(auctionIdOf(c.request.path))?.status !== 'CLOSED') problems.push(`auction ${auctionIdOf(c.request.path)}: close was acknowledged but it is ${stored.get(auctionIdOf(c.request.path))?.status}`);
  }

  const { rows: bids } = await db.query(`
    SELECT b.id, b.status, b.filled_volume::text AS filled, h.status AS hold_status, t.volume::text AS traded, t.auction_id = b.auction_id AS own_trade
      FROM auction_bids b JOIN auctions a ON a.id = b.auction_id JOIN ledger_holds h ON h.id = b.hold_id LEFT JOIN trades t ON t.id = b.trade_id
     WHERE a.note LIKE $1`, [`${tag}-%`]);
  const placed = new Set(journal.answered('auction.bid', 201).map((c) => c.answer!.body.id));
  const storedBids = new Set(bids.map((b) => b.id));
  for (const id of placed) if (!storedBids.has(id)) problems.push(`bid ${id} was acknowledged 201 but is not stored`);
  const withdrawalsAsked = new Set(journal.of('auction.withdrawBid').map((c) => bidIdOf(c.request.path)));
  for (const c of journal.answered('auction.withdrawBid', 200)) {
    if (bids.find((b) => b.id === bidIdOf(c.request.path))?.status !== 'WITHDRAWN') problems.push(`bid ${bidIdOf(c.request.path)}: withdrawal was acknowledged but it is not WITHDRAWN`);
  }
  for (const b of bids) {
    if (!placed.has(b.id)) problems.push(`bid ${b.id} is stored but no bid was acknowledged with it`);
    if (b.status === 'WITHDRAWN' && !withdrawalsAsked.has(b.id)) problems.push(`bid ${b.id} is WITHDRAWN but its bidder never asked`);
    if ((b.status === 'ACTIVE') !== (b.hold_status === 'PENDING')) problems.push(`bid ${b.id} is ${b.status} but its lock is ${b.hold_status}`);
    if (['FILLED', 'PARTIALLY_FILLED'].includes(b.status) && (b.own_trade !== true || litres(b.traded ?? '0') !== litres(b.filled))) problems.push(`bid ${b.id} is ${b.status} for ${b.filled} but its trade is ${b.traded}`);
  }
  const { rows: twice } = await db.query(`SELECT entity_id, count(*) AS n FROM audit_log WHERE action = 'auction.closed' GROUP BY entity_id HAVING count(*) > 1`);
  for (const r of twice) problems.push(`auction ${r.entity_id} was closed ${r.n} times in the audit log`);
  return problems;
}

/** 挂牌竞价 and 收储: listings and tenders with sealed bids, withdrawals, and closes by the creator or the job. */
export function auctionsModule(weights: { create?: number; bid?: number; withdraw?: number; close?: number } = {}): LoadModule {
  return {
    name: 'auctions',
    actions: [
      { name: 'auction.create', weight: weights.create ?? 1.5, plan: create },
      { name: 'auction.bid', weight: weights.bid ?? 5, plan: bid },
      { name: 'auction.withdrawBid', weight: weights.withdraw ?? 1, plan: withdraw },
      { name: 'auction.close', weight: weights.close ?? 2, plan: close },
    ],
    checks: [auctionsMatchAnswers],
    resync: async (load, { db, tag }) => {
      const { rows } = await db.query(`SELECT id, creator_id, side, volume::int AS volume, closes_at FROM auctions WHERE note LIKE $1 AND status = 'OPEN'`, [`${tag}-%`]);
      load.refill<OpenAuction>(OPEN_AUCTIONS, rows.map((r) => [r.id, { creatorId: r.creator_id, side: r.side, volume: r.volume, closesAtMs: new Date(r.closes_at).getTime() }]));
      const { rows: active } = await db.query(`SELECT b.id, b.auction_id, b.bidder_id FROM auction_bids b JOIN auctions a ON a.id = b.auction_id WHERE a.note LIKE $1 AND b.status = 'ACTIVE'`, [`${tag}-%`]);
      load.refill<ActiveBid>(ACTIVE_BIDS, active.map((r) => [r.id, { auctionId: r.auction_id, bidderId: r.bidder_id }]));
    },
  };
}
