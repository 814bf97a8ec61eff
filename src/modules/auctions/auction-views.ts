import { formatPrice, formatVolume } from '../../core/decimal';
import { bidCommitment } from '../../core/sealed-bids';
import type { TradeRow } from '../trades/trades.rows';
import { AuctionAllocationView, AuctionView, BidView } from './auction.dto';
import { AuctionWithCountRow, BidRow } from './auctions.rows';

const iso = (at: Date) => new Date(at).toISOString();

export const allocationView = (t: Pick<TradeRow, 'id' | 'price' | 'volume'>): AuctionAllocationView => ({
  price: formatPrice(t.price),
  volume: formatVolume(t.volume),
  tradeId: t.id,
});

/**
 * The whole auction, as the operator sees it. Every other reader gets it through
 * `auctionFor` (auction-access.ts), which withholds a BUY tender's limit price.
 */
export const auctionView = (a: AuctionWithCountRow, allocations: readonly Pick<TradeRow, 'id' | 'price' | 'volume'>[]): AuctionView => ({
  id: a.id,
  marketId: a.market_id,
  creatorId: a.creator_id,
  side: a.side,
  volume: formatVolume(a.volume),
  limitPrice: formatPrice(a.limit_price),
  closesAt: iso(a.closes_at),
  pricing: a.pricing,
  priorityKinds: [...a.priority_kinds],
  note: a.note,
  status: a.status,
  bidCount: a.bid_count,
  filledVolume: formatVolume(a.filled_volume),
  clearingPrice: a.clearing_price === null ? null : formatPrice(a.clearing_price),
  allocations: allocations.map(allocationView),
  createdAt: iso(a.created_at),
  closedAt: a.closed_at === null ? null : iso(a.closed_at),
  reason: a.reason,
});

export const bidView = (b: BidRow): BidView => ({
  id: b.id,
  auctionId: b.auction_id,
  bidderId: b.bidder_id,
  price: formatPrice(b.price),
  volume: formatVolume(b.volume),
  allOrNone: b.all_or_none,
  status: b.status,
  filledVolume: formatVolume(b.filled_volume),
  salt: b.salt,
  createdAt: iso(b.created_at),
});

/** A bid as the close (or cancellation) publishes it: enough for anyone to recompute its commitment. */
export const publishedBid = (b: BidRow) => {
  const view = bidView(b);
  return { id: view.id, bidderId: view.bidderId, price: view.price, volume: view.volume, salt: view.salt, status: view.status };
};

/**
 * A sealed bid's audit entry (`bid.placed`, `bid.withdrawn`): its id, its auction and the
 * commitment to { bidderId, price, volume, salt } with the strings exactly as the bid's
 * response carries them. Nothing else about the bid is written before the close.
 */
export const sealedBidEntry = (b: BidRow) => {
  const { bidderId, price, volume, salt } = bidView(b);
  return { id: b.id, auctionId: b.auction_id, commitment: bidCommitment({ bidderId, price, volume, salt }) };
};
