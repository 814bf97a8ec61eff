import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

export type Tx = EntityManager;

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected
const MAX_ATTEMPTS = 3;

/**
 * The transaction helper. A service calls `transaction()`; if the request already runs
 * inside one (an Idempotency-Key request stores its response in the same transaction as
 * its effect), the work joins it, so the effect and its replay record commit together.
 */
@Injectable()
export class Db {
  private readonly ambient = new AsyncLocalStorage<Tx>();

  constructor(readonly dataSource: DataSource) {}

  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const current = this.ambient.getStore();
    if (current) return work(current);
    return this.rootTransaction(work);
  }

  /** A new top-level transaction, retried on deadlock or serialization failure. */
  async rootTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction('READ COMMITTED', (tx) => this.ambient.run(tx, () => work(tx)));
      } catch (err: any) {
        const code = err?.driverError?.code ?? err?.code;
        if (!RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** Plain reads outside any transaction. */
  get manager(): EntityManager {
    return this.ambient.getStore() ?? this.dataSource.manager;
  }

  async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.manager.query(sql, params);
  }
}
