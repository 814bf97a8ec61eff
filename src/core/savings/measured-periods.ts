import type { Refusal } from '../refusal';
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

/**
 * Certified savings become quota of the year they are certified into. Quota of a year
 * that has ended is void (RIGHT_VALIDITY blocks every trade of it), so issuing it would
 * create water that can never be sold: refused as a conflict with the calendar.
 */
export function certificationYearRefusal(year: number, currentYear: number): Refusal | null {
  if (year >= currentYear) return null;
  return { code: 'INVALID_STATE', detail: `Year ${year} has ended; savings can be certified into ${currentYear} or later` };
}
