import { IdempotencyRepository, IdempotencyScope } from '../../src/common/idempotency/idempotency.repository';
import { holdOpen, openRepoDatabase, RepoDatabase, untilOneWaits } from './support/repo-database';

const keys = new IdempotencyRepository();
const hash = (c: string) => c.repeat(64);

describe('idempotency repository (idempotency_keys)', () => {
  let db: RepoDatabase;
  beforeAll(async () => {
    db = await openRepoDatabase();
  });
  afterAll(() => db.close());

  const scope = (key: string): IdempotencyScope => ['00000000-0000-0000-0000-000000000001', 'POST', '/v1/things', key];

  it('claims a key once; the response stored with it is found by the next claimant', async () => {
    expect(await db.tx((tx) => keys.claim(tx, scope('a'), hash('1')))).toBe(true);
    await db.tx((tx) => keys.storeResponses(tx, [{ scope: scope('a'), status: 201, body: '{"id":1}' }]));
    expect(await db.tx((tx) => keys.claim(tx, scope('a'), hash('1')))).toBe(false);
    expect(await keys.find(db.pool, scope('a'))).toMatchObject({ request_hash: hash('1'), status_code: 201, response_body: '{"id":1}' });
  });

  it('stores the responses of several claimed keys in one statement, each to its own key', async () => {
    const batch = ['m1', 'm2', 'm3'].map((k, i) => ({ scope: scope(k), status: 200 + i, body: `{"n":${i}}` }));
    await db.tx(async (tx) => {
      for (const { scope: s } of batch) expect(await keys.claim(tx, s, hash('4'))).toBe(true);
      await keys.storeResponses(tx, batch);
    });
    for (const { scope: s, status, body } of batch) {
      expect(await keys.find(db.pool, s)).toMatchObject({ status_code: status, response_body: body });
    }
  });

  it('makes a concurrent duplicate wait for the first: it replays if the first commits', async () => {
    const first = holdOpen(db, (tx) => keys.claim(tx, scope('b'), hash('2')));
    expect(await first.ready).toBe(true);
    const second = db.tx((tx) => keys.claim(tx, scope('b'), hash('2')));
    await untilOneWaits(db);
    await first.release(true);
    expect(await second).toBe(false);
  });

  it('lets the duplicate run as the first if the first rolled back', async () => {
    const first = holdOpen(db, (tx) => keys.claim(tx, scope('c'), hash('3')));
    await first.ready;
    const second = db.tx((tx) => keys.claim(tx, scope('c'), hash('3')));
    await untilOneWaits(db);
    await first.release(false);
    expect(await second).toBe(true);
  });

  it('purges keys older than the retention and keeps the rest', async () => {
    await db.pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '73 hours' WHERE key = 'a'`);
    expect(await keys.purgeExpired(db.pool)).toBe(1);
    expect(await keys.find(db.pool, scope('a'))).toBeNull();
    expect(await keys.find(db.pool, scope('b'))).not.toBeNull();
  });
});
