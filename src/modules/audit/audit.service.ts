import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { currentRequestId } from '../../common/context/request-context';
import { FailureLog } from '../../common/jobs/failure-log';
import { SharedRun } from '../../common/jobs/shared-run';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import type { EntityType } from '../../core/audit/entity-types';
import { AuditEntry, ChainVerifier, sealEntry } from '../../core/audit/hash-chain';
import { Db, Tx } from '../../database/db.service';
import type { Param } from '../../database/sql';
import type { AuditQuery } from './audit.dto';
import { AuditFilter, AuditRepository, SealStep } from './audit.repository';
import { auditSealFailures, auditUnsealed, UNSEALED_COUNT_CAP } from './audit-metrics';
import { auditEntry, storedAt } from './audit-views';

const VERIFY_BATCH = 5000;
/** Entries hashed between two turns of the event loop during a verification. */
const VERIFY_YIELD_EVERY = 250;
/** Staged transactions chained per sealing transaction. */
const SEAL_BATCH = 500;
/** The backstop for entries no request chained (a crash between commit and seal, a failed seal). */
const SEAL_INTERVAL_MS = 1000;

type PendingEntry = Omit<AuditEntry, 'seq' | 'at' | 'prevHash' | 'hash'>;
type ChainReport = ReturnType<ChainVerifier['finish']>;

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

const nullable = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A staged row's entries as `append` recorded them, each field present (null where absent), as they are hashed again on reading. */
function stagedEntries(value: unknown): PendingEntry[] {
  if (!Array.isArray(value)) throw new Error('audit_pending.entries is not an array');
  return value.map((e: Record<string, unknown>) => ({
    actorId: nullable(e.actorId),
    action: String(e.action),
    entityType: String(e.entityType) as EntityType,
    entityId: String(e.entityId),
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: nullable(e.requestId),
  }));
}

@Injectable()
export class AuditService implements OnApplicationBootstrap, OnModuleDestroy {
  /** Made when first needed: suites that build this service without Nest never construct Nest's Logger. */
  private failures: FailureLog | null = null;
  private readonly steps: SealStep[] = [];
  /**
   * Whether the round under way will still send the statement that takes staged rows: set
   * when a round starts, cleared as its take is sent. A full batch's loop sends another take,
   * but is not counted on.
   */
  private takeToCome = false;
  /** Sealing runs that failed; a write that shared one asks for the next. */
  private failedRuns = 0;
  /** The owner of a sealing round's write at its commit (Db.atCommit); `this` owns a transaction's staging. */
  private readonly sealingRound = {};
  /** One sealing round at a time; calls during one share the next (see seal). */
  private readonly sealing = new SharedRun('audit_seal', () => this.sealAll());
  private readonly verification = new SharedRun('audit_verify', () => this.verifyChain());
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db, private readonly repo: AuditRepository) {}

  /** Registers work to run in every seal, in the statement that writes the entries (see SealStep). */
  onSealed(step: SealStep): void {
    this.steps.push(step);
  }

  /** Entries a previous run committed but did not chain are chained before the service listens. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sealIfPending();
    this.timer = setInterval(() => void this.watch().catch(() => undefined), SEAL_INTERVAL_MS);
    this.timer.unref();
  }

  /** A round started by a write answered before it is let finish before the pool closes (decision 0043). */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.settled();
  }

  /** Resolves once no sealing round is under way or asked for: the rounds writes started have ended. */
  settled(): Promise<void> {
    return this.sealing.idle();
  }

  /**
   * Records one entry in the caller's transaction. The transaction commits its entries
   * unchained (one `audit_pending` row, touching no shared row), and the sealer chains them
   * right after the commit (decision 0022), while the caller is answered (decision 0043):
   * every reader of the log chains what is staged first. If the transaction (or the
   * savepoint the entry was made under) rolls back, so does the entry.
   */
  async append(tx: Tx, actorId: string | null, action: string, entityType: EntityType, entityId: string, before: unknown, after: unknown): Promise<void> {
    // Kept as its JSON text: the entry is what its values were when it was recorded, and it
    // is staged as that text. It is hashed as jsonb gives it back (stagedEntries), not from here.
    const entry = { actorId, action, entityType, entityId, before: before ?? null, after: after ?? null, requestId: currentRequestId() };
    this.db.buffer<string>(tx, this).push(JSON.stringify(entry));
    this.db.atCommit(tx, this, (param) => this.stage(tx, param));
  }

  /**
   * The transaction's entries as one staged row, sealed right after the commit; nothing if a
   * rollback dropped them all. The round is started, not waited for: the write's answer
   * does not wait for the head's lock, and rounds chain more writes each (decision 0043).
   */
  private stage(tx: Tx, param: Param): string | null {
    const pending = this.db.buffer<string>(tx, this);
    if (pending.length === 0) return null;
    this.db.afterCommit(tx, this, async () => void this.sealCommitted());
    return this.repo.stageSql(new Date().toISOString(), `[${pending.join(',')}]`, param);
  }

  /**
   * Chains every entry committed before this call. Calls that arrive while a seal runs share
   * the next one, which starts after it: one sealing transaction chains the entries of
   * many, so the head's lock is taken once per batch instead of once per write. Never
   * throws: what it chains is committed, and the interval retries what a failure left.
   */
  seal(): Promise<void> {
    return this.sealing.run();
  }

  /**
   * After a commit that staged entries: a round under way that has not yet sent its take
   * will take them (its statement's snapshot begins after this commit was acknowledged), so
   * the caller shares that round instead of the next.
   */
  private sealCommitted(): Promise<void> {
    const ongoing = this.sealing.ongoing();
    if (ongoing === null || !this.takeToCome) return this.seal();
    // Should that round fail, the write asks for the next, as it would have without sharing.
    const failuresBefore = this.failedRuns;
    return ongoing.then(() => (this.failedRuns > failuresBefore ? this.seal() : undefined));
  }

  /** For readers and the interval: one cheap look first, since there is usually nothing to chain. */
  async sealIfPending(): Promise<void> {
    if (await this.repo.hasPending(this.db.dataSource.manager)) await this.seal();
  }

  /** The interval's look: how many transactions wait to be chained (a gauge on /metrics), and a round if any do. */
  private async watch(): Promise<void> {
    const waiting = await this.repo.countPending(this.db.dataSource.manager, UNSEALED_COUNT_CAP);
    auditUnsealed.set(waiting);
    if (waiting > 0) await this.seal();
  }

  /** Batch after batch while they come full; called when something was just staged, so it needs no look first. */
  private async sealAll(): Promise<void> {
    this.takeToCome = true;
    try {
      while ((await this.db.rootTransaction((tx) => this.sealBatch(tx), undefined, { priority: 'first' })) === SEAL_BATCH);
      this.failures?.succeeded();
    } catch (err) {
      this.failedRuns++;
      auditSealFailures.inc();
      // The interval's look retries within SEAL_INTERVAL_MS.
      (this.failures ??= new FailureLog(new Logger('Audit'), 'sealing audit entries')).failed(err);
    }
  }

  /** One batch: the head locked (last rank), staged entries chained in staging order, the head moved. */
  private async sealBatch(tx: Tx): Promise<number> {
    this.takeToCome = false;
    const { head, staged } = await this.repo.lockHeadAndTake(tx, SEAL_BATCH);
    if (staged.length === 0) return 0;
    let seq = Number(head.seq);
    let prevHash = head.hash;
    const entries: AuditEntry[] = [];
    for (const row of staged) {
      for (const p of stagedEntries(row.entries)) {
        const entry = sealEntry({ seq: ++seq, at: row.at, ...p, prevHash });
        prevHash = entry.hash;
        entries.push(entry);
      }
    }
    // The round's last statement rides with its COMMIT: a round costs two round trips, not three.
    this.db.atCommit(tx, this.sealingRound, await this.repo.insertAllButLast(tx, entries, this.steps));
    return staged.length;
  }

  /** Oldest first, with the query's filters, a page at a time. */
  async list(q: AuditQuery): Promise<Page<AuditEntry>> {
    await this.sealIfPending();
    const rows = await this.repo.list(this.db.manager, auditFilter(q, afterCursor(q), q.limit + 1));
    return pageOf(rows.map(auditEntry), q.limit, (e) => e, (e) => [e.seq]);
  }

  /**
   * Recomputes the whole chain from the stored rows, in one snapshot. Callers at once share
   * a run that started after they asked (SharedRun): a verification reads every entry.
   */
  verify(): Promise<ChainReport> {
    return this.verification.run();
  }

  private async verifyChain(): Promise<ChainReport> {
    await this.sealIfPending();
    return this.db.snapshot(async (tx) => {
      const head = await this.repo.head(tx);
      const verifier = new ChainVerifier();
      let after = 0;
      for (;;) {
        const rows = await this.repo.after(tx, after, VERIFY_BATCH);
        for (let i = 0; i < rows.length; i++) {
          verifier.push({ ...auditEntry(rows[i]), at: storedAt(rows[i].at_stored) });
          // Hashing is synchronous: other requests get the event loop every few hundred entries, however large they are.
          if (i % VERIFY_YIELD_EVERY === VERIFY_YIELD_EVERY - 1) await new Promise<void>((resume) => setImmediate(resume));
        }
        if (rows.length < VERIFY_BATCH) break;
        after = Number(rows[rows.length - 1].seq);
      }
      return verifier.finish({ seq: Number(head.seq), hash: head.hash });
    });
  }

  /** How many entries one request (or one run of a script) wrote. */
  async countByRequest(requestId: string): Promise<number> {
    await this.sealIfPending();
    return this.repo.countByRequest(this.db.manager, requestId);
  }
}
