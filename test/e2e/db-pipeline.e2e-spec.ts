// Db is used here without Nest, whose ESM build jest cannot load: its decorators, inert, are all it needs of it.
jest.mock('@nestjs/common', () => ({ Injectable: () => () => undefined, Optional: () => () => undefined }));

import { QueryFailedError } from 'typeorm';
import { Db, Tx } from '../../src/database/db.service';
import { sendAhead } from '../../src/database/pipeline';
import { recordingDb, roundTrips } from './support/recording-db';
import { createTestDatabase } from './support/test-database';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

/** Pipeline mode (decision 0031): statements whose answers nothing waits for share a round trip with the next. */
describe('statements sent ahead (pipeline mode)', () => {
  let database: TestDatabase;
  let pipelined: Awaited<ReturnType<typeof recordingDb>>;
  let waiting: Awaited<ReturnType<typeof recordingDb>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    pipelined = await recordingDb(database.url, true);
    waiting = await recordingDb(database.url, false);
    await pipelined.dataSource.query('CREATE TABLE noted (value text PRIMARY KEY CHECK (value <> $$refused$$))');
  });
  afterAll(async () => {
    await pipelined.dataSource.destroy();
    await waiting.dataSource.destroy();
    await database.drop();
  });

  /** A transaction with a savepoint, one statement in it, and a value written at commit. */
  const noteOne = (db: Db, value: string) => {
    const owner = {};
    return db.rootTransaction(async (tx: Tx) => {
      await db.savepoint(tx, 'member', async () => {
        await tx.query('SELECT 1');
        db.atCommit(tx, owner, (param) => `INSERT INTO noted (value) VALUES (${param(value)})`);
      });
    });
  };
  const noted = async () => (await pipelined.dataSource.query('SELECT value FROM noted ORDER BY value')).map((r: { value: string }) => r.value);

  /** `noteOne` on one of the two Dbs: what it sent, in how many round trips and socket writes. */
  const measured = async (recording: Awaited<ReturnType<typeof recordingDb>>, value: string) => {
    recording.sent.length = 0;
    const [trips, writes] = [await roundTrips(), recording.socketWrites.count];
    await noteOne(recording.db, value);
    return { sent: [...recording.sent], roundTrips: (await roundTrips()) - trips, socketWrites: recording.socketWrites.count - writes };
  };

  it('BEGIN and SAVEPOINT go ahead of the first statement, and the commit write ahead of COMMIT', async () => {
    const run = await measured(pipelined, 'a');
    // BEGIN, SAVEPOINT and SELECT in one round trip and one socket write; the commit write and COMMIT in another.
    expect(run.roundTrips).toBe(2);
    expect(run.socketWrites).toBe(2);
    expect(run.sent).toEqual([
      { sql: 'BEGIN', unanswered: 0 },
      { sql: 'SAVEPOINT member', unanswered: 1 },
      { sql: 'SELECT 1', unanswered: 2 },
      { sql: 'INSERT INTO', unanswered: 0 },
      { sql: 'COMMIT', unanswered: 1 },
    ]);
    expect(await noted()).toContain('a');
  });

  it('without pipeline mode the same transaction waits for every answer, and means the same', async () => {
    const run = await measured(waiting, 'b');
    expect(run.roundTrips).toBe(5);
    expect(run.socketWrites).toBe(5);
    expect(run.sent.map((s) => s.sql)).toEqual(['BEGIN', 'SAVEPOINT member', 'SELECT 1', 'INSERT INTO', 'COMMIT']);
    expect(run.sent.every((s) => s.unanswered === 0)).toBe(true);
    expect(await noted()).toContain('b');
  });

  it.each([
    ['pipelined', () => pipelined],
    ['waiting', () => waiting],
  ])('%s: a commit write that fails is the error of the transaction, and nothing of it stays', async (_, which) => {
    const { db } = which();
    const owner = {};
    const attempt = db.rootTransaction(async (tx: Tx) => {
      await tx.query(`INSERT INTO noted (value) VALUES ('kept only with the commit')`);
      db.atCommit(tx, owner, (param) => `INSERT INTO noted (value) VALUES (${param('refused')})`);
    });
    await expect(attempt).rejects.toMatchObject({ code: '23514' });
    await expect(attempt).rejects.toBeInstanceOf(QueryFailedError);
    expect(await noted()).not.toContain('kept only with the commit');
    // The connection went back to the pool usable, outside any transaction.
    await noteOne(db, `after-${_}`);
    expect(await noted()).toContain(`after-${_}`);
  });

  it('a statement sent ahead that fails is reported in place of the "transaction is aborted" that follows it', async () => {
    const attempt = pipelined.db.rootTransaction(async (tx: Tx) => {
      await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['refused']);
      await tx.query(`INSERT INTO noted (value) VALUES ('after the refused one')`);
    });
    await expect(attempt).rejects.toMatchObject({ code: '23514' });
    // It reads as an error of a statement TypeORM sent would: the problem mapping sees no difference.
    await expect(attempt).rejects.toBeInstanceOf(QueryFailedError);
    expect(await noted()).not.toContain('after the refused one');
  });

  it('a savepoint or a commit waits for what was sent ahead: one that fails, with nothing after it, still fails its work', async () => {
    await pipelined.db.rootTransaction(async (tx: Tx) => {
      await tx.query(`INSERT INTO noted (value) VALUES ('kept')`);
      const inner = pipelined.db.savepoint(tx, 'ahead', async () => {
        await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['dropped']);
        await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['refused']);
      });
      await expect(inner).rejects.toMatchObject({ code: '23514' });
      // Rolled back to the savepoint only: the transaction goes on.
      await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['sent ahead, committed']);
    });
    await expect(pipelined.db.rootTransaction(async (tx: Tx) => {
      await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['refused']);
    })).rejects.toMatchObject({ code: '23514' });
    const values = await noted();
    expect(values).toEqual(expect.arrayContaining(['kept', 'sent ahead, committed']));
    expect(values).not.toContain('dropped');
  });

  it('a savepoint whose statement sent ahead fails, with more sent behind it, fails with that statement\'s error', async () => {
    await pipelined.db.rootTransaction(async (tx: Tx) => {
      const inner = pipelined.db.savepoint(tx, 'behind', async () => {
        await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['refused']);
        // Refused in its turn with "current transaction is aborted" (25P02): only the consequence.
        await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['behind the refused one']);
      });
      await expect(inner).rejects.toMatchObject({ code: '23514' });
    });
    expect(await noted()).not.toContain('behind the refused one');
  });

  it('a transaction does not wait for what it sent ahead before its commit: the commit write and COMMIT leave right behind it', async () => {
    pipelined.sent.length = 0;
    const trips = await roundTrips();
    const owner = {};
    await pipelined.db.rootTransaction(async (tx: Tx) => {
      await tx.query('SELECT 1');
      await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['sent ahead, last']);
      pipelined.db.atCommit(tx, owner, (param) => `INSERT INTO noted (value) VALUES (${param('written at the commit')})`);
    });
    // BEGIN with the SELECT; then the insert, the commit write and COMMIT together.
    expect((await roundTrips()) - trips).toBe(2);
    expect(pipelined.sent).toEqual([
      { sql: 'BEGIN', unanswered: 0 },
      { sql: 'SELECT 1', unanswered: 1 },
      { sql: 'INSERT INTO', unanswered: 0 },
      { sql: 'INSERT INTO', unanswered: 1 },
      { sql: 'COMMIT', unanswered: 2 },
    ]);
    expect(await noted()).toEqual(expect.arrayContaining(['sent ahead, last', 'written at the commit']));
  });

  it('a statement sent ahead that fails with the commit right behind it is the transaction\'s error, and nothing of the transaction stays', async () => {
    const owner = {};
    const attempt = pipelined.db.rootTransaction(async (tx: Tx) => {
      await tx.query(`INSERT INTO noted (value) VALUES ('before the refused one')`);
      await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['refused']);
      await sendAhead(tx, 'INSERT INTO noted (value) VALUES ($1)', ['after the refused one, too']);
      pipelined.db.atCommit(tx, owner, (param) => `INSERT INTO noted (value) VALUES (${param('at the refused commit')})`);
    });
    await expect(attempt).rejects.toMatchObject({ code: '23514' });
    await expect(attempt).rejects.toBeInstanceOf(QueryFailedError);
    const values = await noted();
    for (const value of ['before the refused one', 'after the refused one, too', 'at the refused commit']) expect(values).not.toContain(value);
  });

  it('a savepoint sent ahead still bounds what its failing work undoes', async () => {
    await pipelined.db.rootTransaction(async (tx: Tx) => {
      await tx.query(`INSERT INTO noted (value) VALUES ('outer')`);
      await expect(pipelined.db.savepoint(tx, 'failing', async () => {
        await tx.query(`INSERT INTO noted (value) VALUES ('inner')`);
        await tx.query(`INSERT INTO noted (value) VALUES ('refused')`);
      })).rejects.toMatchObject({ code: '23514' });
    });
    const values = await noted();
    expect(values).toContain('outer');
    expect(values).not.toContain('inner');
  });
});
