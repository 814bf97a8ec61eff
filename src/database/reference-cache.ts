import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Db } from './db.service';
import { CacheInvalidation } from './notifications';
import { execute, Tx } from './sql';

/** Announced by every transaction that changes reference data; delivered at its commit to every instance. */
export const REFERENCE_CHANGED_CHANNEL = 'wrx_reference_changed';

/** The backstop: an entry is read again after this long even if no change was heard. */
export const REFERENCE_CACHE_TTL_MS = 5000;

/**
 * Rows that change rarely and are read on every trade (the region tree's chains, which
 * regions have a cap in a year), kept per instance so a trade does not pay a round trip
 * for each. The pattern of the API key cache (decision 0022):
 * - a changing transaction calls `changed(tx)`: this instance drops everything right after
 *   the commit, before the writer answers, and every other instance when PostgreSQL delivers
 *   the commit's notification;
 * - a value read while a change was announced is not kept;
 * - nothing is kept while the listening connection is down;
 * - a TTL bounds anything missed.
 * A transaction that changed reference data reads around the cache until it ends.
 */
@Injectable()
export class ReferenceCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();
  private readonly invalidation: CacheInvalidation;
  /** Bumped by every change heard: a value read across one is not kept. */
  private generation = 0;

  constructor(config: AppConfig, private readonly db: Db) {
    this.invalidation = new CacheInvalidation(config.databaseUrl, REFERENCE_CHANGED_CHANNEL, 'reference rows', new Logger('ReferenceCache'), () => this.clear(), () => this.clear());
  }

  onApplicationBootstrap(): Promise<void> {
    return this.invalidation.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.invalidation.stop();
  }

  /** The value under `key`: kept, or read by `load` (in the caller's transaction) and kept if nothing changed meanwhile. */
  async read<V>(tx: Tx, key: string, load: () => Promise<V>): Promise<V> {
    if (this.changedIn(tx)) return load();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.value as V;
    const generation = this.generation;
    const value = await load();
    if (this.invalidation.listening && generation === this.generation && !this.changedIn(tx)) this.entries.set(key, { value, expiresAt: Date.now() + REFERENCE_CACHE_TTL_MS });
    return value;
  }

  /**
   * The changing transaction's part, after its write: it reads around the cache from now on,
   * every instance is told at its commit (never if it rolls back), and this one forgets at
   * once after the commit.
   */
  async changed(tx: Tx): Promise<void> {
    this.db.buffer<true>(tx, this).push(true);
    await execute(tx, 'SELECT pg_notify($1, $2)', [REFERENCE_CHANGED_CHANNEL, '']);
    this.db.afterCommit(tx, this, async () => this.clear());
  }

  /**
   * This transaction reads around the cache until it ends, without announcing a change: for
   * one that has just taken a lock under which the rows must be read as committed (a
   * change committed a moment ago may not have reached this instance's cache yet).
   */
  readAround(tx: Tx): void {
    this.db.buffer<true>(tx, this).push(true);
  }

  /** A buffer, not a memo: a savepoint rolled back after the change keeps it. */
  private changedIn(tx: Tx): boolean {
    return this.db.isOpen(tx) && this.db.buffer<true>(tx, this).length > 0;
  }

  private clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
