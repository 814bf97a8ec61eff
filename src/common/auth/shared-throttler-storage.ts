import type { ThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The table the counters live in; created by the migration SharedRateLimits, never by the library. */
export const RATE_LIMITS_TABLE = 'rate_limits';

/** `rate_limits.key` is varchar(255): a longer key (a forwarded "address" of any text) is stored as its hash. */
const MAX_KEY_CHARS = 200;

/**
 * The throttler's counters in PostgreSQL, so every instance on the database spends one
 * budget per key (decision 0019). rate-limiter-flexible does the counting: one atomic
 * upsert per request, a fixed window from the key's first hit. If the database cannot be
 * reached, each instance counts in its own memory meanwhile (the library's insurance
 * limiter): the limit still holds, and the request goes on to meet the outage, if it
 * needs the database, where the rest of the service answers it.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly limiters = new Map<string, RateLimiterPostgres>();

  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttlMs: number, limit: number, _blockDurationMs: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const limiter = this.limiterFor(throttlerName, limit, ttlMs);
    // A key the column cannot hold would fail the upsert and fall back to each instance's memory.
    const stored = key.length <= MAX_KEY_CHARS ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
    try {
      return recordOf(await limiter.consume(stored), false);
    } catch (refused: unknown) {
      // consume() rejects with the counter's state when the budget is spent, with an Error only if both stores failed.
      if (refused instanceof RateLimiterRes) return recordOf(refused, true);
      throw refused;
    }
  }

  /** One limiter per throttler and budget; a request over the budget stays refused until the window ends. */
  private limiterFor(throttlerName: string, points: number, ttlMs: number): RateLimiterPostgres {
    const id = `${throttlerName}:${points}:${ttlMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const duration = Math.max(1, Math.ceil(ttlMs / 1000));
      limiter = new RateLimiterPostgres({
        storeClient: this.dataSource,
        storeType: 'typeorm',
        tableName: RATE_LIMITS_TABLE,
        tableCreated: true,
        // The guard's key already names the throttler.
        keyPrefix: '',
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

function recordOf(res: RateLimiterRes, isBlocked: boolean): ThrottlerStorageRecord {
  const seconds = Math.max(0, Math.ceil(res.msBeforeNext / 1000));
  return { totalHits: res.consumedPoints, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
}
