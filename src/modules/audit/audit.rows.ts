import type { EntityType } from '../../core/audit/entity-types';

/** A row of `audit_log` (append-only by trigger). */
export interface AuditLogRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  action: string;
  entity_type: EntityType;
  entity_id: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

/** What a reader's scan of the log needs to decide whether it may see an entry: its seq and its entity. */
export type AuditRefRow = Pick<AuditLogRow, 'seq' | 'entity_type' | 'entity_id'>;

/** The one row of `audit_head`: the newest entry's seq and hash. */
export interface AuditHeadRow {
  seq: string;
  hash: string;
}

/** A row of `audit_pending`: one committed transaction's entries, not yet chained. */
export interface AuditPendingRow {
  id: string;
  at: string;
  entries: unknown;
}
