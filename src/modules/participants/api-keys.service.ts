import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { ApiKeyAuthenticator } from '../../common/auth/api-key-authenticator';
import { hashApiKey, newApiKey } from '../../common/auth/api-key-secret';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import type { PageQuery } from '../../common/paging/paging';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { ApiKeyCache } from './api-key-cache';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeyView } from './participant.dto';
import { apiKeyView } from './participant-views';

const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService implements ApiKeyAuthenticator {
  constructor(private readonly db: Db, private readonly keys: ApiKeysRepository, private readonly audit: AuditService, private readonly cache: ApiKeyCache) {}

  /** Outside any business transaction: a request is authenticated before it opens one; most from the cache. */
  async authenticate(token: string): Promise<Actor | null> {
    const pool = this.db.dataSource.manager;
    const hash = hashApiKey(token);
    const now = Date.now();
    const cached = this.cache.get(hash, now);
    if (cached) {
      cached.lastUsedAt = await this.touchIfStale(cached.actor.keyId, cached.lastUsedAt, now);
      return cached.actor;
    }
    const generation = this.cache.generation();
    const row = await this.keys.activeHolder(pool, hash);
    if (!row) return null;
    const lastUsedAt = await this.touchIfStale(row.id, row.last_used_at ? new Date(row.last_used_at).getTime() : null, now);
    const actor: Actor = { participantId: row.participant_id, kind: row.kind, regionCode: row.region_code, useType: row.use_type, keyId: row.id };
    this.cache.set(hash, actor, lastUsedAt, now, generation);
    return actor;
  }

  /** `lastUsedAt` is kept to the minute: a key is written to at most once a minute, not on every request. */
  private async touchIfStale(keyId: string, lastUsedAt: number | null, now: number): Promise<number> {
    if (lastUsedAt !== null && now - lastUsedAt <= LAST_USED_RESOLUTION_MS) return lastUsedAt;
    await this.keys.touch(this.db.dataSource.manager, keyId);
    return now;
  }

  /** Issues a key; the secret is returned here and never again. */
  async issue(tx: Tx, participantId: string, actorId: string | null, fromSecret?: string): Promise<{ keyId: string; apiKey: string }> {
    const apiKey = fromSecret ?? newApiKey();
    const keyId = newId();
    await this.keys.insert(tx, { id: keyId, participant_id: participantId, key_hash: hashApiKey(apiKey), from_env: fromSecret !== undefined });
    await this.audit.append(tx, actorId, 'apiKey.created', 'apiKey', keyId, null, { keyId, participantId });
    return { keyId, apiKey };
  }

  /** Newest first, with the list conventions of every other list. */
  async list(participantId: string, q: PageQuery): Promise<Page<ApiKeyView>> {
    const rows = await this.keys.list(this.db.manager, participantId, decodeCursor(q.cursor, ['timestamp', 'uuid']), q.limit + 1);
    return pageOf(rows, q.limit, apiKeyView, (r) => [r.cursor_at, r.id]);
  }

  /**
   * Revokes at once: this instance forgets the key before answering, the others when the commit's notification reaches them.
   * `actorId` null is the system (a key from the environment replaced at start-up).
   */
  async revoke(tx: Tx, participantId: string, keyId: string, actorId: string | null): Promise<ApiKeyView | null> {
    // Lock order, rank 3: the key row.
    const row = await this.keys.lockForUpdate(tx, keyId, participantId);
    if (!row) return null;
    if (row.revoked_at) return apiKeyView(row);
    const view = apiKeyView(await this.keys.revoke(tx, keyId));
    await this.audit.append(tx, actorId, 'apiKey.revoked', 'apiKey', keyId, apiKeyView(row), view);
    // Every instance forgets the key when this commits; this one before it answers.
    await ApiKeyCache.announceRevocation(tx, keyId);
    this.db.afterCommit(tx, this, async () => this.cache.forgetKey(keyId));
    return view;
  }
}
