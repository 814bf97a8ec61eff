import type Decimal from 'decimal.js';
import { ZERO } from '../decimal';
import type { RegionalTradeStatus } from '../regional-trades/regional-trade-status';
import { RegionParents, regionChain } from './region-parents';

export type { RegionalTradeStatus } from '../regional-trades/regional-trade-status';

/** What cap accounting needs of a regional water-rights trade (区域水权交易). */
export interface RegionalTradeFacts {
  id: string;
  status: RegionalTradeStatus;
  sellerRegionCode: string;
  /** Known from the close; null while ANNOUNCED (and for UNSOLD or WITHDRAWN trades). */
  buyerRegionCode: string | null;
  fromYear: number;
  toYear: number;
  /** m³ of cap per year of the term. */
  volumePerYear: string;
}

export interface RegionalCapTerms {
  capTransferredIn: Decimal;
  capTransferredOut: Decimal;
  capReservedOut: Decimal;
}

/** Announced and pending trades hold their volume back on the seller's side; settled ones have moved it. */
const RESERVES: ReadonlySet<RegionalTradeStatus> = new Set(['ANNOUNCED', 'PENDING_APPROVAL']);

/**
 * The cap figures of one region in one year (API.md, Regional trades, "Cap effect"):
 * - capTransferredOut: settled trades whose seller region is in the region's subtree and
 *   buyer region outside it; capTransferredIn the reverse;
 * - capReservedOut: announced or pending trades whose seller region is in the subtree and
 *   buyer region, once known, outside it. While a trade is announced nobody knows the
 *   buyer, so every region above the seller reserves it up to the root; from the close the
 *   regions that also hold the buyer stop counting it, and their headroom is back.
 * A trade between two parts of one subtree changes neither figure for it.
 */
export function regionalCapTerms(parents: RegionParents, trades: readonly RegionalTradeFacts[], regionCode: string, year: number): RegionalCapTerms {
  let capTransferredIn = ZERO;
  let capTransferredOut = ZERO;
  let capReservedOut = ZERO;
  for (const trade of trades) {
    if (year < trade.fromYear || year > trade.toYear) continue;
    const sellerInside = regionChain(parents, trade.sellerRegionCode).includes(regionCode);
    const buyerInside = trade.buyerRegionCode !== null && regionChain(parents, trade.buyerRegionCode).includes(regionCode);
    if (sellerInside === buyerInside) continue;
    if (RESERVES.has(trade.status)) {
      if (sellerInside) capReservedOut = capReservedOut.plus(trade.volumePerYear);
    } else if (trade.status === 'SETTLED') {
      if (trade.buyerRegionCode === null) throw new RangeError(`settled regional trade ${trade.id} has no buyer region`);
      if (sellerInside) capTransferredOut = capTransferredOut.plus(trade.volumePerYear);
      else capTransferredIn = capTransferredIn.plus(trade.volumePerYear);
    }
  }
  return { capTransferredIn, capTransferredOut, capReservedOut };
}
