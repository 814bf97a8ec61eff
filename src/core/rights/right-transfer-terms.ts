import { termWorthProblems } from '../deal-worth';
import { isTraderKind } from '../participants/trader-kinds';
import type { FieldError } from '../refusal';
import { termAmount, termYearCount, termYearsProblems } from '../term-years';

/**
 * A transfer of rights (取水权交易, API.md): part of a right's annual volume, for whole
 * years, to a named buyer, at a price per m³ per year, with no fee.
 */

export interface RightTransferParties {
  sellerId: string;
  buyerId: string;
  /** The buyer's participant kind: only a trader may hold the new right. */
  buyerKind: string;
}

/** What is transferred: volumePerYear m³ in each year fromYear..toYear, at price CNY per m³ per year. */
export interface RightTransferTerm {
  fromYear: number;
  toYear: number;
  volumePerYear: string;
  price: string;
}

/**
 * The 400s of a proposal: the term's year rules (not before the current year in
 * Asia/Shanghai, not ending before it starts, at most 30 years), an amount worth what any
 * deal must be, and a buyer that is a trader other than the seller. Every problem at once.
 */
export function rightTransferProblems(parties: RightTransferParties, term: RightTransferTerm, currentYear: number): FieldError[] {
  const errors: FieldError[] = [...termYearsProblems(term.fromYear, term.toYear, currentYear), ...termWorthProblems('volumePerYear', term.price, term)];
  if (parties.buyerId === parties.sellerId) errors.push({ field: 'buyerId', message: 'must not be the seller' });
  else if (!isTraderKind(parties.buyerKind)) errors.push({ field: 'buyerId', message: `a ${parties.buyerKind} cannot buy a right; the buyer must be a trader` });
  return errors;
}

/** years = toYear − fromYear + 1. */
export const rightTransferYears = termYearCount;

/** amount = round_half_up(price × volumePerYear × years, 2); no fee. */
export const rightTransferAmount = termAmount;
