import type Decimal from 'decimal.js';
import { Dec, ZERO } from '../decimal';
import { litresToVolume, ticksToPrice } from '../matching/units';
import { tradeAmounts } from '../settlement/trade-amounts';
import { bidLock, creatorLock } from './auction-locks';
import type { AuctionTerms, SealedBid } from './auction.types';
import { tradePrice } from './clearing-price';
import type { RankedBid } from './ranking';

/** A bid admitted at the close and the litres it takes. */
export interface Winner {
  ranked: RankedBid;
  litres: number;
}

/** A cash hold that pays for trades: the BUY creator's lock (key null) or a SELL bid's. */
interface CashHoldNeed {
  locked: Decimal;
  /** Σ amount + buyerFee of the trades it pays for. */
  need: Decimal;
}

/** Cash to add from available so the hold covers its trades; 0 when the lock is enough. */
const topUpOf = (hold: CashHoldNeed): Decimal => Dec.max(ZERO, hold.need.minus(hold.locked));

/**
 * Who pays for what at the close. Each trade's escrow takes exactly amount + buyerFee from
 * the buyer's lock; rounding each trade can need more than the lock holds (DOMAIN.md,
 * Money), and the difference comes from the owner's available cash, shared by all its
 * holds. `availableCash` is each buyer's available cash when the close starts: the rests
 * that the close itself releases are not counted, so one bid's leftover never funds
 * another's trade.
 */
export class BuyerFunding {
  private readonly bidLocks = new Map<string, Decimal>();
  private readonly creatorLocked: Decimal;

  constructor(
    private readonly terms: AuctionTerms,
    private readonly availableCash: ReadonlyMap<string, string>,
  ) {
    this.creatorLocked = terms.side === 'BUY' ? new Dec(creatorLock(terms).amount) : ZERO;
  }

  /** amount + buyerFee of a winner's trade when the uniform price is `clearing`. */
  buyerPays(winner: Winner, clearing: number): Decimal {
    const price = tradePrice(this.terms.pricing, winner.ranked.price, clearing);
    return tradeAmounts(ticksToPrice(price), litresToVolume(winner.litres), this.terms.feeRate).buyerPays;
  }

  buyerOf(winner: Winner): string {
    return this.terms.side === 'SELL' ? winner.ranked.bid.bidderId : this.terms.creatorId;
  }

  /** Each cash hold drawn on by `winners`, with what they need of it at `clearing`. */
  private holdNeeds(winners: readonly Winner[], clearing: number): Map<string | null, CashHoldNeed> {
    const holds = new Map<string | null, CashHoldNeed>();
    for (const winner of winners) {
      const key = this.terms.side === 'SELL' ? winner.ranked.bid.id : null;
      const hold = holds.get(key) ?? { locked: this.cashLockOf(key === null ? null : winner.ranked.bid), need: ZERO };
      holds.set(key, { ...hold, need: hold.need.plus(this.buyerPays(winner, clearing)) });
    }
    return holds;
  }

  /** Whether `ownerId`'s available cash covers the top-ups of all its holds among `winners`. */
  canFund(winners: readonly Winner[], clearing: number, ownerId: string): boolean {
    let topUps = ZERO;
    for (const hold of this.holdNeeds(winners.filter((w) => this.buyerOf(w) === ownerId), clearing).values()) {
      topUps = topUps.plus(topUpOf(hold));
    }
    return topUps.lte(this.cashOf(ownerId));
  }

  cashOf(ownerId: string): Decimal {
    return new Dec(this.availableCash.get(ownerId) ?? 0);
  }

  /** What a cash lock holds: the BUY creator's (null) or a SELL bid's, by the formulas of auction-locks. */
  cashLockOf(bid: SealedBid | null): Decimal {
    if (bid === null) return this.creatorLocked;
    let locked = this.bidLocks.get(bid.id);
    if (locked === undefined) {
      locked = new Dec(bidLock(this.terms.side, this.terms.feeRate, bid).amount);
      this.bidLocks.set(bid.id, locked);
    }
    return locked;
  }
}
