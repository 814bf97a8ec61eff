import type { BidStatus } from '../../core/auctions';
import { Conditions, execute, first, Keyset, rows, Tx, WithCursor } from '../../database/sql';
import { AuctionRow, AuctionWithCountRow, BidAccessRow, BidRow, RankableBidRow } from './auctions.rows';

export type NewAuction = Pick<AuctionRow,
  'id' | 'market_id' | 'creator_id' | 'side' | 'volume' | 'limit_price' | 'closes_at' | 'pricing' | 'priority_kinds' | 'note' | 'hold_id' | 'created_at'
>;

export type NewBid = Pick<BidRow, 'id' | 'auction_id' | 'auction_creator_id' | 'bidder_id' | 'price' | 'volume' | 'all_or_none' | 'salt' | 'hold_id' | 'created_at'>;

export interface AuctionFilter {
  marketId?: string;
  status?: string;
  side?: string;
  /** Keyset: strictly before this (created_at text, id). */
  before?: Keyset;
  limit: number;
}

/** What the close writes on a bid it decided. */
export interface BidOutcomeRow {
  id: string;
  status: Extract<BidStatus, 'FILLED' | 'PARTIALLY_FILLED' | 'UNFILLED'>;
  filled_volume: string;
  trade_id: string | null;
}

const BID_COUNT = `(SELECT count(*)::int FROM auction_bids b WHERE b.auction_id = a.id AND b.status = 'ACTIVE') AS bid_count`;

/**
 * SQL of `auctions` and `auction_bids`. Bids change only under their auction's row lock:
 * shared to place or withdraw one, exclusive to close or cancel, so a close sees every bid
 * placed before it and no bid lands after it.
 */
export class AuctionsRepository {
  async find(tx: Tx, id: string): Promise<AuctionWithCountRow | null> {
    return first<AuctionWithCountRow>(tx, `SELECT a.*, ${BID_COUNT} FROM auctions a WHERE a.id = $1`, [id]);
  }

  /** Lock order, rank 3, shared: a bid is placed or withdrawn (after the market, rank 2); bids on one auction do not wait for each other. */
  async lockForShare(tx: Tx, id: string): Promise<AuctionRow | null> {
    return first<AuctionRow>(tx, 'SELECT * FROM auctions WHERE id = $1 FOR SHARE', [id]);
  }

  /** Lock order, rank 3: the auction closed or cancelled; it waits for bids being placed, and they for it. */
  async lockForUpdate(tx: Tx, id: string): Promise<AuctionRow | null> {
    return first<AuctionRow>(tx, 'SELECT * FROM auctions WHERE id = $1 FOR UPDATE', [id]);
  }

  /**
   * Lock order, rank 3, for the close job: the auction if it is still OPEN and no other
   * transaction holds it (another instance closing it, a bid being placed); otherwise null
   * at once, and the next run tries again.
   */
  async lockOpenSkipLocked(tx: Tx, id: string): Promise<AuctionRow | null> {
    return first<AuctionRow>(tx, `SELECT * FROM auctions WHERE id = $1 AND status = 'OPEN' FOR UPDATE SKIP LOCKED`, [id]);
  }

  /** Open auctions at or past closesAt in markets that are not halted, earliest first; no lock (the job locks each in turn). */
  async due(tx: Tx, now: Date, limit: number): Promise<Array<Pick<AuctionRow, 'id' | 'market_id'>>> {
    return rows(
      tx,
      `SELECT a.id, a.market_id FROM auctions a JOIN markets m ON m.id = a.market_id
        WHERE a.status = 'OPEN' AND a.closes_at <= $1 AND m.status = 'OPEN'
        ORDER BY a.closes_at, a.id LIMIT $2`,
      [now, limit],
    );
  }

  async insert(tx: Tx, a: NewAuction): Promise<AuctionRow> {
    const row = await first<AuctionRow>(
      tx,
      `INSERT INTO auctions (id, market_id, creator_id, side, volume, limit_price, closes_at, pricing, priority_kinds, note, hold_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [a.id, a.market_id, a.creator_id, a.side, a.volume, a.limit_price, a.closes_at, a.pricing, a.priority_kinds, a.note, a.hold_id, a.created_at],
    );
    return row!;
  }

  async close(tx: Tx, id: string, result: Pick<AuctionRow, 'filled_volume' | 'clearing_price' | 'closed_at'>): Promise<void> {
    await execute(tx, `UPDATE auctions SET status = 'CLOSED', filled_volume = $2, clearing_price = $3, closed_at = $4 WHERE id = $1`, [
      id, result.filled_volume, result.clearing_price, result.closed_at,
    ]);
  }

  async cancel(tx: Tx, id: string, reason: string | null, closedAt: Date): Promise<void> {
    await execute(tx, `UPDATE auctions SET status = 'CANCELLED', reason = $2, closed_at = $3 WHERE id = $1`, [id, reason, closedAt]);
  }

  /** Newest first. */
  async list(tx: Tx, f: AuctionFilter): Promise<WithCursor<AuctionWithCountRow>[]> {
    const c = new Conditions();
    if (f.marketId) c.and('a.market_id = ?', f.marketId);
    if (f.status) c.and('a.status = ?', f.status);
    if (f.side) c.and('a.side = ?', f.side);
    if (f.before) c.and('(a.created_at, a.id) < (?::timestamptz, ?::uuid)', ...f.before);
    return rows(
      tx,
      `SELECT a.*, ${BID_COUNT}, a.created_at::text AS cursor_at FROM auctions a ${c.where} ORDER BY a.created_at DESC, a.id DESC LIMIT ${c.param(f.limit)}`,
      c.params,
    );
  }

  async insertBid(tx: Tx, b: NewBid): Promise<BidRow> {
    const row = await first<BidRow>(
      tx,
      `INSERT INTO auction_bids (id, auction_id, auction_creator_id, bidder_id, price, volume, all_or_none, salt, hold_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [b.id, b.auction_id, b.auction_creator_id, b.bidder_id, b.price, b.volume, b.all_or_none, b.salt, b.hold_id, b.created_at],
    );
    return row!;
  }

  async findBid(tx: Tx, id: string): Promise<BidRow | null> {
    return first<BidRow>(tx, 'SELECT * FROM auction_bids WHERE id = $1', [id]);
  }

  /** Lock order, rank 3, under its auction's lock: the bid being withdrawn. */
  async lockBid(tx: Tx, id: string): Promise<BidRow | null> {
    return first<BidRow>(tx, 'SELECT * FROM auction_bids WHERE id = $1 FOR UPDATE', [id]);
  }

  async withdrawBid(tx: Tx, id: string): Promise<BidRow> {
    const row = await first<BidRow>(tx, `UPDATE auction_bids SET status = 'WITHDRAWN', updated_at = now() WHERE id = $1 RETURNING *`, [id]);
    return row!;
  }

  /** The ACTIVE bids the close ranks, with their bidders' kinds; read under the auction's exclusive lock, so none can change. */
  async activeBids(tx: Tx, auctionId: string): Promise<RankableBidRow[]> {
    return rows<RankableBidRow>(
      tx,
      `SELECT b.*, p.kind AS bidder_kind FROM auction_bids b JOIN participants p ON p.id = b.bidder_id
        WHERE b.auction_id = $1 AND b.status = 'ACTIVE' ORDER BY b.created_at, b.id`,
      [auctionId],
    );
  }

  /** Every bid ever placed on the auction, in placement order: what a close or cancellation publishes. */
  async allBids(tx: Tx, auctionId: string): Promise<BidRow[]> {
    return rows<BidRow>(tx, 'SELECT * FROM auction_bids WHERE auction_id = $1 ORDER BY created_at, id', [auctionId]);
  }

  /** An auction's bids, or one bidder's of them, newest first. */
  async bids(tx: Tx, auctionId: string, bidderId: string | null, before: Keyset | null, limit: number): Promise<WithCursor<BidRow>[]> {
    const c = new Conditions().and('auction_id = ?', auctionId);
    if (bidderId !== null) c.and('bidder_id = ?', bidderId);
    if (before) c.and('(created_at, id) < (?::timestamptz, ?::uuid)', ...before);
    return rows(tx, `SELECT *, created_at::text AS cursor_at FROM auction_bids ${c.where} ORDER BY created_at DESC, id DESC LIMIT ${c.param(limit)}`, c.params);
  }

  /** The close's verdict on each bid it ranked, in one statement. */
  async recordOutcomes(tx: Tx, outcomes: readonly BidOutcomeRow[]): Promise<void> {
    if (outcomes.length === 0) return;
    await execute(
      tx,
      `UPDATE auction_bids b SET status = o.status, filled_volume = o.filled_volume, trade_id = o.trade_id, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::numeric[], $4::uuid[]) AS o(id, status, filled_volume, trade_id)
        WHERE b.id = o.id AND b.status = 'ACTIVE'`,
      [outcomes.map((o) => o.id), outcomes.map((o) => o.status), outcomes.map((o) => o.filled_volume), outcomes.map((o) => o.trade_id)],
    );
  }

  /** A cancelled auction's ACTIVE bids become CANCELLED. */
  async cancelBids(tx: Tx, auctionId: string): Promise<void> {
    await execute(tx, `UPDATE auction_bids SET status = 'CANCELLED', updated_at = now() WHERE auction_id = $1 AND status = 'ACTIVE'`, [auctionId]);
  }

  /** Bids with what their readers depend on: the bidder, and the auction's state, creator and market region. */
  async bidAccess(tx: Tx, ids: readonly string[]): Promise<BidAccessRow[]> {
    if (ids.length === 0) return [];
    return rows<BidAccessRow>(
      tx,
      `SELECT b.id, b.bidder_id, a.status AS auction_status, a.creator_id, m.region_code AS market_region_code
         FROM auction_bids b JOIN auctions a ON a.id = b.auction_id JOIN markets m ON m.id = a.market_id
        WHERE b.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Which of these ids are auctions. */
  async existing(tx: Tx, ids: readonly string[]): Promise<Array<Pick<AuctionRow, 'id' | 'status' | 'side' | 'creator_id' | 'market_id'>>> {
    if (ids.length === 0) return [];
    return rows(tx, 'SELECT id, status, side, creator_id, market_id FROM auctions WHERE id = ANY($1::uuid[])', [ids]);
  }
}
