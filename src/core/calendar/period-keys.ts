import { exchangeDate } from './exchange-calendar';

/**
 * Keys of the periods that disclosure and reports group by (API.md, Public information and
 * Reports): a Beijing day or month. They sort as strings in time order, so grouping by key
 * and ordering by key are one step.
 */

export type PeriodInterval = 'DAY' | 'MONTH';

/** 'YYYY-MM-DD' in Beijing. */
export const dayKey = (at: Date): string => exchangeDate(at);

/** 'YYYY-MM' in Beijing. */
export const monthKey = (at: Date): string => exchangeDate(at).slice(0, 7);

export const periodKey = (at: Date, interval: PeriodInterval): string => (interval === 'DAY' ? dayKey(at) : monthKey(at));
