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
