/** The two kinds of long-term deal a regulator's report counts (API.md, Reports for regulators). */
export const LONG_TERM_DEAL_TYPES = ['RIGHT_TRANSFER', 'REGIONAL_TRADE'] as const;
export type LongTermDealType = (typeof LONG_TERM_DEAL_TYPES)[number];

/** One line of GET /v1/reports/long-term, as the report shows it. */
export interface LongTermDealTotals {
  type: LongTermDealType;
  deals: number;
  /** m³ per year, summed over the deals (a volume string). */
  volumePerYear: string;
  /** CNY, summed over the deals (an amount string: two decimals). */
  amount: string;
}

/**
 * The seam for transfers of rights (取水权交易) and regional trades (区域水权交易): the
 * deals settled in `year` whose right's region, or either regional-trade region, lies in
 * `regionCodes` (a region's subtree), one line per type that has deals
 * (`SettledLongTermDeals` reads them from the modules that own those tables).
 */
export abstract class LongTermDeals {
  abstract settledIn(regionCodes: readonly string[], year: number): Promise<LongTermDealTotals[]>;
}
