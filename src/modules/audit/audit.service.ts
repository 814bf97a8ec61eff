import { Injectable } from '@nestjs/common';
import { currentRequestId } from '../../common/context/request-context';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import type { EntityType } from '../../core/audit/entity-types';
import { AuditEntry, ChainVerifier, sealEntry } from '../../core/audit/hash-chain';
import { Db, Tx } from '../../database/db.service';
import type { AuditQuery } from './audit.dto';
import { AuditFilter, AuditRepository } from './audit.repository';
import { auditEntry } from './audit-views';

const VERIFY_BATCH = 5000;

type PendingEntry = Omit<AuditEntry, 'seq' | 'at' | 'prevHash' | 'hash'>;

/**
 * Work that must commit exactly when the entries it is given do (the webhook outbox, the
 * wake-up of long polls). It runs in the flush, under the head lock, so it stays short: one
 * statement.
 */
export type SealedEntriesListener = (tx: Tx, entries: readonly AuditEntry[]) => Promise<void>;

/** Normalises a value to what jsonb gives back, so the stored entry hashes the same when re-read. */
const asStored = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

/** The seq a query's cursor points after (0 without one). */
export const afterCursor = (q: AuditQuery): number => {
  const after = decodeCursor(q.cursor, ['seq']);
  return after ? Number(after[0]) : 0;
};

/** A query's filters as the repository takes them. */
export const auditFilter = (q: AuditQuery, afterSeq: number, limit: number): AuditFilter => ({
  entityType: q.entityType,
  entityId: q.entityId,
  actorId: q.actorId,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
  afterSeq,
  limit,
});

@Injectable()
export class AuditService {
  private readonly listeners: SealedEntriesListener[] = [];

  constructor(private readonly db: Db, private readonly repo: AuditRepository) {}

  /** Registers work to run in every flush, after the entries are written (see SealedEntriesListener). */
  onSealed(listener: SealedEntriesListener): void {
    this.listeners.push(listener);
  }

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
    // Lock order, last rank: the audit head, at commit, after every other lock of the transaction.
    const head = await this.repo.lockHead(tx);
    const at = new Date().toISOString();
    let seq = Number(head.seq);
    let prevHash = head.hash;
    const entries = pending.map((p) => {
      const entry = sealEntry({ seq: ++seq, at, ...p, prevHash });
      prevHash = entry.hash;
      return entry;
    });
    await this.repo.insert(tx, entries);
    await this.repo.moveHead(tx, seq, prevHash);
    for (const listener of this.listeners) await listener(tx, entries);
  }

  /** Oldest first, with the query's filters, a page at a time. */
  async list(q: AuditQuery): Promise<Page<AuditEntry>> {
    const rows = await this.repo.list(this.db.manager, auditFilter(q, afterCursor(q), q.limit + 1));
    return pageOf(rows.map(auditEntry), q.limit, (e) => e, (e) => [e.seq]);
  }

  /** Recomputes the whole chain from the stored rows, in one snapshot. */
  async verify(): Promise<{ valid: boolean; entries: number; head: string; firstInvalidSeq: number | null }> {
    return this.db.snapshot(async (tx) => {
      const head = await this.repo.head(tx);
      const verifier = new ChainVerifier();
      let after = 0;
      for (;;) {
        const rows = await this.repo.after(tx, after, VERIFY_BATCH);
        for (const row of rows) verifier.push(auditEntry(row));
        if (rows.length < VERIFY_BATCH) break;
        after = Number(rows[rows.length - 1].seq);
      }
      return verifier.finish({ seq: Number(head.seq), hash: head.hash });
    });
  }

  /** How many entries one request (or one run of a script) wrote. */
  async countByRequest(requestId: string): Promise<number> {
    return this.repo.countByRequest(this.db.manager, requestId);
  }
}
