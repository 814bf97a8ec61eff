import type { SchemaObject } from '@nestjs/swagger';
import { Dec } from '../../core/decimal';
import { DECIMAL_SCALE, DecimalRule, decimalProblem } from '../../core/decimal-rules';

/** A request decimal: its kind, whether "0" is allowed, and an optional ceiling (a power of ten). */
export interface DecimalSpec extends DecimalRule {
  max?: string;
}

const MAX_INTEGER_DIGITS = 15;

/** Significant decimals up to the scale; zeros past it are accepted ("60000.000" = "60000"). */
const fraction = (scale: number) => `(\\.\\d{1,${scale}}0*)?`;

function ceilingDigits(max: string): number {
  if (!/^10*$/.test(max)) throw new Error(`a decimal ceiling must be a power of ten, not ${max}`);
  return max.length - 1;
}

/**
 * The ECMA-262 pattern a request decimal of this spec matches, exactly the strings
 * `decimalSpecProblem` accepts apart from the "greater than 0" rule (see `ZERO_DECIMAL`).
 */
export function decimalPattern(spec: DecimalSpec): string {
  const scale = DECIMAL_SCALE[spec.kind];
  if (spec.kind === 'rate') return `^0{1,${MAX_INTEGER_DIGITS}}${fraction(scale)}$`;
  if (!spec.max) return `^\\d{1,${MAX_INTEGER_DIGITS}}${fraction(scale)}$`;
  const n = ceilingDigits(spec.max);
  // Below 10^n: up to n significant integer digits; or exactly 10^n with a zero fraction.
  const below = `0{0,${MAX_INTEGER_DIGITS - n}}\\d{1,${n}}${fraction(scale)}`;
  const at = `0{0,${MAX_INTEGER_DIGITS - n - 1}}${spec.max}(\\.0+)?`;
  return `^(${below}|${at})$`;
}

/** What `not` excludes from a decimal that must be greater than 0. */
export const ZERO_DECIMAL = '^0+(\\.0+)?$';

/** Why `value` is not a request decimal of this spec, or null. */
export function decimalSpecProblem(value: unknown, spec: DecimalSpec): string | null {
  const problem = decimalProblem(value, spec);
  if (problem !== null || !spec.max) return problem;
  return new Dec(value as string).gt(spec.max) ? `must be at most ${spec.max}` : null;
}

/** The OpenAPI schema of a request decimal of this spec. */
export function decimalSchema(spec: DecimalSpec): SchemaObject {
  const schema: SchemaObject = { type: 'string', pattern: decimalPattern(spec) };
  if (spec.kind !== 'rate' && !spec.allowZero) schema.not = { type: 'string', pattern: ZERO_DECIMAL };
  return schema;
}

/** Response decimals: normalised, and signed where the figure can be negative (headroom, savings). */
export function decimalOutPattern(kind: 'volume' | 'price' | 'amount' | 'rate' | 'figure', signed = false): string {
  const sign = signed ? '-?' : '';
  if (kind === 'amount') return `^${sign}\\d+\\.\\d{2}$`;
  if (kind === 'figure') return `^${sign}\\d+(\\.\\d+)?$`;
  return `^${sign}\\d+(\\.\\d{1,${DECIMAL_SCALE[kind]}})?$`;
}
