import { QueryRunner } from 'typeorm';
import { MAX_PREPARED_PER_CONNECTION } from '../../src/database/prepared-client';
import { openRepoDatabase, RepoDatabase } from './support/repo-database';

/** pg_prepared_statements is per session: every query of a test runs on one connection. */
describe('named prepared statements on the pool (DB_PREPARED_STATEMENTS)', () => {
  let db: RepoDatabase;
  let runner: QueryRunner;
  const preparedCount = async () => Number((await runner.query('SELECT count(*)::int AS n FROM pg_prepared_statements'))[0].n);

  beforeAll(async () => {
    db = await openRepoDatabase();
  });
  beforeEach(async () => {
    runner = db.dataSource.createQueryRunner();
    await runner.connect();
  });
  afterEach(async () => {
    await runner.release();
  });
  afterAll(async () => {
    await db.close();
  });

  it('prepares a parameterised statement once per connection and answers it as before', async () => {
    const before = await preparedCount();
    expect(await runner.query('SELECT $1::int + 1 AS n', [41])).toEqual([{ n: 42 }]);
    expect(await runner.query('SELECT $1::int + 1 AS n', [1])).toEqual([{ n: 2 }]);
    expect(await preparedCount()).toBe(before + 1);
    const [statement] = await runner.query("SELECT name, statement FROM pg_prepared_statements WHERE statement = 'SELECT $1::int + 1 AS n'");
    expect(statement.name).toMatch(/^w_/);
  });

  it('sends a statement without parameters unprepared', async () => {
    const before = await preparedCount();
    await runner.query('SELECT 1 AS one');
    await runner.query('SELECT 1 AS one', []);
    expect(await preparedCount()).toBe(before);
  });

  it('keeps a failing statement a failure, with its SQLSTATE, and the connection usable', async () => {
    await expect(runner.query('SELECT $1::int', ['not a number'])).rejects.toMatchObject({ driverError: { code: '22P02' } });
    expect(await runner.query('SELECT $1::int AS n', ['7'])).toEqual([{ n: 7 }]);
  });

  it(`prepares at most ${MAX_PREPARED_PER_CONNECTION} distinct statements per connection, and answers the rest unnamed`, async () => {
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 20; i++) {
      expect(await runner.query(`SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: 1 + i }]);
    }
    expect(await preparedCount()).toBe(MAX_PREPARED_PER_CONNECTION);
  }, 60_000);
});
