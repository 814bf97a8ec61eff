// Db is used here without Nest, whose ESM build jest cannot load: its decorators, inert, are all it needs of it.
jest.mock('@nestjs/common', () => ({ Injectable: () => () => undefined, Optional: () => () => undefined }));

import { DataSource } from 'typeorm';
import { Db, Tx } from '../../src/database/db.service';
import { eventually } from '../support/eventually';
import { later } from '../support/later';
import { standaloneDb } from './support/standalone-db';

const until = async (check: () => boolean | Promise<boolean>) => expect(await eventually(check, 5000, 10)).toBe(true);

/** Write transactions at the database at once per instance (DB_WRITE_CONCURRENCY, decision 0029). */
describe('the write gate (Db, DB_WRITE_CONCURRENCY)', () => {
  let dataSource: DataSource;
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, db, close } = await standaloneDb(8, { dbWriteConcurrency: 2 }));
    await dataSource.query('CREATE TABLE gated (id int PRIMARY KEY)');
  });
  afterAll(() => close());

  /** Backends of this database inside a transaction, the asking one aside. */
  const openTransactions = async (): Promise<number> =>
    Number((await dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`,
    ))[0].n);

  it('runs two write transactions at once; the others wait in the instance, with no BEGIN sent', async () => {
    const held = [1, 2, 3, 4, 5].map(() => later());
    const started: number[] = [];
    const runs = held.map((h, i) =>
      db.rootTransaction(async (tx: Tx) => {
        started.push(i);
        await tx.query('INSERT INTO gated (id) VALUES ($1)', [i]);
        await h.promise;
        return i;
      }),
    );
    await until(() => started.length === 2);
    await until(async () => (await openTransactions()) === 2);
    // Others wait at the gate: still two, a while later.
    await new Promise((ok) => setTimeout(ok, 100));
    expect(started).toEqual([0, 1]);
    expect(await openTransactions()).toBe(2);

    // Reads use the rest of the pool: a snapshot and a plain read are not held up.
    await expect(db.snapshot((tx) => tx.query('SELECT count(*)::int AS n FROM gated'))).resolves.toEqual([{ n: 0 }]);
    await expect(dataSource.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);

    held[0].settle();
    await until(() => started.length === 3);
    expect(started).toEqual([0, 1, 2]);
    held.forEach((h) => h.settle());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect((await dataSource.query('SELECT count(*)::int AS n FROM gated'))[0].n).toBe(5);
  });

  it('a transaction that fails gives its turn back', async () => {
    const failures = [1, 2, 3].map(() =>
      db.rootTransaction(async (tx: Tx) => {
        await tx.query('SELECT 1');
        throw new Error('refused');
      }),
    );
    for (const f of failures) await expect(f).rejects.toThrow('refused');
    await expect(db.rootTransaction((tx: Tx) => tx.query('SELECT 2 AS two'))).resolves.toEqual([{ two: 2 }]);
  });
});
