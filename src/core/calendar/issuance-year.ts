import type { Refusal } from '../refusal';

/**
 * Quota is issued into a year, by an allocation from a right or by certified savings.
 * Quota of a year that has ended is void (RIGHT_VALIDITY blocks every trade of it, DOMAIN.md),
 * so issuing it would create water that can never be used or sold, and would count in that
 * year's cap figures after the year was closed: refused as a conflict with the calendar.
 * `currentYear` is the exchange's (Beijing).
 */
export function issuanceYearRefusal(year: number, currentYear: number, issued: 'allocated' | 'certified'): Refusal | null {
  if (year >= currentYear) return null;
  return { code: 'INVALID_STATE', detail: `Year ${year} has ended; quota can be ${issued} into ${currentYear} or later` };
}
