import { VALUE_CEILING, VALUE_CEILING_TEXT as CEILING_TEXT } from './decimal-limits';
import { DecimalInput, tradeAmount } from './decimal';
import { termAmount, termYearCount } from './term-years';

/**
 * What every priced deal must be worth (docs/domain.md, Markets): orders, negotiated
 * transfers, auctions and their bids at price × volume; transfers of rights, regional
 * trades and their interests at price × volumePerYear × years. One rule for all of them:
 *
 * - at least half a fen, so the amount does not round to 0.00. Below that nothing could be
 *   paid for the deal: a buyer would lock nothing and a seller would give water away;
 * - below VALUE_CEILING, so the amount fits the contract's decimals and the database.
 *
 * `years` is given for a long-term deal only; `field` is the request field the error names.
 */
export function dealWorthProblem<F extends string>(field: F, price: DecimalInput, volume: DecimalInput, years?: number): { field: F; message: string } | null {
  const amount = years === undefined ? tradeAmount(price, volume) : termAmount(price, volume, years);
  const worth = years === undefined ? 'price × volume' : 'price × volumePerYear × years';
  if (amount.isZero()) return { field, message: `${worth} is worth less than half a fen; nothing could be paid for it` };
  if (amount.gte(VALUE_CEILING)) return { field, message: `${worth} is worth ${CEILING_TEXT} CNY or more, beyond what an amount may be` };
  return null;
}

/** A long-term deal's terms: volumePerYear m³ in each year fromYear..toYear. */
export interface WorthTerm {
  fromYear: number;
  toYear: number;
  volumePerYear: DecimalInput;
}

/**
 * The same rule over a long-term deal's whole term, as a list to spread among the deal's
 * other 400s. A term ending before it starts has no worth to judge: the year rules refuse it.
 */
export function termWorthProblems<F extends string>(field: F, price: DecimalInput, term: WorthTerm): { field: F; message: string }[] {
  if (term.toYear < term.fromYear) return [];
  const worth = dealWorthProblem(field, price, term.volumePerYear, termYearCount(term.fromYear, term.toYear));
  return worth === null ? [] : [worth];
}

/** The rule in words, for the OpenAPI descriptions of the fields it names. */
export const dealWorthText = (worth: string): string => `${worth} must be worth at least half a fen and less than ${CEILING_TEXT} CNY (400)`;
