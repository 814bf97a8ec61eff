import { Dec } from '../decimal';
import { VALUE_CEILING } from '../decimal-limits';
import type { FieldError, SavingsStatement } from './savings.types';

/** A volume the contract's decimals can carry: 15 integer digits (API.md, Conventions). */
const VOLUME_LIMIT = new Dec('1e15');
const AMOUNT_LIMIT = new Dec(VALUE_CEILING);

/**
 * A statement's figures must fit the contract's decimals (at most 15 integer digits), as
 * every amount a request carries must (core/deal-worth): a baseline at the limit times a
 * water price at its ceiling would otherwise give a statement of 23 digits, which no client
 * can read. The reading that would give it is refused, naming the field that brought it
 * there: the intensity method's `output`, or the `volume` read.
 */
export function statementLimitProblem(figures: SavingsStatement, method: 'FIXED' | 'INTENSITY'): FieldError | null {
  if (new Dec(figures.baselineVolume).gte(VOLUME_LIMIT)) {
    return { field: 'output', message: 'gives a baseline of 10^15 m³ or more with this project\'s intensity' };
  }
  const amounts = [figures.savedValue, figures.serviceCompanyAmount, figures.waterUserAmount, figures.compensation];
  if (amounts.some((a) => new Dec(a).abs().gte(AMOUNT_LIMIT))) {
    return {
      field: method === 'INTENSITY' ? 'output' : 'volume',
      message: 'gives a statement worth 10^15 CNY or more at this project\'s water price and terms, beyond what an amount may be',
    };
  }
  return null;
}
