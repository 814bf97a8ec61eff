import { PeriodInterval, periodKey } from '../calendar/period-keys';
import { PricedTrade, TradeTotals, groupTotals } from './trade-totals';

/** A settled trade (or the trades of one period, summed) as the public price index sees it: no parties, only figures and time. */
export interface SettledTrade extends PricedTrade {
  /** Settlement time (of summed trades, any instant of their period); the index buckets by it in Asia/Shanghai. */
  settledAt: Date;
}

export type PriceIndexItem = { period: string } & TradeTotals;

/**
 * GET /v1/public/price-index (API.md): one item per Beijing day or month with settled
 * trades, oldest first. Which trades belong (region subtree, source, date range) is the
 * query's business: it reads totals per Beijing day (decision 0036), so a date range is a
 * range of days.
 */
export function priceIndex(trades: Iterable<SettledTrade>, interval: PeriodInterval = 'MONTH'): PriceIndexItem[] {
  return groupTotals(trades, (trade) => periodKey(trade.settledAt, interval)).map(({ key, ...totals }) => ({ period: key, ...totals }));
}
