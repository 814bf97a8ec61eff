import { register } from 'prom-client';
import { PIPELINE_MODE } from '../../src/database/pipeline';
import { PreparingClient } from '../../src/database/prepared-client';
import { SkippedStatement } from '../../src/database/statement-groups';
import { openRepoDatabase, RepoDatabase } from './support/repo-database';

/** Syncs written so far by this process (db_syncs_total). */
const syncs = async () => (await register.getSingleMetric('db_syncs_total')!.get()).values[0]?.value ?? 0;

/**
 * Statements of a transaction block written in one turn of the event loop share one Sync
 * (decision 0047): PostgreSQL answers them together, and each caller still gets its own
 * answer, or its own error.
 */
describe('statements grouped behind one Sync (StatementGroup)', () => {
  let db: RepoDatabase;
  let client: PreparingClient;
  let syncsWritten: number;

  const open = async (prepareStatements = true) => {
    const c = new PreparingClient({ connectionString: (db.dataSource.options as { url: string }).url, ...PIPELINE_MODE, prepareStatements });
    await c.connect();
    // The Sync messages the client writes, whoever writes them.
    const connection = (c as unknown as { connection: { sync: () => void } }).connection;
    const sync = connection.sync.bind(connection);
    connection.sync = () => {
      syncsWritten++;
      sync();
    };
    await c.query('CREATE TEMP TABLE t (n int PRIMARY KEY, label text)');
    return c;
  };
  const rows = async (sql: string) => (await client.query(sql)).rows;

  beforeAll(async () => {
    db = await openRepoDatabase();
  });
  beforeEach(async () => {
    client = await open();
    syncsWritten = 0;
  });
  afterEach(async () => {
    await client.end();
  });
  afterAll(async () => {
    await db.close();
  });

  it('writes the statements of one turn behind one Sync and answers each with its own rows, parsed as pg parses them', async () => {
    await client.query('BEGIN');
    const metricBefore = await syncs();
    syncsWritten = 0;
    const answers = Promise.all([
      client.queryInBlock('INSERT INTO t VALUES ($1, $2) RETURNING n', [1, 'one']),
      client.queryInBlock('SAVEPOINT s1', []),
      client.queryInBlock('SELECT $1::int AS n, $2::numeric AS amount, $3::jsonb AS doc, $4::timestamptz AS at', [7, '12.50', JSON.stringify({ a: [1] }), '2026-12-04T00:00:00Z']),
      client.queryInBlock('UPDATE t SET label = $2 WHERE n = $1', [1, 'uno']),
    ]);
    const [inserted, savepoint, selected, updated] = await answers;
    expect(syncsWritten).toBe(1);
    expect((await syncs()) - metricBefore).toBe(1);
    expect(inserted.rows).toEqual([{ n: 1 }]);
    expect(inserted.command).toBe('INSERT');
    expect(savepoint.command).toBe('SAVEPOINT');
    expect(selected.rows).toEqual([{ n: 7, amount: '12.50', doc: { a: [1] }, at: new Date('2026-12-04T00:00:00Z') }]);
    expect(updated).toMatchObject({ command: 'UPDATE', rowCount: 1 });
    expect((await client.query('COMMIT')).command).toBe('COMMIT');
    expect(await rows('SELECT n, label FROM t')).toEqual([{ n: 1, label: 'uno' }]);
  });

  it('starts a new group in each turn', async () => {
    await client.query('BEGIN');
    syncsWritten = 0;
    await client.queryInBlock('INSERT INTO t VALUES ($1, $2)', [1, 'one']);
    await client.queryInBlock('INSERT INTO t VALUES ($1, $2)', [2, 'two']);
    expect(syncsWritten).toBe(2);
    await client.query('COMMIT');
    expect(await rows('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 2 }]);
  });

  it('answers a failed statement its error and the rest of its group as skipped; COMMIT is then answered ROLLBACK and nothing is written', async () => {
    await client.query('BEGIN');
    const first = client.queryInBlock('INSERT INTO t VALUES ($1, $2)', [1, 'one']);
    const failing = client.queryInBlock('INSERT INTO t VALUES ($1, $2)', [1, 'again']);
    const after = client.queryInBlock('INSERT INTO t VALUES ($1, $2)', [2, 'two']);
    await expect(first).resolves.toMatchObject({ command: 'INSERT', rowCount: 1 });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    const skipped = await after.catch((err: unknown) => err);
    expect(skipped).toBeInstanceOf(SkippedStatement);
    expect(skipped).toMatchObject({ code: '25P02' });
    expect((await client.query('COMMIT')).command).toBe('ROLLBACK');
    expect(await rows('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('refuses a statement whose values pg cannot send, alone, and answers the others of its group their own rows', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await client.query('BEGIN');
    const before = client.queryInBlock('SELECT $1::int AS n', [1]);
    const refused = client.queryInBlock('SELECT $1::jsonb AS doc', [cyclic]);
    const after = client.queryInBlock('SELECT $1::int + 1 AS n', [1]);
    await expect(refused).rejects.toThrow(/circular/i);
    expect((await before).rows).toEqual([{ n: 1 }]);
    expect((await after).rows).toEqual([{ n: 2 }]);
    expect((await client.query('COMMIT')).command).toBe('COMMIT');
  });

  it('keeps what it knows of prepared statements true after a failure: one skipped before its Parse is parsed next time, one parsed is not parsed twice', async () => {
    const skippedText = 'SELECT $1::int * 3 AS n';
    const parsedText = 'SELECT $1::int AS n';
    await client.query('BEGIN');
    const parsed = client.queryInBlock(parsedText, ['not a number']);
    const skipped = client.queryInBlock(skippedText, [2]);
    await expect(parsed).rejects.toMatchObject({ code: '22P02' });
    await expect(skipped).rejects.toBeInstanceOf(SkippedStatement);
    await client.query('ROLLBACK');
    await client.query('BEGIN');
    const again = await Promise.all([client.queryInBlock(parsedText, ['5']), client.queryInBlock(skippedText, [2])]);
    expect(again.map((r) => r.rows)).toEqual([[{ n: 5 }], [{ n: 6 }]]);
    await client.query('COMMIT');
    const prepared = await rows(`SELECT statement FROM pg_prepared_statements ORDER BY statement`);
    expect(prepared.map((p: { statement: string }) => p.statement)).toEqual([parsedText, skippedText].sort());
  });

  it('ends the group before a statement sent otherwise, so the order sent is the order run', async () => {
    await client.query('BEGIN');
    const before = await syncs();
    const inserted = client.queryInBlock('INSERT INTO t VALUES ($1, $2)', [1, 'one']);
    const counted = client.query('SELECT count(*)::int AS n FROM t');
    const insertedAfter = client.queryInBlock('INSERT INTO t VALUES ($1, $2)', [2, 'two']);
    await inserted;
    expect((await counted).rows).toEqual([{ n: 1 }]);
    await insertedAfter;
    // The first group, the statement sent otherwise, the second group.
    expect((await syncs()) - before).toBe(3);
    await client.query('COMMIT');
    expect(await rows('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 2 }]);
  });

  it('groups unnamed statements where statements are not prepared (DB_PREPARED_STATEMENTS=false)', async () => {
    await client.end();
    client = await open(false);
    syncsWritten = 0;
    await client.query('BEGIN');
    const answers = await Promise.all([
      client.queryInBlock('INSERT INTO t VALUES ($1, $2) RETURNING label', [1, 'one']),
      client.queryInBlock('SELECT $1::int + 1 AS n', [1]),
    ]);
    expect(answers.map((r) => r.rows)).toEqual([[{ label: 'one' }], [{ n: 2 }]]);
    await client.query('COMMIT');
    // BEGIN and COMMIT go as simple queries, which need no Sync: the group's is the only one.
    expect(syncsWritten).toBe(1);
    expect(await rows('SELECT count(*)::int AS n FROM pg_prepared_statements')).toEqual([{ n: 0 }]);
  });

  it('answers every statement of a group whose connection is lost with the connection error', async () => {
    await client.query('BEGIN');
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    const killer = new PreparingClient({ connectionString: (db.dataSource.options as { url: string }).url });
    await killer.connect();
    // The lost connection's error, which pg also emits on the client.
    client.on('error', () => undefined);
    try {
      const sleeping = client.queryInBlock('SELECT pg_sleep($1::int)', [5]);
      const behind = client.queryInBlock('SELECT $1::int AS n', [1]);
      const outcomes = Promise.allSettled([sleeping, behind]);
      await new Promise((r) => setTimeout(r, 200));
      await killer.query('SELECT pg_terminate_backend($1)', [pid]);
      const [a, b] = await outcomes;
      expect(a.status).toBe('rejected');
      expect(b.status).toBe('rejected');
      expect((b as PromiseRejectedResult).reason).not.toBeInstanceOf(SkippedStatement);
    } finally {
      await killer.end();
      // The lost connection is not reusable; afterEach's end() then has nothing to close.
      client = await open();
    }
  });
});
