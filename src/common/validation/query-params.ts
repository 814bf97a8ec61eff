import { CanActivate, ExecutionContext, Injectable, Query } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error';

/** Set on a handler whose operation declares query parameters. */
const TAKES_QUERY = Symbol('takes query parameters');

/**
 * `@Query()` for a DTO of query parameters, noted on its handler: an operation that
 * declares none refuses any (`QueryParamsGuard`). Use it for every query DTO; a bare
 * `@Query()` would leave the handler refusing the parameters it reads.
 */
export function QueryParams(): ParameterDecorator {
  return (target, key, index) => {
    Query()(target, key, index);
    if (key === undefined) return;
    const handler: unknown = (target as Record<string | symbol, unknown>)[key];
    if (typeof handler === 'function') Reflect.defineMetadata(TAKES_QUERY, true, handler);
  };
}

const takesQuery = (handler: object): boolean => Reflect.getMetadata(TAKES_QUERY, handler) === true;

/**
 * A query parameter an operation does not take is refused (400), as an unknown body field
 * is (API.md). Ignored, it would let `POST /v1/markets/:id/orders?dryRun=true` place a real order, or a
 * misspelt option change nothing without a word. A guard, after authentication and the
 * rate limit and before the idempotency interceptor: the query is not part of a key's
 * scope, so its refusal is not stored under the key, and the same request sent again
 * without the parameter is served.
 */
@Injectable()
export class QueryParamsGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    // Most requests carry no query at all: nothing to parse.
    if (!req.originalUrl.includes('?') || takesQuery(context.getHandler())) return true;
    const names = Object.keys(req.query ?? {});
    if (names.length === 0) return true;
    throw DomainError.validation(names.map((field) => ({ field, message: 'unknown field' })));
  }
}
