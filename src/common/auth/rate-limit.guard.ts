import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { DomainError } from '../errors/domain-error';
import { Actor } from './actor';
import { PUBLIC_INFORMATION_KEY, PUBLIC_KEY } from './decorators';

/** The two budgets: per API key on authenticated routes, per client address on the public pages. */
export const PER_KEY = 'per-key';
export const PER_ADDRESS = 'per-address';

/**
 * Rate limits: per API key (RATE_LIMIT_PER_MINUTE), after authentication so the key is
 * known; on the public information pages, which take no key, per client address
 * (PUBLIC_RATE_LIMIT_PER_MINUTE). Each throttler's `skipIf` (app.module) picks its routes
 * with `isPublicInformation`; other public routes (health, metrics) are not limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const user = req.user as Partial<Actor> | undefined;
    return user?.keyId ?? (typeof req.ip === 'string' ? req.ip : 'anonymous');
  }

  /** One budget per key (or address) across all endpoints; the base key includes the handler, which would multiply the rate by the number of routes. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    return (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false) && !isPublicInformation(context);
  }

  /**
   * The throttler names its own header after the budget (`Retry-After-per-key`); clients and
   * proxies read RFC 9110's `Retry-After`, so the refusal carries that too, in seconds.
   */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    throw new DomainError('RATE_LIMITED', isPublicInformation(context)
      ? 'Rate limit exceeded for this client address; retry after a minute'
      : 'Rate limit exceeded for this API key; retry after a minute');
  }
}

/** True on the public information pages (`@PublicInformation()`). */
export function isPublicInformation(context: ExecutionContext): boolean {
  const read = (target: object): unknown => Reflect.getMetadata(PUBLIC_INFORMATION_KEY, target);
  return read(context.getHandler()) === true || read(context.getClass()) === true;
}
