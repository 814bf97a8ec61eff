import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { hashApiKey, newApiKey } from '../../common/auth/api-key-secret';
import { decodeCursor, Page, PageQuery, pageOf } from '../../common/paging/paging';
import { Db, Tx } from '../../database/db.service';
import { queryRows } from '../../database/query-rows';
import { AuditService } from '../audit/audit.service';

export interface ApiKeyView {
  keyId: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const toView = (row: any): ApiKeyView => ({
  keyId: row.id,
  createdAt: new Date(row.created_at).toISOString(),
  lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
  revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
});

/** Skips the write on most requests: "last used" to the minute is all anyone reads. */
const LAST_USED_RESOLUTION = "interval '1 minute'";
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(private readonly db: Db, private readonly audit: AuditService) {}

  async authenticate(token: string): Promise<Actor | null> {
    const [row] = await this.db.dataSource.query(
      `SELECT k.id, k.participant_id, k.last_used_at, p.kind, p.region_code, p.use_type
         FROM api_keys k JOIN participants p ON p.id = k.participant_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hashApiKey(token)],
    );
    if (!row) return null;
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.dataSource.query(
        `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_RESOLUTION})`,
        [row.id],
      );
    }
    return { participantId: row.participant_id, kind: row.kind, regionCode: row.region_code, useType: row.use_type, keyId: row.id };
  }

  /** Issues a key; the secret is returned here and never again. */
  async issue(tx: Tx, participantId: string, actorId: string | null, fromSecret?: string): Promise<{ keyId: string; apiKey: string }> {
    const apiKey = fromSecret ?? newApiKey();
    const keyId = randomUUID();
    await tx.query(
      'INSERT INTO api_keys (id, participant_id, key_hash, from_env) VALUES ($1, $2, $3, $4)',
      [keyId, participantId, hashApiKey(apiKey), fromSecret !== undefined],
    );
    await this.audit.append(tx, actorId, 'apiKey.created', 'apiKey', keyId, null, { keyId, participantId });
    return { keyId, apiKey };
  }

  /** Newest first, with the list conventions of every other list. */
  async list(participantId: string, q: PageQuery): Promise<Page<ApiKeyView>> {
    const params: unknown[] = [participantId];
    let where = 'participant_id = $1';
    const after = decodeCursor(q.cursor, 2);
    if (after) where += ` AND (created_at, id) < ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::uuid)`;
    const rows = await this.db.query(
      `SELECT *, created_at::text AS cursor_at FROM api_keys WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    return pageOf(rows, q.limit, toView, (r: any) => [r.cursor_at, r.id]);
  }

  /** Revokes at once: authentication reads revoked_at on every request. */
  async revoke(tx: Tx, participantId: string, keyId: string, actorId: string): Promise<ApiKeyView | null> {
    const [row] = await tx.query('SELECT * FROM api_keys WHERE id = $1 AND participant_id = $2 FOR UPDATE', [keyId, participantId]);
    if (!row) return null;
    if (row.revoked_at) return toView(row);
    const [updated] = await queryRows(tx, 'UPDATE api_keys SET revoked_at = now() WHERE id = $1 RETURNING *', [keyId]);
    const view = toView(updated);
    await this.audit.append(tx, actorId, 'apiKey.revoked', 'apiKey', keyId, toView(row), view);
    return view;
  }
}
