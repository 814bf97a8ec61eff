import type Decimal from 'decimal.js';
import { Dec, ZERO, formatAmount } from '../decimal';
import { litresToVolume, volumeToLitres } from '../matching/units';
import type { AuctionTerms, LockSettlement } from './auction.types';
import type { BuyerFunding, Winner } from './buyer-funding';
import type { RankedBid } from './ranking';

/**
 * What every lock of the auction does at the close (API.md: "escrow taken from the two
 * locks; whatever of a lock its trade does not need returns to its owner"). Quota locks
 * count in litres, cash locks in fen, so each line conserves exactly:
 * Σ escrows + released = locked + topUp.
 */
export function settleLocks(
  terms: AuctionTerms,
  funding: BuyerFunding,
  winners: readonly Winner[],
  clearing: number | null,
  bids: readonly RankedBid[],
): LockSettlement[] {
  const wonBy = new Map(winners.map((w) => [w.ranked.bid.id, w]));

  const creator: LockSettlement =
    terms.side === 'SELL'
      ? quotaLock(null, terms.creatorId, volumeToLitres(terms.volume), winners)
      : cashLock(null, terms.creatorId, funding.cashLockOf(null), winners.map(escrowAt(funding, clearing)));
  const bidLocks = bids.map(({ bid, volume }) => {
    const won = wonBy.get(bid.id);
    const mine = won === undefined ? [] : [won];
    return terms.side === 'SELL'
      ? cashLock(bid.id, bid.bidderId, funding.cashLockOf(bid), mine.map(escrowAt(funding, clearing)))
      : quotaLock(bid.id, bid.bidderId, volume, mine);
  });
  const locks = [creator, ...bidLocks];
  assertFunded(locks, funding);
  return locks;
}

function quotaLock(bidId: string | null, ownerId: string, lockedLitres: number, winners: readonly Winner[]): LockSettlement {
  const taken = winners.reduce((sum, w) => sum + w.litres, 0);
  if (taken > lockedLitres) throw new Error(`lock ${bidId ?? 'of the creator'}: ${taken} litres escrowed from ${lockedLitres}`);
  return {
    bidId,
    ownerId,
    asset: 'QUOTA',
    locked: litresToVolume(lockedLitres),
    topUp: '0',
    escrows: winners.map((w) => ({ bidId: w.ranked.bid.id, amount: litresToVolume(w.litres) })),
    released: litresToVolume(lockedLitres - taken),
  };
}

/** A trade's cash escrow: exactly amount + buyerFee at the price it trades at. */
const escrowAt = (funding: BuyerFunding, clearing: number | null) => (w: Winner) => ({
  bidId: w.ranked.bid.id,
  amount: funding.buyerPays(w, clearing!),
});

/** A cash lock tops up only what its escrows need beyond it, so a top-up leaves nothing to release. */
function cashLock(bidId: string | null, ownerId: string, locked: Decimal, escrows: Array<{ bidId: string; amount: Decimal }>): LockSettlement {
  const escrowed = escrows.reduce((sum, e) => sum.plus(e.amount), ZERO);
  const topUp = Dec.max(ZERO, escrowed.minus(locked));
  return {
    bidId,
    ownerId,
    asset: 'CASH',
    locked: formatAmount(locked),
    topUp: formatAmount(topUp),
    escrows: escrows.map((e) => ({ bidId: e.bidId, amount: formatAmount(e.amount) })),
    released: formatAmount(locked.plus(topUp).minus(escrowed)),
  };
}

/** The walk admitted only fundable bids; a top-up beyond an owner's cash here is a bug. */
function assertFunded(locks: readonly LockSettlement[], funding: BuyerFunding): void {
  const topUps = new Map<string, Decimal>();
  for (const lock of locks) {
    if (new Dec(lock.released).lt(0)) throw new Error(`lock ${lock.bidId ?? 'of the creator'} would release ${lock.released}`);
    if (lock.asset === 'CASH') topUps.set(lock.ownerId, (topUps.get(lock.ownerId) ?? ZERO).plus(lock.topUp));
  }
  for (const [ownerId, total] of topUps) {
    if (total.gt(funding.cashOf(ownerId))) throw new Error(`${ownerId} would top up ${total.toFixed(2)} beyond its available cash`);
  }
}
