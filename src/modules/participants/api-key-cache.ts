import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { AppConfig } from '../../config/app-config';
import { CacheInvalidation } from '../../database/notifications';
import { execute, Tx } from '../../database/sql';

/** Revocations, announced by the revoking transaction and delivered at its commit to every instance. */
export const API_KEY_REVOKED_CHANNEL = 'wrx_api_key_revoked';

/**
 * The backstop: an entry is looked up again after this long even if no revocation was
 * heard (a notification lost with a dropped connection, before the reconnect clears all).
 */
export const API_KEY_CACHE_TTL_MS = 5000;

interface Entry {
  actor: Actor;
  lastUsedAt: number | null;
  expiresAt: number;
}

/**
 * Authenticated keys by hash, so a request does not pay a round trip for its key. Participants
 * never change their kind, region or use, so the one thing that can make an entry wrong is a
 * revocation: the revoking instance drops its entry before it answers, every other instance
 * when PostgreSQL delivers the revocation's notification (LISTEN/NOTIFY, as the audit signal
 * uses), and a short TTL bounds anything missed. Nothing is cached while the listening
 * connection is down (decision 0022).
 */
@Injectable()
export class ApiKeyCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly invalidation: CacheInvalidation;
  /** Bumped by every revocation heard: a lookup that raced one is not cached. */
  private revocations = 0;

  constructor(config: AppConfig) {
    this.invalidation = new CacheInvalidation(config.databaseUrl, API_KEY_REVOKED_CHANNEL, 'keys', new Logger('ApiKeyCache'), (keyId) => this.forgetKey(keyId), () => this.clear());
  }

  onApplicationBootstrap(): Promise<void> {
    return this.invalidation.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.invalidation.stop();
  }

  get(keyHash: string, now: number): Entry | null {
    const entry = this.entries.get(keyHash);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.entries.delete(keyHash);
      return null;
    }
    return entry;
  }

  /** Taken before a lookup in the database; `set` refuses the answer if a revocation came in between. */
  generation(): number {
    return this.revocations;
  }

  set(keyHash: string, actor: Actor, lastUsedAt: number | null, now: number, generation: number): void {
    if (this.invalidation.listening && generation === this.revocations) this.entries.set(keyHash, { actor, lastUsedAt, expiresAt: now + API_KEY_CACHE_TTL_MS });
  }

  forgetKey(keyId: string): void {
    this.revocations++;
    for (const [hash, entry] of this.entries) if (entry.actor.keyId === keyId) this.entries.delete(hash);
  }

  private clear(): void {
    this.revocations++;
    this.entries.clear();
  }

  /** The revoking transaction's part: delivered to every instance when it commits, never if it rolls back. */
  static async announceRevocation(tx: Tx, keyId: string): Promise<void> {
    await execute(tx, 'SELECT pg_notify($1, $2)', [API_KEY_REVOKED_CHANNEL, keyId]);
  }
}
