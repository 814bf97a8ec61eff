import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { dbRetries } from './db-metrics';
import { isRetryable, pgErrorCode } from './pg-error';
import { Tx } from './sql';

export type { Tx } from './sql';

interface TxState {
  hooks: Map<object, () => Promise<void>>;
  afterCommit: Map<object, () => Promise<void>>;
  buffers: Map<object, unknown[]>;
  memos: Map<object, Map<string, unknown>>;
}

const MAX_ATTEMPTS = 5;

/**
 * The transaction helper. A service calls `transaction()`; if the request already runs
 * inside one (an Idempotency-Key request stores its response in the same transaction as
 * its effect), the work joins it, so the effect and its replay record commit together.
 */
@Injectable()
export class Db {
  private readonly ambient = new AsyncLocalStorage<Tx>();
  private readonly state = new WeakMap<Tx, TxState>();

  constructor(readonly dataSource: DataSource) {}

  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const current = this.ambient.getStore();
    if (current) return work(current);
    return this.rootTransaction(work);
  }

  /** A new top-level transaction, retried on deadlock or serialization failure. */
  async rootTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const st: TxState = { hooks: new Map(), afterCommit: new Map(), buffers: new Map(), memos: new Map() };
      try {
        // READ COMMITTED is PostgreSQL's default: naming it would cost a SET TRANSACTION round trip.
        const result = await this.dataSource.transaction((tx) =>
          this.ambient.run(tx, async () => {
            this.state.set(tx, st);
            const value = await work(tx);
            await this.runBeforeCommit(tx);
            return value;
          }),
        );
        return await this.afterCommitted(st, result);
      } catch (err) {
        if (!isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err;
        dbRetries.inc({ code: pgErrorCode(err) ?? 'unknown' });
        // Jittered backoff, so the transactions that collided do not collide again at once.
        await new Promise((ok) => setTimeout(ok, Math.random() * 20 * attempt));
      }
    }
  }

  /** Outside the retry's reach: a committed transaction is never run again, whatever a hook does. */
  private afterCommitted<T>(st: TxState, result: T): Promise<T> {
    const hooks = [...st.afterCommit.values()];
    return (async () => {
      for (const hook of hooks) await hook().catch(() => undefined);
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
   * Runs `hook` once per owner, just before the transaction commits (after all its work).
   * Lets the audit log take its global lock only for the last moment of a transaction.
   */
  beforeCommit(tx: Tx, owner: object, hook: () => Promise<void>): void {
    const { hooks } = this.stateOf(tx);
    if (!hooks.has(owner)) hooks.set(owner, hook);
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

  /** Whether `tx` is a transaction this helper opened and has not finished. */
  isOpen(tx: Tx): boolean {
    return this.state.has(tx);
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

  /** Runs `work` under a savepoint; on error, rolls the database, the buffers and the memos back to it. */
  async savepoint<T>(tx: Tx, name: string, work: () => Promise<T>): Promise<T> {
    const { buffers, memos } = this.stateOf(tx);
    const marks = new Map([...buffers].map(([owner, values]) => [owner, values.length]));
    await tx.query(`SAVEPOINT ${name}`);
    try {
      return await work();
    } catch (err) {
      await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
      for (const [owner, values] of buffers) values.length = marks.get(owner) ?? 0;
      for (const memo of memos.values()) memo.clear();
      throw err;
    }
  }

  private async runBeforeCommit(tx: Tx): Promise<void> {
    const st = this.state.get(tx);
    for (const hook of st?.hooks.values() ?? []) await hook();
    this.state.delete(tx);
  }

  /** Plain reads: the ambient transaction when there is one, else the pool. */
  get manager(): Tx {
    return this.ambient.getStore() ?? this.dataSource.manager;
  }

  /** Reads in one consistent snapshot (REPEATABLE READ), apart from any business transaction. */
  async snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', work);
  }
}
