import type Decimal from 'decimal.js';
import { Dec, DecimalInput, PRICE_SCALE, ZERO, formatAmount, formatPlain, formatVolume, roundHalfUp } from '../decimal';

/**
 * Totals over settled trades, as the price index and the regulators' reports publish them
 * (API.md): how many trades, their volume, their amount and the volume-weighted average
 * price `vwap = round_half_up(Σ amount / Σ volume, 4)`. The average is taken over the
 * trades' own rounded amounts, so it agrees with the amounts anyone can add up.
 */

/**
 * What a trade contributes: its volume (m³) and its amount (CNY), as decimal strings. The
 * database may have summed several trades of one group already (`trades` of them; one when
 * absent), so a report reads a row per group, not a row per trade: the sums are exact, and
 * the average is taken here, once, from the group's whole sums.
 */
export interface PricedTrade {
  volume: string;
  amount: string;
  trades?: number;
}

export interface TradeTotals {
  trades: number;
  volume: string;
  amount: string;
  vwap: string;
}

/**
 * round_half_up(amount / volume, 4). The quotient is computed to 40 significant digits:
 * amounts are whole fen and volumes whole litres, so an inexact quotient has a denominator
 * far below 10^30 and cannot sit within 10^-40 of a rounding tie without being one, which
 * makes the single rounding exact.
 */
export function vwap(amount: DecimalInput, volume: DecimalInput): Decimal {
  const v = new Dec(volume);
  if (!v.gt(0)) throw new RangeError(`vwap needs a positive volume, got ${v.toString()}`);
  return roundHalfUp(new Dec(amount).div(v), PRICE_SCALE);
}

interface Sums {
  trades: number;
  volume: Decimal;
  amount: Decimal;
}

const addTrade = (sums: Sums, trade: PricedTrade): Sums => ({
  trades: sums.trades + (trade.trades ?? 1),
  volume: sums.volume.plus(trade.volume),
  amount: sums.amount.plus(trade.amount),
});

const present = (sums: Sums): TradeTotals => ({
  trades: sums.trades,
  volume: formatVolume(sums.volume),
  amount: formatAmount(sums.amount),
  vwap: formatPlain(vwap(sums.amount, sums.volume)),
});

/** Totals of a non-empty set of trades (a group with nothing in it is absent, not zero). */
export function tradeTotals(trades: Iterable<PricedTrade>): TradeTotals {
  let sums: Sums = { trades: 0, volume: ZERO, amount: ZERO };
  for (const trade of trades) sums = addTrade(sums, trade);
  if (sums.trades === 0) throw new RangeError('totals need at least one trade');
  return present(sums);
}

/**
 * Trades grouped by a key (a period, a source, a use, a child region), one entry per key
 * that has trades, ordered by key in code-unit order (byte order for the ASCII keys the
 * contract uses), which for 'YYYY-MM' and 'YYYY-MM-DD' keys is time order.
 */
export function groupTotals<T extends PricedTrade>(trades: Iterable<T>, keyOf: (trade: T) => string): Array<{ key: string } & TradeTotals> {
  const groups = new Map<string, Sums>();
  for (const trade of trades) {
    const key = keyOf(trade);
    groups.set(key, addTrade(groups.get(key) ?? { trades: 0, volume: ZERO, amount: ZERO }, trade));
  }
  return [...groups.keys()].sort(byCodeUnits).map((key) => ({ key, ...present(groups.get(key)!) }));
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
