import type { AuctionPricing, AuctionSide, AuctionStatus, BidStatus } from '../../core/auctions';
import type { ParticipantKind } from '../../core/participants/participant-kind';
import type { TraderKind } from '../../core/participants/trader-kinds';

/** A row of `auctions`: a 挂牌竞价 listing (SELL) or a 收储 tender (BUY), with the creator's lock. */
export interface AuctionRow {
  id: string;
  market_id: string;
  creator_id: string;
  side: AuctionSide;
  volume: string;
  /** SELL: the public reserve; BUY: the hidden most the creator pays. */
  limit_price: string;
  closes_at: Date;
  pricing: AuctionPricing;
  priority_kinds: TraderKind[];
  note: string | null;
  status: AuctionStatus;
  /** The creator's lock: quota (SELL) or cash (BUY). */
  hold_id: string;
  filled_volume: string;
  clearing_price: string | null;
  /** Why it was cancelled, when whoever cancelled said. */
  reason: string | null;
  /** To the millisecond. */
  created_at: Date;
  closed_at: Date | null;
}

/** An auction with the number of its ACTIVE bids, as every view shows it. */
export interface AuctionWithCountRow extends AuctionRow {
  bid_count: number;
}

/** A row of `auction_bids`: a sealed bid (on a BUY tender, an offer) with its lock. */
export interface BidRow {
  id: string;
  auction_id: string;
  /** The auction's creator, copied so the database can refuse a creator's bid. */
  auction_creator_id: string;
  bidder_id: string;
  price: string;
  volume: string;
  all_or_none: boolean;
  status: BidStatus;
  filled_volume: string;
  /** 32 hex characters; published with the bid at the close. */
  salt: string;
  /** The bidder's lock: cash (SELL) or quota (BUY). */
  hold_id: string;
  /** The trade its allocation became. */
  trade_id: string | null;
  /** To the millisecond: time priority at the close. */
  created_at: Date;
  updated_at: Date;
}

/** An ACTIVE bid with what its ranking needs of its bidder. */
export interface RankableBidRow extends BidRow {
  bidder_kind: ParticipantKind;
}

/** A bid with what deciding who may read it needs of its auction. */
export interface BidAccessRow {
  id: string;
  bidder_id: string;
  auction_status: AuctionStatus;
  creator_id: string;
  market_region_code: string;
}
