import type { AuctionMarket, AuctionState, AuctionTerms, LockAmount, SealedBid } from '../../core/auctions';
import { CASH } from '../../core/ledger/ledger.types';
import type { LedgerRef } from '../ledger/ledger.service';
import type { MarketRow } from '../markets/markets.rows';
import { AuctionRow, RankableBidRow } from './auctions.rows';

/** Rows as the auction core reads them. */

export const auctionMarket = (m: MarketRow): AuctionMarket => ({
  id: m.id,
  status: m.status,
  year: m.year,
  priceTick: m.price_tick,
  minVolume: m.min_volume,
  feeRate: m.fee_rate,
});

export const auctionState = (a: AuctionRow): AuctionState => ({
  id: a.id,
  creatorId: a.creator_id,
  side: a.side,
  status: a.status,
  volume: a.volume,
  limitPrice: a.limit_price,
  closesAt: new Date(a.closes_at),
});

export const auctionTerms = (a: AuctionRow, m: MarketRow): AuctionTerms => ({
  creatorId: a.creator_id,
  side: a.side,
  volume: a.volume,
  limitPrice: a.limit_price,
  pricing: a.pricing,
  priorityKinds: a.priority_kinds,
  feeRate: m.fee_rate,
});

export const sealedBid = (b: RankableBidRow): SealedBid => ({
  id: b.id,
  bidderId: b.bidder_id,
  bidderKind: b.bidder_kind,
  price: b.price,
  volume: b.volume,
  allOrNone: b.all_or_none,
  createdAt: new Date(b.created_at),
});

/** The ledger asset a lock of the core's is taken in: cash, or the market's quota. */
export const lockAsset = (lock: LockAmount, market: Pick<MarketRow, 'id'>): string => (lock.asset === 'CASH' ? CASH : market.id);

/** A lock of the auction itself: the creator's quota (SELL) or cash (BUY). */
export const auctionRef = (auctionId: string, actorId: string | null): LedgerRef => ({ refType: 'auction', refId: auctionId, actorId });

/** A bid's lock. Sealed while the auction is open: the bid's own audit entry stands for its lock and release. */
export const bidRef = (bidId: string, actorId: string | null, sealed = false): LedgerRef => ({ refType: 'bid', refId: bidId, actorId, sealed });
