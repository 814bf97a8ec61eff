import { closesAfterYearProblem, noticePeriodProblem } from '../calendar/notice-period';
import { Dec, formatPrice } from '../decimal';
import { termWorthProblems, type WorthTerm } from '../deal-worth';
import type { FieldError } from '../refusal';
import { termYearsProblems } from '../term-years';

/** Interests in a regional trade are priced on a 0.01 tick (API.md, Regional trades). */
export const INTEREST_PRICE_TICK = '0.01';

/** What a regional trade announces: volumePerYear m³ of cap each year, from askingPrice per m³ per year. */
export interface RegionalTradeTerm extends WorthTerm {
  volumePerYear: string;
  askingPrice: string;
}

/**
 * The 400s of an announcement: the year rules of transfers of rights, the asking price ×
 * volumePerYear × years worth what any deal must be, and a close at least
 * MIN_NOTICE_SECONDS ahead and before fromYear ends (Asia/Shanghai), so that the buyer gets
 * cap of years still to come. The cap rules (409) are caps/regional-trade-checks.
 */
export function announcementProblems(term: RegionalTradeTerm & { closesAt: Date }, now: Date, currentYear: number, minNoticeSeconds: number): FieldError[] {
  const closesAt = [
    noticePeriodProblem(term.closesAt, now, minNoticeSeconds),
    // A fromYear already past is the year rules' 400; its end says nothing more about closesAt.
    term.fromYear < currentYear ? null : closesAfterYearProblem(term.closesAt, term.fromYear, 'fromYear'),
  ];
  return [
    ...termYearsProblems(term.fromYear, term.toYear, currentYear),
    ...termWorthProblems('volumePerYear', term.askingPrice, term),
    ...closesAt.filter((problem) => problem !== null),
  ];
}

/**
 * An interest's price: on the 0.01 tick, at least the asking price, and price ×
 * volumePerYear × years worth what any deal must be (400 on `price`, the one field an
 * interest has).
 */
export function interestPriceProblems(price: string, trade: RegionalTradeTerm): FieldError[] {
  const errors: FieldError[] = [];
  if (!new Dec(price).mod(INTEREST_PRICE_TICK).isZero()) errors.push({ field: 'price', message: `must be a multiple of the price tick ${INTEREST_PRICE_TICK}` });
  if (new Dec(price).lt(trade.askingPrice)) errors.push({ field: 'price', message: `must be at least the asking price ${formatPrice(trade.askingPrice)}` });
  return [...errors, ...termWorthProblems('price', price, trade)];
}
