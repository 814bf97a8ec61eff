import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { bindContext } from '../common/context/bind-context';
import { currentTransaction, runInTransaction } from '../common/context/request-context';
import { stageEnded } from '../common/metrics/request-stages';
import { AppConfig } from '../config/app-config';
import { DEFAULT_WRITE_CONCURRENCY } from '../config/env.schema';
import { dbGrouped, dbRetries } from './db-metrics';
import { isRetryable, PG, pgErrorCode, TransientConflict } from './pg-error';
import { Ahead, firstFailure, firstFailureAt, sendControl, sentSoFar, settle, tracked } from './pipeline';
import { Param, Tx } from './sql';
import { BATCH_LOCK_TIMEOUT_MS, BatchPrelude, GroupRef, Member, TransactionGroups } from './transaction-groups';
import { CONNECT_TIMEOUT_MS, GatePriority, WriteGate } from './write-gate';

export type { Tx } from './sql';

/**
 * A write that waits for the commit: SQL built from what the transaction collected by then,
 * or null when there is nothing to write (it must then number no parameter).
 */
export type CommitWrite = (param: Param) => string | null;

interface TxState {
  /** Whether other work shares the transaction (a batch's members, decision 0026). */
  shared: boolean;
  writes: Map<object, CommitWrite>;
  afterCommit: Map<object, () => Promise<void>>;
  buffers: Map<object, unknown[]>;
  memos: Map<object, Map<string, unknown>>;
  /** What memory the work changed must undo should its part roll back, oldest first (Db.onRollback). */
  undos: (() => void)[];
  /** In a batch: the member running, and the savepoints of those that ran without waiting (decision 0041). */
  member: number;
  checkpoints: Checkpoint[];
  savepoints: number;
  /** How PostgreSQL answered the transaction's COMMIT, once it has: ROLLBACK when a statement before it had failed. */
  ended?: string;
}

/**
 * Where a batch member's work began, kept once the work is done without having waited for
 * what it sent ahead: should one of those statements fail, the batch rolls back to here.
 */
interface Checkpoint {
  name: string;
  member: number;
  /** `sentSoFar` when the member began: the statements it sent ahead are those from here. */
  from: number;
  marks: Map<object, number>;
  /** How many undos the transaction held when the member began. */
  undos: number;
}

/**
 * A batch member's work failed behind a statement an earlier member sent ahead, which no
 * one waited for: its failure is that statement's consequence. The batch unwinds to the
 * member that sent it (Db.batch).
 */
class EarlierMemberFailed extends Error {
  constructor(readonly failure: unknown, readonly seq: number) {
    super('a statement an earlier member of the batch sent ahead failed');
  }
}

const MAX_ATTEMPTS = 5;

/**
 * How long a group's batches take their answers before their commit once one of its
 * hopeful batches failed (decision 0046): a client sending orders it cannot pay for makes
 * at most one batch a second run twice.
 */
export const CAREFUL_AFTER_FAILURE_MS = 1000;

export interface TransactionOptions {
  /**
   * The work guards itself: where the transaction is shared (Db.shared), its first statement
   * is a member's savepoint (Db.savepoint with `member`) that covers all it does, so a
   * batch need not take one of its own for it: one round trip less per member.
   */
  guarded?: boolean;
  /** Ahead of the others queued at the write gate (decision 0029); for the sealing round. */
  priority?: GatePriority;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown } | { again: true };

/**
 * The transaction helper. A service calls `transaction()`; if the request already runs
 * inside one (an Idempotency-Key request stores its response in the same transaction as
 * its effect), the work joins it, so the effect and its replay record commit together.
 */
@Injectable()
export class Db {
  private readonly state = new WeakMap<Tx, TxState>();
  private readonly groups = new TransactionGroups<Tx>(
    (member) => {
      dbGrouped.inc({ how: 'alone' });
      // The group's turn ends at the commit; the after-commit hooks (the audit sealing
      // round) run beside the next turn, and the member is answered once they are done.
      const committed = this.committed(member.work);
      committed.then(([value, st]) => this.afterCommitted(st, value)).then(member.resolve, member.reject);
      return committed.catch(() => undefined);
    },
    (members, group, prelude) => {
      dbGrouped.inc({ how: 'batched' }, members.length);
      return this.batch(members, this.hopeful(group), prelude);
    },
  );

  private readonly gate: WriteGate;
  /** Per group: until when its batches take their answers before the commit, since one of its hopeful batches failed (decision 0046). */
  private readonly carefulUntil = new Map<string, number>();

  constructor(
    readonly dataSource: DataSource,
    @Optional() config?: AppConfig,
  ) {
    this.gate = new WriteGate(config?.dbWriteConcurrency ?? DEFAULT_WRITE_CONCURRENCY, CONNECT_TIMEOUT_MS);
  }

  /** Joins the request's transaction if it runs in one; else a new one, of `group` if given (see rootTransaction). */
  async transaction<T>(work: (tx: Tx) => Promise<T>, group?: GroupRef): Promise<T> {
    const current = currentTransaction<Tx>(this);
    if (current) return work(current);
    return this.rootTransaction(work, group);
  }

  /**
   * A new top-level transaction, retried on deadlock or serialization failure. With a
   * `group` (a market's placements), it takes its turn in the group: alone, or, when several
   * of the group's transactions queued in this instance, in a batch that shares one
   * transaction and one commit, each member under its own savepoint (decision 0026), or
   * under the one it opens itself when `guarded` (decision 0027).
   */
  rootTransaction<T>(work: (tx: Tx) => Promise<T>, group?: GroupRef, options: TransactionOptions = {}): Promise<T> {
    if (group === undefined) return this.alone(work, options.priority);
    return new Promise<T>((resolve, reject) => {
      // A member runs in the async context of the request that queued it (its request id).
      const bound = bindContext((tx: Tx) => runInTransaction(this, tx, () => work(tx)));
      this.groups.push(group, { work: bound, guarded: options.guarded, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private eachAlone(members: Member<Tx>[]): Promise<unknown> {
    return Promise.all(members.map((m) => this.alone(m.work).then(m.resolve, m.reject)));
  }

  /**
   * The members in one transaction, each under a savepoint: one that fails rolls back alone
   * and gets its own error; one that met a deadlock or a lock it could not wait for runs
   * again alone after the commit, beside the group's next turn. Each is answered only once
   * the batch (or its own run) has committed.
   *
   * A member's savepoint does not wait for what its work sent ahead (decision 0041), so the
   * next member runs on at once. A hopeful batch (decision 0046) sends its COMMIT behind
   * them; should one have failed, the COMMIT is answered ROLLBACK and the members run again
   * in a careful batch, which takes all their answers before its commit. Should one have
   * failed there, the batch rolls back to the savepoint of the member that sent it; that
   * member runs again alone after the commit, where its error is its own, and the members
   * after it, which failed only behind it, run again in the batch (once; a second time they
   * too run alone).
   *
   * The group's prelude, when its members have two keys or more, runs first, before any
   * member's savepoint: a batch of several markets' placements locks them in one statement
   * (decision 0050).
   */
  private async batch(members: Member<Tx>[], hopefulGroup: string | null, prelude?: BatchPrelude): Promise<void> {
    const hopeful = hopefulGroup !== null;
    const outcomes: Outcome[] = members.map(() => ({ again: true }));
    const st = this.newState(true);
    try {
      await this.gate.run(() => this.inTransaction((tx) =>
        runInTransaction(this, tx, async () => {
          this.state.set(tx, st);
          // Before the first member's savepoint, so no member's rollback undoes it.
          const keys = [...new Set(members.flatMap((m) => (m.key === undefined ? [] : [m.key])))];
          if (prelude && keys.length > 1) await prelude(tx, keys);
          const controls: Ahead[] = [];
          const queue = members.map((_, i) => i);
          const ranAgain = new Set<number>();
          let started = 0;
          // The members in the order they ran: those after a checkpoint ran behind its statements.
          const runs: number[] = [];
          const unwind = async (failure: unknown, seq: number) => {
            const at = st.checkpoints.findLastIndex((c) => c.from <= seq);
            if (at < 0) throw failure;
            const [checkpoint] = st.checkpoints.splice(at);
            const ran = runs.lastIndexOf(checkpoint.member);
            if (ran < 0) throw failure;
            await tx.query(`ROLLBACK TO SAVEPOINT ${checkpoint.name}`);
            for (const [owner, values] of st.buffers) values.length = checkpoint.marks.get(owner) ?? 0;
            for (const memo of st.memos.values()) memo.clear();
            undoTo(st, checkpoint.undos);
            outcomes[checkpoint.member] = { again: true };
            const behind = [...new Set(runs.splice(ran).slice(1))];
            for (const m of behind) outcomes[m] = { again: true };
            const toRun = behind.filter((m) => !ranAgain.has(m));
            toRun.forEach((m) => ranAgain.add(m));
            queue.unshift(...toRun);
            // The rollback undid a lock_timeout set after that savepoint.
            controls.push(await sendControl(tx, `SET LOCAL lock_timeout = '${BATCH_LOCK_TIMEOUT_MS}ms'`));
          };
          for (;;) {
            for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
              // Until the first member has run, the batch holds nothing another could wait for.
              if (started++ === 1) controls.push(await sendControl(tx, `SET LOCAL lock_timeout = '${BATCH_LOCK_TIMEOUT_MS}ms'`));
              const member = members[i];
              st.member = i;
              runs.push(i);
              try {
                const value = member.guarded ? await member.work(tx) : await this.savepoint(tx, 'batch_member', () => member.work(tx), { member: true });
                outcomes[i] = { ok: true, value };
              } catch (err) {
                if (err instanceof EarlierMemberFailed) await unwind(err.failure, err.seq);
                else outcomes[i] = isRetryable(err) || pgErrorCode(err) === PG.LOCK_NOT_AVAILABLE ? { again: true } : { ok: false, err };
              }
            }
            // A hopeful batch leaves the answers to its commit (decision 0046).
            if (hopeful) break;
            // What the members sent ahead and no one waited for.
            const failure = await firstFailureAt(tx);
            if (failure === null) break;
            await unwind(failure.err, failure.seq);
          }
          // One sent before a rollback was undone by it, or failed behind what it undid; the last one stands.
          if (!hopeful) await controls.at(-1)?.done();
        }),
      ));
    } catch (err) {
      // A statement a hopeful batch sent ahead failed, and PostgreSQL answered its COMMIT
      // with ROLLBACK: the members run again, in a batch that takes the answers first.
      if (hopeful && st.ended === 'ROLLBACK') {
        dbGrouped.inc({ how: 'careful' }, members.length);
        this.carefulUntil.set(hopefulGroup, performance.now() + CAREFUL_AFTER_FAILURE_MS);
        return this.batch(members, null, prelude);
      }
      // Nothing of the batch committed. What may succeed when run again runs alone; after a
      // commit whose outcome is unknown (the connection lost), nothing is run again.
      if (isRetryable(err)) await this.eachAlone(members);
      else members.forEach((m) => m.reject(err));
      return;
    }
    // The turn ends here: the after-commit hooks run beside the group's next turn.
    void this.afterCommitted(st, undefined).then(() => this.answer(members, outcomes));
  }

  /**
   * The group, when its next batch may send its COMMIT without taking its members' answers
   * first (decision 0046); null while it is careful after a failure.
   */
  private hopeful(group: string): string | null {
    const until = this.carefulUntil.get(group);
    if (until === undefined) return group;
    if (performance.now() < until) return null;
    this.carefulUntil.delete(group);
    return group;
  }

  private answer(members: Member<Tx>[], outcomes: Outcome[]): void {
    const again = members.filter((m, i) => {
      const outcome = outcomes[i];
      if ('again' in outcome) return true;
      if (outcome.ok) m.resolve(outcome.value);
      else m.reject(outcome.err);
      return false;
    });
    dbGrouped.inc({ how: 'again' }, again.length);
    // Outside the group's turns: a member run again may wait for a lock of another market's
    // batch, and the next batch of its own market should not wait with it.
    void this.eachAlone(again);
  }

  private newState(shared = false): TxState {
    return { shared, writes: new Map(), afterCommit: new Map(), buffers: new Map(), memos: new Map(), undos: [], member: 0, checkpoints: [], savepoints: 0 };
  }

  private async alone<T>(work: (tx: Tx) => Promise<T>, priority?: GatePriority): Promise<T> {
    const [value, st] = await this.committed(work, priority);
    return this.afterCommitted(st, value);
  }

  /** The work in its own transaction, retried, up to its commit; its after-commit hooks not yet run. */
  private async committed<T>(work: (tx: Tx) => Promise<T>, priority?: GatePriority): Promise<[T, TxState]> {
    for (let attempt = 1; ; attempt++) {
      const st = this.newState();
      try {
        // READ COMMITTED is PostgreSQL's default: naming it would cost a SET TRANSACTION round trip.
        // Each attempt queues at the gate anew: a retry's wait (below) holds no turn.
        const result = await this.gate.run(() => this.inTransaction((tx) =>
          runInTransaction(this, tx, () => {
            this.state.set(tx, st);
            return work(tx);
          }),
        ), priority);
        return [result, st];
      } catch (err) {
        if (!isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err;
        dbRetries.inc({ code: err instanceof TransientConflict ? err.retryCode : (pgErrorCode(err) ?? 'unknown') });
        // A transient conflict waits for the work it met, outside any transaction: that work
        // may take longer than all the backoffs. Others back off, jittered, so the
        // transactions that collided do not collide again at once.
        if (err instanceof TransientConflict && err.settled) await err.settled();
        else await new Promise((ok) => setTimeout(ok, Math.random() * 20 * attempt));
      }
    }
  }

  /** Outside the retry's reach: a committed transaction is never run again, whatever a hook does. */
  private afterCommitted<T>(st: TxState, result: T): Promise<T> {
    const hooks = [...st.afterCommit.values()];
    if (hooks.length === 0) return Promise.resolve(result);
    const startedAt = performance.now();
    return (async () => {
      for (const hook of hooks) await hook().catch(() => undefined);
      stageEnded('after_commit', startedAt);
      return result;
    })();
  }

  private stateOf(tx: Tx): TxState {
    const st = this.state.get(tx);
    // Work that must commit with its transaction cannot ride on one this helper did not open.
    if (!st) throw new Error('no open Db transaction for this manager; use Db.transaction()');
    return st;
  }

  /**
   * Writes, once per owner, what the owner collected in the transaction's buffers, just
   * before the transaction commits (after all its work). The writes of all owners go as
   * one statement, each a part of it (decision 0027): the audit staging, the stored
   * responses and a batch's market counters cost one round trip together. The parts see
   * the same snapshot, so none may depend on another's rows.
   */
  atCommit(tx: Tx, owner: object, write: CommitWrite): void {
    const { writes } = this.stateOf(tx);
    if (!writes.has(owner)) writes.set(owner, write);
  }

  /**
   * Runs `hook` once per owner after the transaction committed, outside it, before the
   * caller gets its result (the audit sealer chains what the transaction staged). A hook
   * must not throw: what it follows is already committed.
   */
  afterCommit(tx: Tx, owner: object, hook: () => Promise<void>): void {
    const { afterCommit } = this.stateOf(tx);
    if (!afterCommit.has(owner)) afterCommit.set(owner, hook);
  }

  /**
   * Whether other work shares `tx` (a batch of a group's transactions, decision 0026). Only
   * then need a work that may fail undo its share under a savepoint: alone, its failure
   * rolls the whole transaction back, which costs no round trip while it succeeds.
   */
  shared(tx: Tx): boolean {
    return this.state.get(tx)?.shared ?? false;
  }

  /** Whether `tx` is a transaction this helper opened and has not finished. */
  isOpen(tx: Tx): boolean {
    return this.state.has(tx);
  }

  /**
   * Memory that follows the transaction's writes (a market's book in this instance) is put
   * back by `undo` should the work that changed it roll back: the savepoint it ran under,
   * a batch member unwound, or the whole transaction. Undos run newest first, before the
   * rollback's caller goes on, and must not throw. Outside a Db transaction there is
   * nothing to undo.
   */
  onRollback(tx: Tx, undo: () => void): void {
    this.state.get(tx)?.undos.push(undo);
  }

  /** Values an owner collects during a transaction; a rolled-back savepoint drops its share. */
  buffer<T>(tx: Tx, owner: object): T[] {
    const { buffers } = this.stateOf(tx);
    if (!buffers.has(owner)) buffers.set(owner, []);
    return buffers.get(owner) as T[];
  }

  /**
   * Rows an owner read in this transaction and may read again, by key: rows the transaction
   * holds locked, or rows nothing changes while a trade is under way (participants, the
   * region tree). Saves the second round trip, which is most of what repeated checks cost.
   * Outside a Db transaction it remembers nothing; a rolled-back savepoint forgets it all.
   */
  memo<V>(tx: Tx, owner: object): Map<string, V> {
    const st = this.state.get(tx);
    if (!st) return new Map();
    if (!st.memos.has(owner)) st.memos.set(owner, new Map());
    return st.memos.get(owner) as Map<string, V>;
  }

  /**
   * Runs `work` under a savepoint; on error, rolls the database, the buffers and the memos back to it.
   *
   * `member`: the savepoint covers a batch member's whole work. In a batch it does not wait
   * for what the work sent ahead (decision 0041): it is kept as the member's checkpoint, and
   * the batch takes those answers before it commits (Db.batch). Elsewhere it is a savepoint
   * like any other.
   */
  async savepoint<T>(tx: Tx, name: string, work: () => Promise<T>, options: { member?: boolean } = {}): Promise<T> {
    const st = this.stateOf(tx);
    const { buffers, memos } = st;
    const marks = new Map([...buffers].map(([owner, values]) => [owner, values.length]));
    const undos = st.undos.length;
    const deferred = options.member === true && st.shared;
    // Named apart in a batch: a rollback to a member's checkpoint must find that one.
    const savepoint = st.shared ? `${name}_${st.savepoints++}` : name;
    const from = sentSoFar(tx);
    // Ahead of the work's first statement (decision 0031); should it fail, so does the work.
    const taken = await sendControl(tx, `SAVEPOINT ${savepoint}`);
    try {
      const value = await work();
      if (deferred) {
        st.checkpoints.push({ name: savepoint, member: st.member, from, marks, undos });
        return value;
      }
      await taken.done();
      await settle(tx);
      return value;
    } catch (thrown) {
      // A statement sent ahead that failed is the cause of any error after it. In a batch it
      // may be one an earlier member sent: the batch unwinds to that member.
      const failure = await firstFailureAt(tx);
      if (st.shared && failure !== null && failure.seq < from) throw new EarlierMemberFailed(failure.err, failure.seq);
      await taken.done();
      await tx.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      for (const [owner, values] of buffers) values.length = marks.get(owner) ?? 0;
      for (const memo of memos.values()) memo.clear();
      undoTo(st, undos);
      throw failure?.err ?? thrown;
    }
  }

  /**
   * A transaction on a connection of its own (decision 0031): BEGIN goes ahead of the work's
   * first statement, and the writes collected for the commit (atCommit) go ahead of COMMIT,
   * so neither costs a round trip. A write that fails makes PostgreSQL answer the COMMIT
   * behind it with ROLLBACK, and its error is the transaction's. Whatever fails, the
   * transaction is rolled back before the connection goes back to the pool.
   */
  private async inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const tx = runner.manager;
      return await tracked(tx, () => this.committing(tx, work));
    } finally {
      await runner.release();
    }
  }

  private async committing<T>(tx: Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
    let st: TxState | undefined;
    let committed: Ahead | undefined;
    try {
      const begun = await sendControl(tx, 'BEGIN');
      const value = await work(tx);
      st = this.state.get(tx);
      // What the work sent ahead is not waited for: should any of it have failed, PostgreSQL
      // answers the COMMIT behind it with ROLLBACK, and that statement's error is the cause.
      // Nor is BEGIN's answer: the COMMIT leaves in the same write as the work's last statements.
      const written = await this.sendBeforeCommit(tx);
      committed = await sendControl(tx, 'COMMIT');
      await begun.done();
      await written?.done();
      if ((await committed.done()).command === 'ROLLBACK') throw new Error('COMMIT was answered with ROLLBACK');
      return value;
    } catch (err) {
      // What the work changed in memory follows its writes back (Db.onRollback).
      const undone = st ?? this.state.get(tx);
      if (undone) undoTo(undone, 0);
      // Known only where the COMMIT was answered: after a lost connection its outcome is not.
      if (st && committed) st.ended = await committed.done().then((a) => a.command, () => undefined);
      // A statement sent ahead that failed is the cause of any error after it.
      const cause = (await firstFailure(tx)) ?? err;
      await tx.query('ROLLBACK').catch(() => undefined);
      throw cause;
    }
  }

  /** Sends what the transaction's owners collected for its commit (atCommit), as one statement; null when there is none. */
  private async sendBeforeCommit(tx: Tx): Promise<Ahead | null> {
    const st = this.state.get(tx);
    const params: unknown[] = [];
    const param: Param = (value) => `$${params.push(value)}`;
    // The writes read their owners' buffers of this transaction while they are built.
    const parts = st ? [...st.writes.values()].map((write) => write(param)).filter((sql) => sql !== null) : [];
    this.state.delete(tx);
    if (parts.length === 0) return null;
    // Data-modifying parts of a WITH run whether or not the statement reads them.
    return sendControl(tx, parts.length === 1 ? parts[0] : `WITH ${parts.map((sql, i) => `w${i} AS (${sql})`).join(', ')} SELECT 1`, params);
  }

  /** Plain reads: the ambient transaction when there is one, else the pool. */
  get manager(): Tx {
    return currentTransaction<Tx>(this) ?? this.dataSource.manager;
  }

  /** Reads in one consistent snapshot (REPEATABLE READ), apart from any business transaction. */
  async snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', work);
  }
}

/** Runs the transaction's undos newest first down to `mark`, and forgets them. */
function undoTo(st: TxState, mark: number): void {
  while (st.undos.length > mark) {
    const undo = st.undos.pop()!;
    try {
      undo();
    } catch {
      // An undo repairs a cache; should it fail, the cache's own checks against the database remain.
    }
  }
}
