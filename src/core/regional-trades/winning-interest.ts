import { Dec } from '../decimal';

/** An interest not withdrawn, as the close reads it. */
export interface RegionalInterest {
  id: string;
  buyerRegionCode: string;
  buyerId: string;
  price: string;
  createdAt: Date;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The close of a regional trade (API.md): the highest price wins, the earliest on a tie,
 * and — as in auctions — the smaller id when two arrived in the same millisecond, so the
 * winner never depends on the order a query returned them in. Null: nobody was
 * interested, and the trade is UNSOLD.
 */
export function winningInterest(interests: readonly RegionalInterest[]): RegionalInterest | null {
  let best: RegionalInterest | null = null;
  for (const interest of interests) {
    if (best === null || ranksBefore(interest, best)) best = interest;
  }
  return best;
}

function ranksBefore(a: RegionalInterest, b: RegionalInterest): boolean {
  const byPrice = new Dec(b.price).comparedTo(a.price);
  if (byPrice !== 0) return byPrice < 0;
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  if (byTime !== 0) return byTime < 0;
  return byCodeUnits(a.id, b.id) < 0;
}
