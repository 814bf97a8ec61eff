import type Decimal from 'decimal.js';
import { VALUE_CEILING, VALUE_CEILING_TEXT as CEILING_TEXT } from '../decimal-limits';
import { isCash } from './assets';
import type { Asset } from './ledger.types';

/**
 * What the books may hold of one asset, all owners together: less than 10^15 CNY of cash,
 * less than 10^15 m³ of each instrument's quota, the largest figure a contract decimal
 * carries (15 integer digits, API.md).
 *
 * Every balance, hold and locked figure the ledger reports is a part of its asset's
 * outstanding total, and only an issuance raises that total (a deposit, an allocation, a
 * certification; trades, transfers and fees move value, they create none). So an issuance
 * refused at the ceiling keeps every one of those figures within the contract. The total
 * is the issuing system account's balance, negated: the row the issuance moves and so
 * holds locked, which makes the rule exact under concurrent issuances and costs no order
 * or trade a thing. `outstanding` is the total the issuance would leave.
 */
export function outstandingRefusal(asset: Asset, outstanding: Decimal): string | null {
  if (outstanding.lt(VALUE_CEILING)) return null;
  return isCash(asset)
    ? `The exchange would hold ${CEILING_TEXT} CNY or more in all, beyond what an amount may be; nothing was credited`
    : `Quota of ${asset} would reach ${CEILING_TEXT} m³ or more in all, beyond what a volume may be; nothing was issued`;
}
