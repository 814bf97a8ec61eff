import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../src/database/data-source';
import { Tx } from '../../../src/database/sql';
import { databaseUrl, withAdminClient } from '../../e2e/support/test-database';

export const REPO_TEMPLATE_PREFIX = 'wrx_rtpl_';

/** Databases of one run share a prefix, so its teardown drops its own and no other run's. */
export const repoDatabasePrefix = (template: string) => `wrx_r_${template.slice(REPO_TEMPLATE_PREFIX.length)}_`;

export interface RepoDatabase {
  dataSource: DataSource;
  /** Runs `work` in a READ COMMITTED transaction, as the service's Db helper does; commits unless it throws. */
  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** The pool, for reads outside a transaction. */
  pool: Tx;
  close(): Promise<void>;
}

/** A fresh database cloned from the migrated template, and a TypeORM pool on it: no Nest, no service. */
export async function openRepoDatabase(): Promise<RepoDatabase> {
  const adminUrl = process.env.WRX_REPO_ADMIN_URL;
  const template = process.env.WRX_REPO_TEMPLATE;
  if (!adminUrl || !template) throw new Error('repository tier global setup did not run (WRX_REPO_ADMIN_URL / WRX_REPO_TEMPLATE unset)');
  const name = `${repoDatabasePrefix(template)}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(adminUrl, name), { poolSize: 8 }));
  await dataSource.initialize();
  return {
    dataSource,
    tx: (work) => dataSource.transaction('READ COMMITTED', work),
    pool: dataSource.manager,
    close: async () => {
      await dataSource.destroy();
      await withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** The SQLSTATE a promise rejects with (e.g. '23514' for a CHECK violation), or 'resolved'. */
export async function sqlState(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'resolved';
  } catch (err) {
    const e = err as { driverError?: { code?: string }; code?: string };
    return e.driverError?.code ?? e.code ?? String(err);
  }
}

/**
 * Whether `work` waits on a row lock another transaction holds: it runs with a short
 * lock_timeout and reports '55P03' (lock_not_available) when blocked.
 */
export async function blocksOn(db: RepoDatabase, work: (tx: Tx) => Promise<unknown>): Promise<boolean> {
  const state = await sqlState(db.tx(async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = '150ms'`);
    await work(tx);
  }));
  if (state !== 'resolved' && state !== '55P03') throw new Error(`expected a lock wait or success, got ${state}`);
  return state === '55P03';
}

/**
 * Holds a transaction open until `release()` is called: for a test that needs one
 * transaction to keep its locks while another tries to take them.
 */
export function holdOpen<T>(db: RepoDatabase, work: (tx: Tx) => Promise<T>): { ready: Promise<T>; release: (commit?: boolean) => Promise<void> } {
  let open!: (commit: boolean) => void;
  const gate = new Promise<boolean>((ok) => (open = ok));
  let ready!: (value: T) => void;
  let failed!: (err: unknown) => void;
  const readyPromise = new Promise<T>((ok, fail) => {
    ready = ok;
    failed = fail;
  });
  const ROLLBACK = new Error('rolled back on purpose');
  const done = db
    .tx(async (tx) => {
      ready(await work(tx));
      if (!(await gate)) throw ROLLBACK;
    })
    .then(
      () => undefined,
      (err: unknown) => {
        failed(err);
        if (err !== ROLLBACK) throw err;
      },
    );
  return {
    ready: readyPromise,
    release: async (commit = true) => {
      open(commit);
      await done;
    },
  };
}

/** Resolves once some transaction on this database waits on a lock: the moment to let the holder go. */
export async function untilOneWaits(db: RepoDatabase): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [row] = await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (row.n > 0) return;
    await new Promise((ok) => setTimeout(ok, 10));
  }
  throw new Error('no transaction came to wait on a lock');
}
