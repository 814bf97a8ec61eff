// Db is used here without Nest, whose ESM build jest cannot load: its decorators, inert, are all it needs of it.
jest.mock('@nestjs/common', () => ({ Injectable: () => () => undefined, Optional: () => () => undefined }));

import { register } from 'prom-client';
import { DataSource } from 'typeorm';
import { Db, Tx } from '../../src/database/db.service';
import { standaloneDb } from './support/standalone-db';

async function statementCount(): Promise<number> {
  const metric = await register.getSingleMetric('db_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

/** Writes at commit (Db.atCommit, decision 0027): what each owner collected, all in one statement. */
describe('writes at commit (Db.atCommit)', () => {
  let dataSource: DataSource;
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, db, close } = await standaloneDb(4));
    await dataSource.query('CREATE TABLE noted (owner text NOT NULL, value text NOT NULL)');
  });
  afterAll(() => close());

  /** An owner that collects values in the transaction's buffer and writes them at commit. */
  const owner = (name: string) => {
    const self = {
      note(tx: Tx, value: string) {
        const values = db.buffer<string>(tx, self);
        values.push(value);
        db.atCommit(tx, self, (param) =>
          values.length === 0 ? null : `INSERT INTO noted (owner, value) SELECT ${param(name)}, v FROM unnest(${param(values)}::text[]) AS v`,
        );
      },
    };
    return self;
  };
  const noted = async () =>
    (await dataSource.query('SELECT owner, value FROM noted ORDER BY owner, value')).map((r: { owner: string; value: string }) => `${r.owner}:${r.value}`);

  it("sends every owner's writes as one statement just before the commit, a rolled-back savepoint's share left out", async () => {
    const [a, b, c] = [owner('a'), owner('b'), owner('c')];
    const before = await statementCount();
    await db.rootTransaction(async (tx) => {
      a.note(tx, '1');
      b.note(tx, '2');
      await db
        .savepoint(tx, 'dropped', async () => {
          a.note(tx, 'x');
          c.note(tx, 'y');
          throw new Error('rolled back on purpose');
        })
        .catch(() => undefined);
      a.note(tx, '3');
      // Nothing is written before the commit.
      expect(await tx.query('SELECT count(*)::int AS n FROM noted')).toEqual([{ n: 0 }]);
    });
    // BEGIN, SAVEPOINT, ROLLBACK TO, the count, the one write (c's part is null), COMMIT.
    expect((await statementCount()) - before).toBe(6);
    expect(await noted()).toEqual(['a:1', 'a:3', 'b:2']);
  });

  it('writes nothing for a transaction that rolls back', async () => {
    await dataSource.query('TRUNCATE noted');
    const a = owner('a');
    await expect(
      db.rootTransaction(async (tx) => {
        a.note(tx, 'never');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await noted()).toEqual([]);
  });
});
