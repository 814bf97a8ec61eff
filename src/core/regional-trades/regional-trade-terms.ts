import { noticePeriodProblem } from '../calendar/notice-period';
import { Dec, formatPrice } from '../decimal';
import type { FieldError } from '../refusal';
import { termYearsProblems } from '../term-years';

/** Interests in a regional trade are priced on a 0.01 tick (API.md, Regional trades). */
export const INTEREST_PRICE_TICK = '0.01';

/**
 * The 400s of an announcement: the year rules of transfers of rights, and a notice period
 * of at least MIN_NOTICE_SECONDS. The cap rules (409) are caps/regional-trade-checks.
 */
export function announcementProblems(term: { fromYear: number; toYear: number; closesAt: Date }, now: Date, currentYear: number, minNoticeSeconds: number): FieldError[] {
  const notice = noticePeriodProblem(term.closesAt, now, minNoticeSeconds);
  return [...termYearsProblems(term.fromYear, term.toYear, currentYear), ...(notice === null ? [] : [notice])];
}

/** An interest's price: on the 0.01 tick and at least the asking price (400). */
export function interestPriceProblems(price: string, askingPrice: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!new Dec(price).mod(INTEREST_PRICE_TICK).isZero()) errors.push({ field: 'price', message: `must be a multiple of the price tick ${INTEREST_PRICE_TICK}` });
  if (new Dec(price).lt(askingPrice)) errors.push({ field: 'price', message: `must be at least the asking price ${formatPrice(askingPrice)}` });
  return errors;
}
