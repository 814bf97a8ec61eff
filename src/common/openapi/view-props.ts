import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { decimalOutPattern } from '../validation/decimal-schema';
import { MARKET_ID, REGION_CODE } from '../validation/fields';

/**
 * Property decorators for response views: each states the format a client can rely on
 * (uuid, date-time, a decimal's shape, nullability) in one place.
 */

interface ViewOptions {
  nullable?: boolean;
  description?: string;
  example?: unknown;
}

function prop(schema: SchemaObject, { nullable, description, example }: ViewOptions): PropertyDecorator {
  const doc: SchemaObject = { ...schema };
  if (nullable) doc.nullable = true;
  if (description !== undefined) doc.description = description;
  if (example !== undefined) doc.example = example;
  // A schema object is what ApiProperty documents; its options type is a union Nest keeps for its own shorthands.
  return ApiProperty(doc as ApiPropertyOptions);
}

export const ApiUuid = (options: ViewOptions = {}) => prop({ type: 'string', format: 'uuid' }, options);
export const ApiTimestamp = (options: ViewOptions = {}) => prop({ type: 'string', format: 'date-time' }, options);
export const ApiDate = (options: ViewOptions = {}) => prop({ type: 'string', format: 'date' }, options);
export const ApiText = (options: ViewOptions = {}) => prop({ type: 'string' }, options);
export const ApiRegionCode = (options: ViewOptions = {}) => prop({ type: 'string', pattern: REGION_CODE.source, example: '150421' }, options);
export const ApiMarketId = (options: ViewOptions = {}) =>
  prop({ type: 'string', pattern: MARKET_ID.source, example: '150421-SURFACE-2026' }, options);
export const ApiInt = (options: ViewOptions = {}) => prop({ type: 'integer' }, options);
export const ApiYear = (options: ViewOptions = {}) => prop({ type: 'integer', minimum: 1900, maximum: 9999, example: 2026 }, options);
export const ApiBool = (options: ViewOptions = {}) => prop({ type: 'boolean' }, options);

export function ApiEnum(values: readonly string[], options: ViewOptions = {}): PropertyDecorator {
  // OpenAPI 3.0.3: a nullable enum lists null among its values.
  return prop({ type: 'string', enum: options.nullable ? [...values, null] : [...values] }, options);
}

/** A list of values of an enum. */
export const ApiEnumList = (values: readonly string[], options: ViewOptions = {}) =>
  prop({ type: 'array', items: { type: 'string', enum: [...values] } }, options);

export type DecimalOutKind = 'volume' | 'price' | 'amount' | 'rate' | 'figure';

/** A decimal string as the service writes it: shortest form, amounts with exactly 2 decimals; `signed` where it can be negative. */
export const ApiDecimal = (kind: DecimalOutKind, options: ViewOptions & { signed?: boolean } = {}) =>
  prop({ type: 'string', pattern: decimalOutPattern(kind, options.signed) }, options);

/** Any JSON object (audit `before`/`after`, what a check or entry carries). */
export const ApiJsonObject = (options: ViewOptions = {}) => prop({ type: 'object', additionalProperties: true }, options);

export const ApiNested = (type: Type<unknown>, options: { description?: string; isArray?: boolean } = {}) =>
  ApiProperty({ type, isArray: options.isArray, description: options.description });

/** `{ items, nextCursor }` of one kind of item: `class MarketPage extends PageOf(MarketView) {}`. */
export function PageOf<T>(item: Type<T>) {
  class Page {
    @ApiProperty({ type: item, isArray: true }) items: T[];
    @ApiText({ nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor: string | null;
  }
  return Page;
}
