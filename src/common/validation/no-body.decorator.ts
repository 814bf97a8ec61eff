import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error';

/** What a body-less action documents: no body, or `{}`. */
export const EMPTY_BODY_SCHEMA = { type: 'object', properties: {}, additionalProperties: false } as const;

const refuseAnyBody = createParamDecorator((_: unknown, ctx: ExecutionContext): undefined => {
  const body: unknown = ctx.switchToHttp().getRequest<Request>().body;
  if (body === undefined) return undefined;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const type = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    throw DomainError.validation([{ field: 'body', message: `this action takes no body (or {}), not ${type}` }]);
  }
  const fields = Object.keys(body);
  if (fields.length > 0) throw DomainError.validation(fields.map((field) => ({ field, message: 'unknown field' })));
  return undefined;
});

/**
 * For an action that names no body (API.md: "accepts an empty body or `{}`, nothing else").
 * Put on a parameter, it refuses any other body where request bodies are validated (after
 * the access checks, inside the idempotency scope) and documents the body as optional `{}`.
 */
export function NoBody(): ParameterDecorator {
  return (target, key, index) => {
    refuseAnyBody()(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor) ApiBody({ required: false, schema: { ...EMPTY_BODY_SCHEMA }, description: 'No body, or `{}`' })(target, key, descriptor);
  };
}
