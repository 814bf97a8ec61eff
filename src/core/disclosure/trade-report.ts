import type Decimal from 'decimal.js';
import { ZERO, formatVolume } from '../decimal';
import { convertsFromAgriculture } from '../approval/use-conversion.rule';
import { monthKey } from '../calendar/period-keys';
import type { UseType, WaterSource } from '../water';
import { groupTotals, PricedTrade, TradeTotals } from './trade-totals';

/** How GET /v1/reports/trades groups (API.md, Reports for regulators). */
export const TRADE_REPORT_GROUPS = ['month', 'source', 'useType', 'region'] as const;
export type TradeReportGroup = (typeof TRADE_REPORT_GROUPS)[number];

/** A settled trade (or trades of one group, summed) as the report reads it: figures, when, what, and the two sides' uses. */
export interface ReportedTrade extends PricedTrade {
  /** Settlement time (of summed trades, any instant of their Beijing month). */
  settledAt: Date;
  source: WaterSource;
  sellerUse: UseType | null;
  buyerUse: UseType | null;
  /** The report's region of the market: the child of the reported region holding it, or that region itself. */
  reportRegion: string;
}

export type TradeReportItem = { key: string } & TradeTotals & { fromAgricultureVolume: string };

/** The key a trade is counted under. */
export function reportKey(trade: ReportedTrade, groupBy: TradeReportGroup): string {
  switch (groupBy) {
    case 'month':
      return monthKey(trade.settledAt);
    case 'source':
      return trade.source;
    case 'useType':
      return trade.buyerUse ?? 'NONE';
    case 'region':
      return trade.reportRegion;
  }
}

/**
 * One item per key with trades, ordered by key: the totals and `fromAgricultureVolume`,
 * the volume sold by agricultural sellers to buyers of another use (农转非; the same
 * reading as the USE_CONVERSION check, so a buyer without a use does not count).
 */
export function tradeReport(trades: readonly ReportedTrade[], groupBy: TradeReportGroup): TradeReportItem[] {
  const converted = new Map<string, Decimal>();
  for (const trade of trades) {
    if (!convertsFromAgriculture(trade.sellerUse, trade.buyerUse)) continue;
    const key = reportKey(trade, groupBy);
    converted.set(key, (converted.get(key) ?? ZERO).plus(trade.volume));
  }
  return groupTotals(trades, (trade) => reportKey(trade, groupBy)).map((item) => ({
    ...item,
    fromAgricultureVolume: formatVolume(converted.get(item.key) ?? ZERO),
  }));
}

/**
 * The child of `regionCode` whose subtree holds `region` (`regionCode` itself for its own
 * markets), given each region's chain (the region, then each region above it).
 */
export function childOnPath(chain: readonly string[], regionCode: string): string | null {
  const at = chain.indexOf(regionCode);
  if (at === -1) return null;
  return at === 0 ? regionCode : chain[at - 1];
}
