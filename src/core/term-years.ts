import type Decimal from 'decimal.js';
import { AMOUNT_SCALE, Dec, DecimalInput, roundHalfUp } from './decimal';
import type { FieldError } from './refusal';

/**
 * Long-term deals (transfers of rights, regional trades) run for whole consecutive years,
 * counted in the exchange's calendar (Asia/Shanghai). One home for the year rules both
 * share (API.md: "Year rules as for transfers of rights").
 */

export const MAX_TERM_YEARS = 30;

/** years = toYear − fromYear + 1. */
export const termYearCount = (fromYear: number, toYear: number): number => toYear - fromYear + 1;

/** Each year of the term, ascending. */
export function termYears(fromYear: number, toYear: number): number[] {
  assertYear(fromYear, 'fromYear');
  assertYear(toYear, 'toYear');
  const years: number[] = [];
  for (let year = fromYear; year <= toYear; year++) years.push(year);
  return years;
}

/**
 * 400s of a term: it may not start before the current year, end before it starts, or run
 * more than MAX_TERM_YEARS years. Years arrive as integers (the DTO checks their type).
 */
export function termYearsProblems(fromYear: number, toYear: number, currentYear: number): FieldError[] {
  const errors: FieldError[] = [];
  if (fromYear < currentYear) errors.push({ field: 'fromYear', message: `must not be before the current year ${currentYear}` });
  if (toYear < fromYear) errors.push({ field: 'toYear', message: 'must not be before fromYear' });
  else if (termYearCount(fromYear, toYear) > MAX_TERM_YEARS) {
    errors.push({ field: 'toYear', message: `the term may cover at most ${MAX_TERM_YEARS} years` });
  }
  return errors;
}

/**
 * What a long-term deal costs: round_half_up(price × volumePerYear × years, 2), the price
 * being per m³ per year. Rounded once over the whole term, never year by year. A transfer
 * of rights pays this; a regional interest locks it and, if it wins, pays it.
 */
export const termAmount = (price: DecimalInput, volumePerYear: DecimalInput, years: number): Decimal =>
  roundHalfUp(new Dec(price).mul(volumePerYear).mul(years), AMOUNT_SCALE);

function assertYear(year: number, name: string): void {
  if (!Number.isSafeInteger(year)) throw new RangeError(`${name} must be an integer year, got ${year}`);
}
