import Decimal from 'decimal.js';

/**
 * Every volume, price and amount in the service is a decimal.js value built by this
 * constructor: a private clone so no other library's global Decimal settings can change
 * our rounding. 40 significant digits cover 15 integer digits times 4-decimal prices
 * with room to spare, so intermediate products are exact.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

/** Scales of the public units (API.md, Conventions). */
export const VOLUME_SCALE = 3; // m³ to the litre
export const PRICE_SCALE = 4; // CNY per m³
export const AMOUNT_SCALE = 2; // CNY to the fen

export type DecimalInput = Decimal.Value;

export const dec = (value: DecimalInput): Decimal => new Dec(value);

export const ZERO = new Dec(0);

/** round_half_up to `scale` decimals, the only rounding the domain uses. */
export const roundHalfUp = (value: DecimalInput, scale: number): Decimal =>
  new Dec(value).toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);

export const roundVolume = (value: DecimalInput): Decimal => roundHalfUp(value, VOLUME_SCALE);
export const roundAmount = (value: DecimalInput): Decimal => roundHalfUp(value, AMOUNT_SCALE);

/** Volumes and prices leave the service in their shortest exact form: "60000", "12.5". */
export const formatPlain = (value: DecimalInput): string => {
  const d = new Dec(value);
  return d.isZero() ? '0' : d.toFixed();
};

/** Amounts always carry exactly two decimals: "51000.00", "-3.50". */
export const formatAmount = (value: DecimalInput): string => roundAmount(value).toFixed(AMOUNT_SCALE);

export const formatVolume = (value: DecimalInput): string => formatPlain(roundVolume(value));
export const formatPrice = (value: DecimalInput): string => formatPlain(roundHalfUp(value, PRICE_SCALE));

/** amount = round_half_up(price × volume, 2) — DOMAIN.md, Money, units, rounding. */
export const tradeAmount = (price: DecimalInput, volume: DecimalInput): Decimal =>
  roundAmount(new Dec(price).mul(volume));

/** fee = round_half_up(amount × feeRate, 2). */
export const feeOn = (amount: DecimalInput, feeRate: DecimalInput): Decimal =>
  roundAmount(new Dec(amount).mul(feeRate));
