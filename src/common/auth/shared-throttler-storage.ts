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
 * A key's budget as this instance holds it for the current window: points reserved in the
 * shared row and not spent yet (decision 0039).
 */
interface Lease {
  /** Points reserved in the shared row and not yet spent by this instance. */
  granted: number;
  /** The shared row's count after this instance's last reservation: every instance's hits and reservations. */
  consumed: number;
  /** When the window ends, by this instance's clock. */
  endsAt: number;
  /** A reservation under way; the instance's other requests for the key wait for it. */
  reserving: Promise<void> | null;
}

/** A reservation takes at most this share of what is left of a budget, so little of it is ever held back. */
export const LEASE_SHARE = 16;
/** The most points one reservation takes. */
export const MAX_LEASE = 64;
/** Leases kept before the ended ones are swept out (client addresses can be many)... */
const SWEEP_AT = 10_000;
/** ...at most once a second, so that many live leases do not make every new one a scan of them all. */
const SWEEP_EVERY_MS = 1000;

/** Points to reserve when `left` of the budget is left in the shared row: 1 near its end, so the last ones are counted one by one. */
export const leaseSize = (left: number): number => Math.max(1, Math.min(MAX_LEASE, Math.floor(left / LEASE_SHARE)));

/**
 * The throttler's counters in PostgreSQL, so every instance on the database spends one
 * budget per key (decision 0019). rate-limiter-flexible does the counting: an atomic
 * upsert, a fixed window from the key's first hit. If the database cannot be reached,
 * each instance counts in its own memory meanwhile (the library's insurance limiter): the
 * limit still holds, and the request goes on to meet the outage, if it needs the
 * database, where the rest of the service answers it.
 *
 * An instance reserves a few points of a key's budget at a time and spends them without
 * the database (decision 0039): the first request of a window reserves one; later ones
 * reserve up to a sixteenth of what is left (at most 64), one at a time near the end. A
 * request is let through only on a reserved point, so all instances together never let
 * through more than the budget; points one instance holds unspent are refused to the
 * others until the window ends, at most a sixteenth of what was left each time.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly limiters = new Map<string, RateLimiterPostgres>();
  private readonly leases = new Map<string, Lease>();
  private sweptAt = 0;

  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttlMs: number, limit: number, _blockDurationMs: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const [limiterId, limiter] = this.limiterFor(throttlerName, limit, ttlMs);
    // A key the column cannot hold would fail the upsert and fall back to each instance's memory.
    const stored = key.length <= MAX_KEY_CHARS ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
    const id = `${limiterId}\u0000${stored}`;
    for (;;) {
      const now = Date.now();
      let lease = this.leases.get(id);
      if (lease && lease.reserving === null && now >= lease.endsAt) {
        this.leases.delete(id);
        lease = undefined;
      }
      if (lease?.reserving) {
        await lease.reserving;
        continue;
      }
      if (lease && lease.granted > 0) {
        lease.granted--;
        return recordOf(lease, now, false);
      }
      const target = lease ?? this.newLease(id, now);
      // The first request of a window learns the count and the window's end with one point.
      const size = lease ? leaseSize(limit - lease.consumed) : 1;
      target.reserving = this.reserve(limiter, stored, size, limit, target).finally(() => (target.reserving = null));
      await target.reserving;
      // Nothing left to reserve: refused, and counted as before (a refused request asks each
      // time, so the shared count resumes at once after an outage counted in memory).
      if (target.granted === 0) return recordOf(target, Date.now(), true);
      // Otherwise take a point on the next turn, unless another request of this instance took it first.
    }
  }

  /** Takes `size` points in the shared row; keeps what the budget still held of them. */
  private async reserve(limiter: RateLimiterPostgres, key: string, size: number, limit: number, lease: Lease): Promise<void> {
    let res: RateLimiterRes;
    try {
      res = await limiter.consume(key, size);
    } catch (refused: unknown) {
      // consume() rejects with the counter's state when the budget is spent, with an Error only if both stores failed.
      if (!(refused instanceof RateLimiterRes)) throw refused;
      res = refused;
    }
    const before = res.consumedPoints - size;
    lease.granted += Math.max(0, Math.min(size, limit - before));
    lease.consumed = res.consumedPoints;
    lease.endsAt = Date.now() + Math.max(0, res.msBeforeNext);
  }

  private newLease(id: string, now: number): Lease {
    if (this.leases.size >= SWEEP_AT && now - this.sweptAt >= SWEEP_EVERY_MS) {
      this.sweptAt = now;
      for (const [other, lease] of this.leases) if (lease.reserving === null && now >= lease.endsAt) this.leases.delete(other);
    }
    const lease: Lease = { granted: 0, consumed: 0, endsAt: now, reserving: null };
    this.leases.set(id, lease);
    return lease;
  }

  /** One limiter per throttler and budget; a request over the budget stays refused until the window ends. */
  private limiterFor(throttlerName: string, points: number, ttlMs: number): [string, RateLimiterPostgres] {
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
    return [id, limiter];
  }
}

/** What the guard reads: this instance's view of the hits (the shared count less what it holds unspent), and whether to refuse. */
function recordOf(lease: Lease, now: number, isBlocked: boolean): ThrottlerStorageRecord {
  const seconds = Math.max(0, Math.ceil((lease.endsAt - now) / 1000));
  return { totalHits: lease.consumed - lease.granted, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
}
