import { Dec } from './decimal';

/** The kinds of decimal the public contract knows (API.md, Conventions). */
export type DecimalKind = 'volume' | 'price' | 'amount' | 'rate';

export const DECIMAL_SCALE: Record<DecimalKind, number> = { volume: 3, price: 4, amount: 2, rate: 6 };

const DECIMAL_STRING = /^\d{1,15}(\.\d+)?$/;

/**
 * Longer than any decimal a client means (15 integer digits, a point, and more trailing
 * zeros than anyone writes): refused before anything else reads it, so a megabyte of
 * digits costs no more than a short string.
 */
export const MAX_DECIMAL_LENGTH = 64;

/** Decimals up to the last significant digit of `fraction`, in one pass from its end. */
function significantDecimals(fraction: string): number {
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48 /* '0' */) end--;
  return end;
}

export interface DecimalRule {
  kind: DecimalKind;
  /** Requests carry positive decimals unless the contract allows "0" for the field. */
  allowZero?: boolean;
}

/**
 * Returns why `value` is not an acceptable decimal of this kind, or null when it is.
 * Trailing zeros past the scale are accepted ("60000.000" = "60000"); significant
 * digits past it are not.
 */
export function decimalProblem(value: unknown, rule: DecimalRule): string | null {
  const scale = DECIMAL_SCALE[rule.kind];
  if (typeof value !== 'string') return `must be a decimal string such as "12.5", not a JSON ${value === null ? 'null' : typeof value}`;
  if (value.length > MAX_DECIMAL_LENGTH) return `must be at most ${MAX_DECIMAL_LENGTH} characters long`;
  if (!DECIMAL_STRING.test(value)) return 'must be digits with an optional fraction (no sign, exponent or spaces; at most 15 integer digits)';
  const fraction = value.split('.')[1] ?? '';
  if (significantDecimals(fraction) > scale) return `must have at most ${scale} decimals`;
  const d = new Dec(value);
  if (rule.kind === 'rate') {
    if (d.gte(1)) return 'must be a fraction in [0, 1)';
    return null;
  }
  if (d.isZero() && !rule.allowZero) return 'must be greater than 0';
  return null;
}
