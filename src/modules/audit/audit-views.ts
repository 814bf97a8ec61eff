import type { AuditEntry } from '../../core/audit/hash-chain';
import { AuditLogRow } from './audit.rows';

/** An entry as the API shows it and the chain hashes it. */
export const auditEntry = (row: AuditLogRow): AuditEntry => ({
  seq: Number(row.seq),
  at: new Date(row.at).toISOString(),
  actorId: row.actor_id,
  action: row.action,
  entityType: row.entity_type,
  entityId: row.entity_id,
  before: row.before,
  after: row.after,
  requestId: row.request_id,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/**
 * An entry's `at` as the verifier must hash it: `stored` is the column to the microsecond
 * (YYYY-MM-DDTHH:MM:SS.ffffff, UTC). Entries are written from a millisecond ISO string,
 * so a stored value with microseconds of its own was edited; it is kept whole, and its
 * hash no longer matches.
 */
export function storedAt(stored: string): string {
  return stored.endsWith('000') ? `${stored.slice(0, -3)}Z` : `${stored}Z`;
}
