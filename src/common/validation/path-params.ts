import { Param, PipeTransform, Type } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { MARKET_ID, REGION_CODE } from './fields';

/**
 * A route parameter read through its pipes and documented with its schema, from one
 * decorator on the parameter (the document's `parameters` entry belongs to the method).
 */
export function documentedParam(name: string, schema: SchemaObject, description: string, ...pipes: Array<Type<PipeTransform> | PipeTransform>): ParameterDecorator {
  return (target, key, index) => {
    Param(name, ...pipes)(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor) ApiParam({ name, required: true, schema, description })(target, key, descriptor);
  };
}

/** A region code in a path; what a malformed one answers is the endpoint's own rule (PUT: 400, GET: 404). */
export const RegionCodeParam = (name = 'code') =>
  documentedParam(name, { type: 'string', pattern: REGION_CODE.source, example: '150421' }, '6-digit administrative division code');

/** A market id in a path; a malformed one names no market (404). */
export const MarketIdParam = (name = 'id') =>
  documentedParam(name, { type: 'string', pattern: MARKET_ID.source, example: '150421-SURFACE-2026' }, 'Market id `<regionCode>-<source>-<year>`');
