import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { leaseSize, MAX_LEASE, SharedThrottlerStorage } from '../../src/common/auth/shared-throttler-storage';
import { openRepoDatabase, RepoDatabase } from './support/repo-database';

const MINUTE = 60_000;

/**
 * The rate limits' shared counters with leases (decisions 0019 and 0039): each instance
 * reserves a few points of a key's budget at a time in `rate_limits` and spends them
 * without asking. Two storages on one database stand for two instances.
 */
describe('rate limit counters in PostgreSQL, reserved a few points at a time', () => {
  let db: RepoDatabase;
  beforeAll(async () => {
    db = await openRepoDatabase();
  });
  afterAll(() => db.close());

  let n = 0;
  const freshKey = () => `spec-key-${++n}`;
  const hit = (s: SharedThrottlerStorage, key: string, limit: number) => s.increment(key, MINUTE, limit, 0, 'per-key');
  const storedPoints = async (key: string) =>
    Number((await db.pool.query('SELECT points FROM rate_limits WHERE key = $1', [key]))[0]?.points ?? 0);

  it('sizes a reservation by what is left: a sixteenth, at most 64, one point near the end', () => {
    expect([leaseSize(6000), leaseSize(640), leaseSize(160), leaseSize(31), leaseSize(15), leaseSize(0), leaseSize(-3)]).toEqual([MAX_LEASE, 40, 10, 1, 1, 1, 1]);
  });

  it('lets one instance through exactly up to the budget, counting each hit, with a few statements', async () => {
    const storage = new SharedThrottlerStorage(db.dataSource);
    const key = freshKey();
    const asked = jest.spyOn(RateLimiterPostgres.prototype, 'consume');
    try {
      const records = [];
      for (let i = 0; i < 1200; i++) records.push(await hit(storage, key, 1000));
      expect(records.filter((r) => !r.isBlocked)).toHaveLength(1000);
      expect(records.slice(0, 1000).map((r) => r.totalHits)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      expect(records.slice(1000).every((r) => r.isBlocked && r.timeToBlockExpire > 0)).toBe(true);
      // One statement a refused hit, as before; for the 1,000 let through, 90 reservations
      // (where each hit was one statement before).
      expect(asked.mock.calls.length - 200).toBe(90);
    } finally {
      asked.mockRestore();
    }
    // Every hit is in the shared row, the refused ones too.
    expect(await storedPoints(key)).toBe(1200);
  });

  it('lets requests at once through exactly up to the budget', async () => {
    const storage = new SharedThrottlerStorage(db.dataSource);
    const key = freshKey();
    const records = await Promise.all(Array.from({ length: 400 }, () => hit(storage, key, 300)));
    expect(records.filter((r) => !r.isBlocked)).toHaveLength(300);
  });

  it('never lets two instances through more than one budget, and spends it all while both are asked', async () => {
    const a = new SharedThrottlerStorage(db.dataSource);
    const b = new SharedThrottlerStorage(db.dataSource);
    const key = freshKey();
    const passed = { a: 0, b: 0 };
    // Uneven turns: b is asked twice as often as a, so their leases end at different times.
    for (let i = 0; i < 900; i++) {
      const [name, storage] = i % 3 === 0 ? (['a', a] as const) : (['b', b] as const);
      if (!(await hit(storage, key, 600)).isBlocked) passed[name]++;
    }
    expect(passed.a + passed.b).toBe(600);
    expect(passed.a).toBeGreaterThan(150);
    expect(await storedPoints(key)).toBeGreaterThanOrEqual(600);
  });

  it('holds back from other instances at most what one reservation took', async () => {
    const a = new SharedThrottlerStorage(db.dataSource);
    const b = new SharedThrottlerStorage(db.dataSource);
    const key = freshKey();
    // a spends its first point, then reserves a lease from what is left, and stops.
    await hit(a, key, 1000);
    await hit(a, key, 1000);
    const heldByA = (await storedPoints(key)) - 2;
    expect(heldByA).toBe(leaseSize(999) - 1);
    let passedB = 0;
    for (let i = 0; i < 1100; i++) if (!(await hit(b, key, 1000)).isBlocked) passedB++;
    expect(passedB).toBe(1000 - 2 - heldByA);
    // a still spends what it holds, and nothing more.
    let passedA = 0;
    for (let i = 0; i < 100; i++) if (!(await hit(a, key, 1000)).isBlocked) passedA++;
    expect(passedA).toBe(heldByA);
  });
});
