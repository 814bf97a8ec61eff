import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Actor } from './actor';
import { PUBLIC_KEY } from './decorators';

/** Rate is per API key (RATE_LIMIT_PER_MINUTE); runs after authentication so the key is known. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const user = req.user as Partial<Actor> | undefined;
    return user?.keyId ?? (typeof req.ip === 'string' ? req.ip : 'anonymous');
  }

  /** One budget per key across all endpoints; the base key includes the handler, which would multiply the rate by the number of routes. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]) ?? false;
  }
}
