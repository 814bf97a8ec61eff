import { Conditions, execute, first, Keyset, rows, Tx, WithCursor } from '../../database/sql';
import { ApiKeyRow, KeyHolderRow } from './participants.rows';

/** Skips the write on most requests: "last used" to the minute is all anyone reads. */
const LAST_USED_RESOLUTION = "interval '1 minute'";

export type NewApiKey = Pick<ApiKeyRow, 'id' | 'participant_id' | 'key_hash' | 'from_env'>;

/** SQL of `api_keys`. */
export class ApiKeysRepository {
  /** An unrevoked key by the hash of its secret, with its participant. */
  async activeHolder(tx: Tx, keyHash: string): Promise<KeyHolderRow | null> {
    return first<KeyHolderRow>(
      tx,
      `SELECT k.id, k.participant_id, k.last_used_at, p.kind, p.region_code, p.use_type
         FROM api_keys k JOIN participants p ON p.id = k.participant_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
  }

  /** Records a use, at most once per resolution. */
  async touch(tx: Tx, id: string): Promise<void> {
    await execute(tx, `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_RESOLUTION})`, [id]);
  }

  async findByHash(tx: Tx, keyHash: string): Promise<ApiKeyRow | null> {
    return first<ApiKeyRow>(tx, 'SELECT * FROM api_keys WHERE key_hash = $1', [keyHash]);
  }

  async insert(tx: Tx, k: NewApiKey): Promise<void> {
    await execute(tx, 'INSERT INTO api_keys (id, participant_id, key_hash, from_env) VALUES ($1, $2, $3, $4)', [k.id, k.participant_id, k.key_hash, k.from_env]);
  }

  /** Newest first. */
  async list(tx: Tx, participantId: string, before: Keyset | null, limit: number): Promise<WithCursor<ApiKeyRow>[]> {
    const c = new Conditions().and('participant_id = ?', participantId);
    if (before) c.and('(created_at, id) < (?::timestamptz, ?::uuid)', ...before);
    return rows(tx, `SELECT *, created_at::text AS cursor_at FROM api_keys ${c.where} ORDER BY created_at DESC, id DESC LIMIT ${c.param(limit)}`, c.params);
  }

  /** Lock order, rank 3: the key being revoked. */
  async lockForUpdate(tx: Tx, id: string, participantId: string): Promise<ApiKeyRow | null> {
    return first<ApiKeyRow>(tx, 'SELECT * FROM api_keys WHERE id = $1 AND participant_id = $2 FOR UPDATE', [id, participantId]);
  }

  async revoke(tx: Tx, id: string): Promise<ApiKeyRow> {
    const row = await first<ApiKeyRow>(tx, 'UPDATE api_keys SET revoked_at = now() WHERE id = $1 RETURNING *', [id]);
    return row!;
  }

  /** The participant of each key among `ids` that exists. */
  async owners(tx: Tx, ids: readonly string[]): Promise<Pick<ApiKeyRow, 'id' | 'participant_id'>[]> {
    return rows(tx, 'SELECT id, participant_id FROM api_keys WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** Unrevoked keys of a participant; `fromEnv`: only the one mirroring ADMIN_API_KEY. */
  async active(tx: Tx, participantId: string, fromEnv: boolean): Promise<ApiKeyRow[]> {
    return rows<ApiKeyRow>(tx, `SELECT * FROM api_keys WHERE participant_id = $1 AND revoked_at IS NULL${fromEnv ? ' AND from_env' : ''} ORDER BY created_at`, [participantId]);
  }
}
