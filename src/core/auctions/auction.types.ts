/**
 * Plain data of the sealed-bid call auction (API.md, Auctions). Decimals cross this
 * boundary as the API's strings; inside, prices are integer ticks and volumes integer
 * litres (core/matching/units), so ranking and the volume walk never round, and money is
 * computed with decimal.js by the settlement rules.
 */

/** SELL: the creator sells to the highest bids (挂牌竞价). BUY: the creator buys back from the cheapest offers (收储/回购). */
export const AUCTION_SIDES = ['SELL', 'BUY'] as const;
export type AuctionSide = (typeof AUCTION_SIDES)[number];

export const AUCTION_PRICINGS = ['UNIFORM', 'PAY_AS_BID'] as const;
export type AuctionPricing = (typeof AUCTION_PRICINGS)[number];

/** OPEN until closed (by the job or a call at or after closesAt) or cancelled. */
export const AUCTION_STATUSES = ['OPEN', 'CLOSED', 'CANCELLED'] as const;
export type AuctionStatus = (typeof AUCTION_STATUSES)[number];

/**
 * ACTIVE until withdrawn by its bidder, cancelled with its auction, or decided at the
 * close (FILLED, PARTIALLY_FILLED, UNFILLED).
 */
export const BID_STATUSES = ['ACTIVE', 'WITHDRAWN', 'FILLED', 'PARTIALLY_FILLED', 'UNFILLED', 'CANCELLED'] as const;
export type BidStatus = (typeof BID_STATUSES)[number];

/** What the close needs of the auction itself. */
export interface AuctionTerms {
  creatorId: string;
  side: AuctionSide;
  /** m³. */
  volume: string;
  /** SELL: the public reserve (底价); BUY: the hidden most it pays. CNY per m³. */
  limitPrice: string;
  pricing: AuctionPricing;
  /** BUY only: trader kinds in order of preference; bidders of other kinds come after. */
  priorityKinds: readonly string[];
  /** The market's fee rate, charged on each side of every trade. */
  feeRate: string;
}

/** An ACTIVE bid (on a BUY auction, an offer). */
export interface SealedBid {
  id: string;
  bidderId: string;
  /** The bidder's participant kind, for BUY priority tiers. */
  bidderKind: string;
  price: string;
  volume: string;
  allOrNone: boolean;
  /**
   * Time priority. Ranking compares milliseconds, the precision the API shows, so anyone
   * holding the published bids ranks them the same way; the id breaks what is left.
   */
  createdAt: Date;
}

/** Why a bid trades nothing, or less than it was offered. */
export type SkipReason =
  /** Beyond the auction's limit: a BUY offer above the hidden limit price (a SELL bid below the reserve is refused earlier and would land here too). */
  | 'BEYOND_LIMIT'
  /** Ranked after the volume ran out. */
  | 'NO_VOLUME_LEFT'
  /** allOrNone, and less than its volume was left. */
  | 'ALL_OR_NONE'
  /** The trade would fail a BLOCK check at creation (the caller's verdict). */
  | 'CHECK_FAILED'
  /** The buyer cannot fund the trade, its available cash included. */
  | 'FUNDS';

export type BidOutcomeStatus = 'FILLED' | 'PARTIALLY_FILLED' | 'UNFILLED';

export interface BidOutcome {
  bidId: string;
  filledVolume: string;
  status: BidOutcomeStatus;
  /** Why it is UNFILLED; null for a bid that trades. */
  skipped: SkipReason | null;
}

/** One allocation: it becomes one ordinary trade of the market between the creator and the bidder. */
export interface Allocation {
  bidId: string;
  buyerId: string;
  sellerId: string;
  price: string;
  volume: string;
  amount: string;
  buyerFee: string;
  sellerFee: string;
  /** amount + buyerFee: what the trade's escrow takes from the buyer's lock. */
  buyerPays: string;
}

/**
 * What happens to one lock at the close, in ledger steps: add `topUp` from the owner's
 * available cash, move each escrow under its trade, release the rest. Exactly conserved:
 * Σ escrows + released = locked + topUp, to the fen and to the litre.
 */
export interface LockSettlement {
  /** null for the creator's lock, else the bid whose lock it is. */
  bidId: string | null;
  ownerId: string;
  asset: 'CASH' | 'QUOTA';
  /** What the lock holds: the formula at creation (auction-locks.ts). */
  locked: string;
  /** Cash added from available at the close to cover rounding; "0.00" for most locks, "0" for quota. */
  topUp: string;
  /**
   * One per trade drawn on this lock, in ranking order. A cash escrow of "0.00" (a trade
   * worth less than half a fen) moves nothing; the ledger refuses empty movements, so the
   * service skips it, as settlement already does for matched trades.
   */
  escrows: Array<{ bidId: string; amount: string }>;
  released: string;
}

export interface AuctionOutcome {
  filledVolume: string;
  /** UNIFORM with a fill: the one price of every allocation; otherwise null. */
  clearingPrice: string | null;
  /** Ranking order. */
  allocations: Allocation[];
  /** Every bid given to the close: the ranked ones in ranking order, then those beyond the limit. */
  bids: BidOutcome[];
  /** The creator's lock first, then each bid's in the order of `bids`. */
  locks: LockSettlement[];
}

/** A bid the walk has admitted so far, with the m³ it trades. */
export interface AdmittedBid {
  bid: SealedBid;
  volume: string;
}

/**
 * The caller's verdict on whether the trade that `bid` would make, for `volume` m³, passes
 * every BLOCK check at creation (BUYER_REGION_CAP, GROUNDWATER_OVERDRAFT, RIGHT_VALIDITY).
 * It is called during the walk with the volume the bid is being offered, so a check that
 * depends on volume sees the real one, and with the bids admitted before it, in ranking
 * order: their trades are created first, and one that settles at once (filing,
 * auto-approval) has already moved the cap figures this trade is checked against. Each call
 * sees the previous call's list, possibly extended. It must be pure and must not throw.
 */
export type PassesBlockingChecks = (bid: SealedBid, volume: string, admitted: readonly AdmittedBid[]) => boolean;
