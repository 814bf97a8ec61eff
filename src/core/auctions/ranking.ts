import { priceToTicks, volumeToLitres } from '../matching/units';
import type { AuctionSide, AuctionTerms, SealedBid } from './auction.types';

/**
 * The ranking of a close (API.md, Auctions). SELL: price high to low. BUY: priority tier
 * (the position of the bidder's kind in `priorityKinds`, unlisted kinds after every listed
 * one), then price low to high. Ties by earlier createdAt, then smaller id. The id makes it
 * a total order, so the outcome depends on the set of bids and never on the order a query
 * returned them in. Priority tiers belong to BUY tenders only: a SELL auction ranks on
 * price whatever `priorityKinds` holds.
 */

/** A bid with its figures in base units, read once. */
export interface RankedBid {
  bid: SealedBid;
  /** Ticks of 0.0001 CNY per m³. */
  price: number;
  /** Litres. */
  volume: number;
  tier: number;
  createdMs: number;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function tierOf(side: AuctionSide, priorityKinds: readonly string[], kind: string): number {
  if (side === 'SELL') return 0;
  const at = priorityKinds.indexOf(kind);
  return at < 0 ? priorityKinds.length : at;
}

export function toRanked(side: AuctionSide, priorityKinds: readonly string[], bid: SealedBid): RankedBid {
  if (typeof bid.id !== 'string' || bid.id.length === 0) throw new TypeError('a bid needs a non-empty id');
  const createdMs = bid.createdAt instanceof Date ? bid.createdAt.getTime() : Number.NaN;
  if (Number.isNaN(createdMs)) throw new RangeError(`bid ${bid.id}: createdAt must be a valid Date`);
  return {
    bid,
    price: priceToTicks(bid.price),
    volume: volumeToLitres(bid.volume),
    tier: tierOf(side, priorityKinds, bid.bidderKind),
    createdMs,
  };
}

export const compareRanked =
  (side: AuctionSide) =>
  (a: RankedBid, b: RankedBid): number =>
    a.tier - b.tier ||
    (side === 'SELL' ? b.price - a.price : a.price - b.price) ||
    a.createdMs - b.createdMs ||
    byCodeUnits(a.bid.id, b.bid.id);

/** The ranking as a comparator on bids: negative when `a` ranks before `b`. */
export function compareBids(side: AuctionSide, priorityKinds: readonly string[] = []): (a: SealedBid, b: SealedBid) => number {
  const order = compareRanked(side);
  return (a, b) => order(toRanked(side, priorityKinds, a), toRanked(side, priorityKinds, b));
}

/** A bid on the wrong side of the limit can never win: above it on BUY, below it on SELL. */
export const beyondLimit = (side: AuctionSide, limitTicks: number, priceTicks: number): boolean =>
  side === 'BUY' ? priceTicks > limitTicks : priceTicks < limitTicks;

/**
 * The bids that compete, best first, and those dropped beyond the limit (a BUY tender
 * drops offers above its hidden limit before ranking), themselves in ranking order.
 */
export function rankBids(terms: Pick<AuctionTerms, 'side' | 'limitPrice' | 'priorityKinds'>, bids: readonly SealedBid[]): { ranked: RankedBid[]; beyondLimit: RankedBid[] } {
  const seen = new Set<string>();
  for (const bid of bids) {
    // Two bids with one id would make the order ambiguous; only a caller's bug does that.
    if (seen.has(bid.id)) throw new RangeError(`bid ${bid.id} appears twice`);
    seen.add(bid.id);
  }
  const limit = priceToTicks(terms.limitPrice);
  const all = bids.map((bid) => toRanked(terms.side, terms.priorityKinds, bid)).sort(compareRanked(terms.side));
  return {
    ranked: all.filter((b) => !beyondLimit(terms.side, limit, b.price)),
    beyondLimit: all.filter((b) => beyondLimit(terms.side, limit, b.price)),
  };
}
