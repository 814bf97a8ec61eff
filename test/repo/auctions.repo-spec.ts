import { randomUUID } from 'node:crypto';
import { AuctionsRepository, NewAuction } from '../../src/modules/auctions/auctions.repository';
import { LedgerRepository } from '../../src/modules/ledger/ledger.repository';
import { TradesRepository } from '../../src/modules/trades/trades.repository';
import { market, participant, regionTree } from './support/fixtures';
import { blocksOn, holdOpen, openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

const auctions = new AuctionsRepository();
const books = new LedgerRepository();
const trades = new TradesRepository();

describe('auctions repository (auctions, auction_bids)', () => {
  let db: RepoDatabase;
  let operator: string;
  let creator: string;
  let bidder: string;
  let other: string;
  let marketId: string;

  beforeAll(async () => {
    db = await regionsAndParties();
  });
  afterAll(() => db.close());

  async function regionsAndParties(): Promise<RepoDatabase> {
    const opened = await openRepoDatabase();
    await regionTree(opened);
    operator = (await participant(opened, 'OPERATOR', '150000')).id;
    creator = (await participant(opened, 'IRRIGATION_DISTRICT')).id;
    bidder = (await participant(opened)).id;
    other = (await participant(opened, 'WATER_USER')).id;
    marketId = (await market(opened, operator)).id;
    return opened;
  }

  const hold = async (owner: string, refType: 'auction' | 'bid', refId: string) => {
    const id = randomUUID();
    await db.tx((tx) => books.insertHold(tx, { id, owner_id: owner, asset: 'CNY', amount: '1', ref_type: refType, ref_id: refId, parent_hold_id: null }));
    return id;
  };

  const soon = (ms: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + ms);

  const open = async (fields: Partial<NewAuction> = {}) => {
    const id = randomUUID();
    const holdId = await hold(creator, 'auction', id);
    return db.tx((tx) =>
      auctions.insert(tx, {
        id, market_id: marketId, creator_id: creator, side: 'SELL', volume: '1000', limit_price: '2.00', closes_at: soon(60_000), pricing: 'UNIFORM',
        priority_kinds: [], note: null, hold_id: holdId, created_at: soon(0), ...fields,
      }),
    );
  };

  const placeBid = async (auctionId: string, by = bidder, fields: { created_at?: Date; auction_creator_id?: string } = {}) => {
    const id = randomUUID();
    const holdId = await hold(by, 'bid', id);
    return db.tx((tx) =>
      auctions.insertBid(tx, {
        id, auction_id: auctionId, auction_creator_id: fields.auction_creator_id ?? creator, bidder_id: by, price: '2.40', volume: '600', all_or_none: false,
        salt: 'a'.repeat(32), hold_id: holdId, created_at: fields.created_at ?? soon(1),
      }),
    );
  };

  it('stores an auction and its bids with millisecond timestamps, and counts ACTIVE bids', async () => {
    const a = await open({ created_at: new Date('2026-01-05T01:02:03.456Z'), closes_at: new Date('2026-06-01T00:00:00Z') });
    expect(a).toMatchObject({ status: 'OPEN', filled_volume: '0.000', clearing_price: null, closed_at: null, priority_kinds: [] });
    expect(new Date(a.created_at).toISOString()).toBe('2026-01-05T01:02:03.456Z');
    await placeBid(a.id);
    const b = await placeBid(a.id, other);
    await db.tx((tx) => auctions.withdrawBid(tx, b.id));
    expect((await auctions.find(db.pool, a.id))!.bid_count).toBe(1);
    // Microseconds would rank bids differently from the milliseconds the API shows.
    expect(await sqlState(db.pool.query(`UPDATE auction_bids SET created_at = created_at + interval '1 microsecond' WHERE id = $1`, [b.id]))).toBe('23514');
  });

  it('holds the invariants the database can: no creator\'s bid, no priority on SELL, each kind once, a close after closesAt (CHECK, FK)', async () => {
    const a = await open();
    expect(await sqlState(placeBid(a.id, creator))).toBe('23514');
    // The creator copied on the bid must be the auction's (composite foreign key).
    expect(await sqlState(placeBid(a.id, bidder, { auction_creator_id: other }))).toBe('23503');
    expect(await sqlState(open({ priority_kinds: ['WATER_USER'] }))).toBe('23514');
    expect(await sqlState(open({ side: 'BUY', priority_kinds: ['WATER_USER', 'WATER_USER'] }))).toBe('23514');
    expect(await sqlState(open({ side: 'BUY', priority_kinds: ['REGULATOR' as 'WATER_USER'] }))).toBe('23514');
    expect((await open({ side: 'BUY', priority_kinds: ['IRRIGATION_DISTRICT', 'WATER_USER'] })).priority_kinds).toEqual(['IRRIGATION_DISTRICT', 'WATER_USER']);
    expect(await sqlState(open({ closes_at: soon(-1) }))).toBe('23514');
    // Closing before closesAt, a clearing price without a fill, a fill beyond the volume.
    expect(await sqlState(db.tx((tx) => auctions.close(tx, a.id, { filled_volume: '0', clearing_price: null, closed_at: soon(0) })))).toBe('23514');
    expect(await sqlState(db.tx((tx) => auctions.close(tx, a.id, { filled_volume: '0', clearing_price: '2', closed_at: soon(120_000) })))).toBe('23514');
    expect(await sqlState(db.tx((tx) => auctions.close(tx, a.id, { filled_volume: '1000.001', clearing_price: null, closed_at: soon(120_000) })))).toBe('23514');
    // A bid's status follows its fill and its trade.
    const b = await placeBid(a.id);
    expect(await sqlState(db.pool.query(`UPDATE auction_bids SET status = 'FILLED' WHERE id = $1`, [b.id]))).toBe('23514');
    expect(await sqlState(db.pool.query(`UPDATE auction_bids SET filled_volume = 100 WHERE id = $1`, [b.id]))).toBe('23514');
    expect(await sqlState(db.pool.query(`UPDATE auction_bids SET salt = 'not hex' WHERE id = $1`, [b.id]))).toBe('23514');
    // A cancellation's reason belongs to a cancelled auction.
    expect(await sqlState(db.pool.query(`UPDATE auctions SET reason = 'why' WHERE id = $1`, [a.id]))).toBe('23514');
  });

  it('records the close\'s outcome of every bid in one statement, and only on ACTIVE bids', async () => {
    const a = await open();
    const [x, y, z] = [await placeBid(a.id), await placeBid(a.id, other), await placeBid(a.id)];
    await db.tx((tx) => auctions.withdrawBid(tx, z.id));
    const tradeId = await db.tx(async (tx) => {
      const id = randomUUID();
      const sellerHold = await hold(creator, 'auction', a.id);
      await trades.insert(tx, {
        id, market_id: marketId, buyer_id: bidder, seller_id: creator, buy_order_id: null, sell_order_id: null, transfer_id: null, auction_id: a.id,
        price: '2.40', volume: '600', amount: '1440.00', buyer_fee: '0.00', seller_fee: '0.00', checks: [], seller_hold_id: sellerHold, buyer_hold_id: null,
        seller_region_code: '150421', buyer_region_code: '150421', approvalDeadlineDays: 20,
      });
      return id;
    });
    await db.tx((tx) => auctions.recordOutcomes(tx, [
      { id: x.id, status: 'FILLED', filled_volume: '600', trade_id: tradeId },
      { id: y.id, status: 'UNFILLED', filled_volume: '0', trade_id: null },
      { id: z.id, status: 'UNFILLED', filled_volume: '0', trade_id: null },
    ]));
    const after = new Map((await auctions.allBids(db.pool, a.id)).map((b) => [b.id, b]));
    expect(after.get(x.id)).toMatchObject({ status: 'FILLED', filled_volume: '600.000', trade_id: tradeId });
    expect(after.get(y.id)).toMatchObject({ status: 'UNFILLED', trade_id: null });
    expect(after.get(z.id)).toMatchObject({ status: 'WITHDRAWN' });
    expect((await trades.ofAuctions(db.pool, [a.id])).map((t) => t.id)).toEqual([tradeId]);
    expect(await trades.ofAuctions(db.pool, [])).toEqual([]);
  });

  it('lists the ACTIVE bids with their bidders\' kinds in placement order, and a bidder\'s own bids newest first', async () => {
    const a = await open();
    const later = await placeBid(a.id, bidder, { created_at: soon(5) });
    const earlier = await placeBid(a.id, other, { created_at: soon(2) });
    expect((await auctions.activeBids(db.pool, a.id)).map((b) => [b.id, b.bidder_kind])).toEqual([[earlier.id, 'WATER_USER'], [later.id, 'ENTERPRISE']]);
    expect((await auctions.bids(db.pool, a.id, bidder, null, 10)).map((b) => b.id)).toEqual([later.id]);
    expect((await auctions.bids(db.pool, a.id, null, null, 10)).map((b) => b.id)).toEqual([later.id, earlier.id]);
  });

  it('bids share their auction\'s lock; a close or cancellation (FOR UPDATE) waits for them, and they for it', async () => {
    const a = await open();
    const bidding = holdOpen(db, (tx) => auctions.lockForShare(tx, a.id));
    await bidding.ready;
    expect(await blocksOn(db, (tx) => auctions.lockForShare(tx, a.id))).toBe(false);
    expect(await blocksOn(db, (tx) => auctions.lockForUpdate(tx, a.id))).toBe(true);
    await bidding.release();
    const closing = holdOpen(db, (tx) => auctions.lockForUpdate(tx, a.id));
    await closing.ready;
    expect(await blocksOn(db, (tx) => auctions.lockForShare(tx, a.id))).toBe(true);
    expect(await blocksOn(db, (tx) => auctions.find(tx, a.id))).toBe(false);
    await closing.release();
  });

  it('the job finds due auctions of open markets and skips one another transaction holds (SKIP LOCKED)', async () => {
    const due = await open({ closes_at: soon(30_000), created_at: soon(0) });
    await db.pool.query(`UPDATE auctions SET closes_at = now() - interval '1 second', created_at = date_trunc('milliseconds', now()) - interval '1 minute' WHERE id = $1`, [due.id]);
    const listed = (await auctions.due(db.pool, new Date(), 100)).map((x) => x.id);
    expect(listed).toContain(due.id);
    const held = holdOpen(db, (tx) => auctions.lockOpenSkipLocked(tx, due.id));
    expect((await held.ready)!.id).toBe(due.id);
    expect(await db.tx((tx) => auctions.lockOpenSkipLocked(tx, due.id))).toBeNull();
    await held.release();
    expect((await db.tx((tx) => auctions.lockOpenSkipLocked(tx, due.id)))!.id).toBe(due.id);
    // A halted market's auctions wait.
    await db.pool.query(`UPDATE markets SET status = 'HALTED' WHERE id = $1`, [marketId]);
    expect((await auctions.due(db.pool, new Date(), 100)).map((x) => x.id)).not.toContain(due.id);
    await db.pool.query(`UPDATE markets SET status = 'OPEN' WHERE id = $1`, [marketId]);
    // A cancelled one is not due, and the job's lock passes it by.
    await db.tx((tx) => auctions.cancel(tx, due.id, null, new Date()));
    expect((await auctions.due(db.pool, new Date(), 100)).map((x) => x.id)).not.toContain(due.id);
    expect(await db.tx((tx) => auctions.lockOpenSkipLocked(tx, due.id))).toBeNull();
  });

  it('reads what the access rules need of bids, and which ids are auctions', async () => {
    const a = await open();
    const b = await placeBid(a.id);
    expect(await auctions.bidAccess(db.pool, [b.id])).toEqual([{ id: b.id, bidder_id: bidder, auction_status: 'OPEN', creator_id: creator, market_region_code: '150421' }]);
    expect((await auctions.existing(db.pool, [a.id, randomUUID()])).map((x) => x.id)).toEqual([a.id]);
    expect(await auctions.bidAccess(db.pool, [])).toEqual([]);
  });
});
