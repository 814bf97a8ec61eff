import { Dec, PRICE_SCALE, VOLUME_SCALE, formatPlain } from '../decimal';

/**
 * The engine counts in integer base units: price ticks of 1/10000 CNY per m³ and volumes in
 * litres. These helpers are the only way between those and the API's decimal strings, and
 * they are exact both ways: a string with more decimals than the unit holds is refused, not
 * rounded, because rounding a price or a volume silently would change what a participant
 * asked for.
 */

/** Digits with an optional fraction: no sign, exponent or spaces (API.md, Conventions). */
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

const PRICE_TICKS_PER_UNIT = 10 ** PRICE_SCALE;
const LITRES_PER_M3 = 10 ** VOLUME_SCALE;

function toBaseUnits(value: string, scale: number, perUnit: number, name: string): number {
  if (typeof value !== 'string' || !PLAIN_DECIMAL.test(value)) {
    throw new RangeError(`${name} must be a plain decimal string, got ${JSON.stringify(value)}`);
  }
  const decimal = new Dec(value);
  if (decimal.decimalPlaces() > scale) {
    throw new RangeError(`${name} ${value} has more than ${scale} decimals`);
  }
  const units = decimal.times(perUnit).toNumber();
  if (!Number.isSafeInteger(units)) {
    throw new RangeError(`${name} ${value} is too large to hold exactly`);
  }
  return units;
}

function fromBaseUnits(units: number, perUnit: number, name: string): string {
  if (!Number.isSafeInteger(units)) {
    throw new RangeError(`${name} must be a safe integer of base units, got ${units}`);
  }
  return formatPlain(new Dec(units).div(perUnit));
}

/** "0.85" → 8500. */
export const priceToTicks = (price: string): number =>
  toBaseUnits(price, PRICE_SCALE, PRICE_TICKS_PER_UNIT, 'price');

/** "12.5" → 12500. */
export const volumeToLitres = (volume: string): number =>
  toBaseUnits(volume, VOLUME_SCALE, LITRES_PER_M3, 'volume');

/** 8500 → "0.85", in the shortest exact form. */
export const ticksToPrice = (ticks: number): string => fromBaseUnits(ticks, PRICE_TICKS_PER_UNIT, 'price ticks');

/** 60000000 → "60000", 12500 → "12.5". */
export const litresToVolume = (litres: number): string => fromBaseUnits(litres, LITRES_PER_M3, 'volume litres');
