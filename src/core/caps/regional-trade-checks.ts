import type Decimal from 'decimal.js';
import { formatVolume } from '../decimal';
import type { Refusal } from '../refusal';
import { termYears } from '../term-years';
import { CapBook, capHeadroom } from './cap-book';
import { firstCapBreached } from './headroom';
import { regionChain } from './region-parents';
import { regionalTradePath } from './regional-trade-path';

/**
 * The cap rules a regional trade meets on its way (API.md, Regional trades). Each is
 * evaluated on a CapBook loaded, under lock, inside the transaction that acts on it.
 */

export interface RegionalTradeTerms {
  sellerRegionCode: string;
  fromYear: number;
  toYear: number;
  volumePerYear: string;
}

/**
 * Announcing: every year of the term needs a cap set on the seller's region (409
 * INVALID_STATE), and the seller's region and every capped region above it must have
 * `volumePerYear` of headroom that year (409 CAP_EXCEEDED). `book` does not hold the new
 * trade yet; once it is stored, the volume is reserved on all those regions.
 */
export function announcementRefusal(book: CapBook, trade: RegionalTradeTerms): Refusal | null {
  const years = termYears(trade.fromYear, trade.toYear);
  const uncapped = years.filter((year) => capHeadroom(book, trade.sellerRegionCode, year) === null);
  if (uncapped.length > 0) {
    return { code: 'INVALID_STATE', detail: `Region ${trade.sellerRegionCode} has no cap set for ${uncapped.join(', ')}` };
  }
  const chain = regionChain(book.parents, trade.sellerRegionCode);
  for (const year of years) {
    const breached = firstCapBreached(chain.map((code) => ({ code, headroom: capHeadroom(book, code, year) })), trade.volumePerYear);
    if (breached !== null) {
      return {
        code: 'CAP_EXCEEDED',
        detail: `${formatVolume(trade.volumePerYear)} m³ exceeds the ${year} headroom of region ${breached.code} (${formatVolume(breached.headroom!)} m³)`,
      };
    }
  }
  return null;
}

/**
 * Who may express interest (the buyer side): a regulator for its own region, which is
 * neither the seller's region nor above or below it (403), and which shares an upper level
 * with it, since that level approves (报共同的上一级) and without one nobody could.
 */
export function interestRegionRefusal(book: Pick<CapBook, 'parents'>, sellerRegionCode: string, buyerRegionCode: string): Refusal | null {
  const path = regionalTradePath(book.parents, sellerRegionCode, buyerRegionCode);
  if (path.leaving.length === 0 || path.joining.length === 0) {
    return { code: 'FORBIDDEN', detail: `Region ${buyerRegionCode} is region ${sellerRegionCode}, or above or below it` };
  }
  if (path.ancestor === null) {
    return { code: 'FORBIDDEN', detail: `Regions ${sellerRegionCode} and ${buyerRegionCode} share no upper level to approve a trade` };
  }
  return null;
}

export interface CapShortfall {
  regionCode: string;
  year: number;
  headroom: Decimal;
}

/**
 * Approving: for every year, each capped region containing the seller's region but not
 * the buyer's must have headroom ≥ 0 with the trade still counted as reserved there. That
 * is the only side that can be short: settling turns the reservation into a transfer out
 * (the seller side's headroom does not move) and adds cap on the buyer's side, so no
 * buyer-side headroom can fall. `book` holds the trade as PENDING_APPROVAL.
 */
export function approvalShortfalls(book: CapBook, tradeId: string): CapShortfall[] {
  const trade = book.regionalTrades.find((t) => t.id === tradeId);
  if (trade === undefined || trade.status !== 'PENDING_APPROVAL' || trade.buyerRegionCode === null) {
    throw new RangeError(`regional trade ${tradeId} must be in the book as PENDING_APPROVAL with a buyer`);
  }
  const { leaving } = regionalTradePath(book.parents, trade.sellerRegionCode, trade.buyerRegionCode);
  const shortfalls: CapShortfall[] = [];
  for (const year of termYears(trade.fromYear, trade.toYear)) {
    for (const regionCode of leaving) {
      const room = capHeadroom(book, regionCode, year);
      if (room !== null && room.lt(0)) shortfalls.push({ regionCode, year, headroom: room });
    }
  }
  return shortfalls;
}

/** approvalShortfalls as the refusal the approval answers with (409 CHECK_FAILED). */
export function approvalRefusal(book: CapBook, tradeId: string): Refusal | null {
  const shortfalls = approvalShortfalls(book, tradeId);
  if (shortfalls.length === 0) return null;
  const list = shortfalls.map((s) => `${s.regionCode} in ${s.year} (${formatVolume(s.headroom)} m³)`).join(', ');
  return { code: 'CHECK_FAILED', detail: `Seller-side headroom would be negative: ${list}` };
}
