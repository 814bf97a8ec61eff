import { Injectable } from '@nestjs/common';
import { currentRequestId } from '../../common/context/request-context';
import { AuditEntry, ChainVerifier, sealEntry } from '../../core/audit/hash-chain';
import { Db, Tx } from '../../database/db.service';

export type EntityType =
  | 'participant' | 'apiKey' | 'region' | 'cap' | 'right' | 'allocation' | 'deposit' | 'withdrawal'
  | 'market' | 'order' | 'trade' | 'transfer' | 'project' | 'reading' | 'statement';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  afterSeq?: number;
  limit: number;
}

const VERIFY_BATCH = 5000;

function toEntry(row: any): AuditEntry {
  return {
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
  };
}

/** Normalises a value to what jsonb gives back, so the stored entry hashes the same when re-read. */
const asStored = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

@Injectable()
export class AuditService {
  constructor(private readonly db: Db) {}

  /**
   * Appends one entry inside the caller's transaction. Locking the head row serialises
   * appenders, so concurrent writers extend one chain instead of forking it; the lock is
   * released when the caller's transaction ends.
   */
  async append(
    tx: Tx,
    actorId: string | null,
    action: string,
    entityType: EntityType,
    entityId: string,
    before: unknown,
    after: unknown,
  ): Promise<AuditEntry> {
    const [head] = await tx.query('SELECT seq, hash FROM audit_head WHERE id FOR UPDATE');
    const entry = sealEntry({
      seq: Number(head.seq) + 1,
      at: new Date().toISOString(),
      actorId,
      action,
      entityType,
      entityId,
      before: asStored(before),
      after: asStored(after),
      requestId: currentRequestId(),
      prevHash: head.hash,
    });
    await tx.query(
      `INSERT INTO audit_log (seq, at, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [entry.seq, entry.at, entry.actorId, entry.action, entry.entityType, entry.entityId,
        JSON.stringify(entry.before), JSON.stringify(entry.after), entry.requestId, entry.prevHash, entry.hash],
    );
    await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id', [entry.seq, entry.hash]);
    return entry;
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.entityType) add('entity_type = ?', filter.entityType);
    if (filter.entityId) add('entity_id = ?', filter.entityId);
    if (filter.actorId) add('actor_id = ?', filter.actorId);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    if (filter.afterSeq) add('seq > ?', filter.afterSeq);
    params.push(filter.limit);
    const rows = await this.db.query(
      `SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq ASC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  }

  /** Recomputes the whole chain from the stored rows, in one snapshot. */
  async verify(): Promise<{ valid: boolean; entries: number; head: string; firstInvalidSeq: number | null }> {
    return this.db.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const [head] = await tx.query('SELECT seq, hash FROM audit_head WHERE id');
      const verifier = new ChainVerifier();
      let after = 0;
      for (;;) {
        const rows = await tx.query('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, VERIFY_BATCH]);
        for (const row of rows) verifier.push(toEntry(row));
        if (rows.length < VERIFY_BATCH) break;
        after = Number(rows[rows.length - 1].seq);
      }
      return verifier.finish({ seq: Number(head.seq), hash: head.hash });
    });
  }
}
