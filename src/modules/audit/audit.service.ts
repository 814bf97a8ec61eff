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
const INSERT_BATCH = 500;

type PendingEntry = Omit<AuditEntry, 'seq' | 'at' | 'prevHash' | 'hash'>;

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
   * Records one entry in the caller's transaction. Entries are chained and written just
   * before the transaction commits: the head row's lock serialises appenders (one chain, no
   * forks) but is held only for that last moment, not for the whole transaction. If the
   * transaction (or the savepoint the entry was made under) rolls back, so does the entry.
   */
  async append(tx: Tx, actorId: string | null, action: string, entityType: EntityType, entityId: string, before: unknown, after: unknown): Promise<void> {
    this.db.buffer<PendingEntry>(tx, this).push({
      actorId,
      action,
      entityType,
      entityId,
      before: asStored(before),
      after: asStored(after),
      requestId: currentRequestId(),
    });
    this.db.beforeCommit(tx, this, () => this.flush(tx));
  }

  private async flush(tx: Tx): Promise<void> {
    const pending = this.db.buffer<PendingEntry>(tx, this);
    if (pending.length === 0) return;
    const [head] = await tx.query('SELECT seq, hash FROM audit_head WHERE id FOR UPDATE');
    const at = new Date().toISOString();
    let seq = Number(head.seq);
    let prevHash: string = head.hash;
    const entries = pending.map((p) => {
      const entry = sealEntry({ seq: ++seq, at, ...p, prevHash });
      prevHash = entry.hash;
      return entry;
    });
    for (let i = 0; i < entries.length; i += INSERT_BATCH) {
      const batch = entries.slice(i, i + INSERT_BATCH);
      const params: unknown[] = [];
      const rows = batch.map((e) => {
        const base = params.length;
        params.push(e.seq, e.at, e.actorId, e.action, e.entityType, e.entityId, JSON.stringify(e.before), JSON.stringify(e.after), e.requestId, e.prevHash, e.hash);
        return `(${Array.from({ length: 11 }, (_, k) => `$${base + k + 1}`).join(', ')})`;
      });
      await tx.query(
        `INSERT INTO audit_log (seq, at, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash) VALUES ${rows.join(', ')}`,
        params,
      );
    }
    await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id', [seq, prevHash]);
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
