import type { FieldError } from './savings.types';

/**
 * What is measured and what is issued must lie in time where it can be true.
 *
 * A reading reports the water used over a period, so the period must be over: its last
 * day lies before today (Beijing). A reading of a period still running, or still to come,
 * would produce a statement whose savings could be certified, and issued as quota, before
 * the water was saved. `today` is 'YYYY-MM-DD' in Asia/Shanghai.
 */
export function readingPeriodProblem(periodEnd: string, today: string): FieldError | null {
  if (periodEnd < today) return null;
  return { field: 'periodEnd', message: `must be a day that has ended (before ${today})` };
}
