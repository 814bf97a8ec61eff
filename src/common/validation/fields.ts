import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { registerDecorator, ValidateIf, ValidateNested, ValidationArguments } from 'class-validator';
import { DecimalSpec, decimalSchema, decimalSpecProblem } from './decimal-schema';
import { MAX_DECIMAL_LENGTH } from '../../core/decimal-rules';
import { isTimestamp, TIMESTAMP, TIMESTAMP_PROBLEM } from './timestamp';

/**
 * Field decorators for request DTOs. Each states one rule twice from one definition: as
 * the class-validator check the service runs and as the OpenAPI schema clients read, so
 * the document cannot promise what the service does not check, or the reverse.
 */

export interface FieldOptions {
  /** May be omitted. Omitted and `null` are different: `null` is refused unless `nullable`. */
  optional?: boolean;
  /** The contract calls the field nullable: `null` is a value of its own. */
  nullable?: boolean;
  example?: unknown;
  description?: string;
  default?: unknown;
}

/** The constraint name whose message replaces every other of the same field (see validation.pipe). */
export const PRESENCE = 'presence';

/** One check with one message naming the actual problem ("limit must be an integer"). */
function Check(name: string, problem: (value: unknown) => string | null): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => problem(value) === null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} ${problem(args?.value)}`,
      },
    });
}

/**
 * Required fields must be present; `null` is accepted only where the contract says the
 * field is nullable. Optional fields skip their checks only when omitted.
 */
function Presence({ optional, nullable }: FieldOptions): PropertyDecorator {
  const skip = (v: unknown) => (optional && v === undefined) || (nullable && v === null);
  return applyDecorators(
    ValidateIf((_, v) => !skip(v)),
    Check(PRESENCE, (v) => (v === undefined ? 'is required' : v === null ? 'must not be null' : null)),
  );
}

/** The schema of a field: a plain OpenAPI schema, or a DTO class for a nested object. */
type FieldSchema = SchemaObject | { type: new () => object };

function field(options: FieldOptions, schema: FieldSchema, ...checks: PropertyDecorator[]): PropertyDecorator {
  const { optional, nullable, example, description } = options;
  const doc: Omit<SchemaObject, 'required'> & { required: boolean } = { ...(schema as SchemaObject), required: !optional };
  if (nullable) doc.nullable = true;
  if (example !== undefined) doc.example = example;
  if (description !== undefined) doc.description = description;
  if (options.default !== undefined) doc.default = options.default;
  // A schema object is what ApiProperty documents; its options type is a union Nest keeps for its own shorthands.
  return applyDecorators(ApiProperty(doc as ApiPropertyOptions), Presence(options), ...checks);
}

const codePoints = (s: string) => [...s].length;

export interface TextOptions extends FieldOptions {
  /** Required texts are at least one character that is not white space. */
  min?: number;
  max: number;
}

/** A string of `min`..`max` characters; a required one may not be blank. */
export function TextField(options: TextOptions): PropertyDecorator {
  const min = options.min ?? 1;
  const schema: SchemaObject = { type: 'string', minLength: min, maxLength: options.max };
  if (min > 0) schema.pattern = '\\S';
  return field(
    options,
    schema,
    Check('text', (v) => {
      if (typeof v !== 'string') return 'must be a string';
      // A code point takes one or two UTF-16 units: past twice the maximum, no need to count them.
      const length = v.length > 2 * options.max ? v.length : codePoints(v);
      if (length < min || length > options.max) return min > 0 ? `must be ${min} to ${options.max} characters` : `must be at most ${options.max} characters`;
      if (min > 0 && !/\S/.test(v)) return 'must not be blank';
      return null;
    }),
  );
}

/** A string matching `pattern` exactly, with the message to give when it does not. */
export function PatternField(pattern: RegExp, message: string, options: FieldOptions & { format?: string } = {}): PropertyDecorator {
  const schema: SchemaObject = { type: 'string', pattern: pattern.source };
  if (options.format) schema.format = options.format;
  return field(options, schema, Check('pattern', (v) => (typeof v === 'string' && pattern.test(v) ? null : message)));
}

export const REGION_CODE = /^\d{6}$/;
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const MARKET_ID = /^\d{6}-(SURFACE|GROUNDWATER|RECLAIMED|MINE_WATER|RAINWATER)-\d{4}$/;

export const RegionCodeField = (options: FieldOptions = {}) =>
  PatternField(REGION_CODE, 'must be a 6-digit region code', { example: '150421', ...options });

export const UuidField = (options: FieldOptions = {}) => PatternField(UUID, 'must be a UUID', { format: 'uuid', ...options });

export const MarketIdField = (options: FieldOptions = {}) =>
  PatternField(MARKET_ID, 'must be a market id such as 150421-SURFACE-2026', { example: '150421-SURFACE-2026', ...options });

export function EnumField<T extends string>(values: readonly T[], options: FieldOptions = {}): PropertyDecorator {
  return field(
    options,
    { type: 'string', enum: [...values] },
    Check('enum', (v) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? null : `must be one of ${values.join(', ')}`)),
  );
}

/**
 * A list of distinct values of an enum, in the caller's order (a preference, say);
 * `nonEmpty` refuses an empty list.
 */
export function EnumListField<T extends string>(values: readonly T[], options: FieldOptions & { nonEmpty?: boolean } = {}): PropertyDecorator {
  return field(
    options,
    { type: 'array', items: { type: 'string', enum: [...values] }, ...(options.nonEmpty ? { minItems: 1 } : {}), maxItems: values.length, uniqueItems: true },
    Check('enumList', (v) => {
      if (!Array.isArray(v)) return 'must be an array';
      if (options.nonEmpty && v.length === 0) return 'must not be empty';
      const unknown = v.find((item) => typeof item !== 'string' || !(values as readonly string[]).includes(item));
      if (unknown !== undefined) return `must hold only values of ${values.join(', ')} (not ${JSON.stringify(unknown)})`;
      return new Set(v).size === v.length ? null : 'must name each value at most once';
    }),
  );
}

export const BooleanField = (options: FieldOptions = {}) =>
  field(options, { type: 'boolean' }, Check('boolean', (v) => (typeof v === 'boolean' ? null : 'must be true or false')));

export interface IntOptions extends FieldOptions {
  min: number;
  max: number;
  /** A query parameter: its text is read as an integer when it is one. */
  query?: boolean;
}

/** An integer in [min, max]: a JSON number in a body, digits in a query. */
export function IntField(options: IntOptions): PropertyDecorator {
  const decorators = [
    field(
      options,
      { type: 'integer', minimum: options.min, maximum: options.max },
      Check('int', (v) => {
        if (typeof v !== 'number' || !Number.isInteger(v)) return 'must be an integer';
        return v < options.min || v > options.max ? `must be from ${options.min} to ${options.max}` : null;
      }),
    ),
  ];
  if (options.query) decorators.push(Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value)));
  return applyDecorators(...decorators);
}

/** The years the service keeps (the caps table's range): four digits from 1900. */
export const YEAR_MIN = 1900;
export const YEAR_MAX = 9999;

export const YearField = (options: FieldOptions & { query?: boolean } = {}) =>
  IntField({ min: YEAR_MIN, max: YEAR_MAX, example: 2026, ...options });

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A calendar date `YYYY-MM-DD`. */
export const DateField = (options: FieldOptions = {}) =>
  field(
    options,
    { type: 'string', format: 'date', pattern: DATE.source },
    Check('date', (v) => (typeof v === 'string' && isCalendarDate(v) ? null : 'must be a calendar date YYYY-MM-DD')),
  );

/** A timestamp with an explicit zone (timestamp.ts); its pattern is the document's too. */
export const DateTimeField = (options: FieldOptions = {}) =>
  field(
    options,
    { type: 'string', format: 'date-time', pattern: TIMESTAMP.source },
    Check('dateTime', (v) => (typeof v === 'string' && isTimestamp(v) ? null : TIMESTAMP_PROBLEM)),
  );

/** A decimal string of one of the contract's kinds (API.md, Conventions). */
export const DecimalField = (spec: DecimalSpec, options: FieldOptions = {}) =>
  field(options, decimalSchema(spec), Check('decimal', (v) => decimalSpecProblem(v, spec)));

/** Decimal strings that are none of the units (shares, intensities): the format and at most `scale` decimals. */
export function FigureField(scale: number, options: FieldOptions = {}): PropertyDecorator {
  const pattern = new RegExp(`^\\d{1,15}(\\.\\d{1,${scale}}0*)?$`);
  return field(
    options,
    { type: 'string', pattern: pattern.source },
    Check('figure', (v) => {
      if (typeof v !== 'string') return `must be a decimal string such as "0.7", not a JSON ${v === null ? 'null' : typeof v}`;
      if (v.length > MAX_DECIMAL_LENGTH) return `must be at most ${MAX_DECIMAL_LENGTH} characters long`;
      if (!/^\d{1,15}(\.\d+)?$/.test(v)) return 'must be digits with an optional fraction (no sign, exponent or spaces; at most 15 integer digits)';
      return pattern.test(v) ? null : `must have at most ${scale} decimals`;
    }),
  );
}

/** A nested object validated as its own DTO class. */
export function NestedField(type: new () => object, options: FieldOptions = {}): PropertyDecorator {
  return field(
    options,
    { type },
    Check('object', (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? null : 'must be a JSON object')),
    ValidateNested(),
    Type(() => type),
  );
}
