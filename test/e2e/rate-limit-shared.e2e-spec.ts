import request from 'supertest';
import { cuttableProxy, CuttableProxy } from './support/cuttable-proxy';
import { createParticipant, seedRegions } from './support/fixtures';
import { expectProblem } from './support/problem';
import { client, startTestApp, TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';

/**
 * The rate limits are counted in PostgreSQL (decision 0019): two instances on one
 * database spend one budget per key and one per client address, so a client that spreads
 * its requests over both is refused at the same total as against one instance.
 */
describe('rate limits shared by two instances on one database', () => {
  const LIMIT = 6;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ rateLimitPerMinute: LIMIT, publicRateLimitPerMinute: LIMIT });
    b = await startTestApp({ rateLimitPerMinute: LIMIT, publicRateLimitPerMinute: LIMIT, dbUrl: a.dbUrl });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('refuses a key whose requests alternate between the instances at the same total as one instance, on both', async () => {
    await seedRegions(a, [{ code: '150000', name: '内蒙古自治区', parentCode: undefined }]);
    const user = await createParticipant(b, 'WATER_USER', '150000');
    const other = await createParticipant(a, 'WATER_USER', '150000');
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await client(i % 2 === 0 ? a : b, user.apiKey).get('/v1/participants/me')).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);

    const refused = await client(a, user.apiKey).get('/v1/participants/me');
    expectProblem(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers['retry-after-per-key'])).toBeGreaterThan(0);
    // RFC 9110's header, which clients and proxies read: whole seconds, within the minute's window.
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expectProblem(await client(b, user.apiKey).get('/v1/regions/150000'), 429, 'RATE_LIMITED');
    // Another key's budget is its own.
    expect((await client(b, other.apiKey).get('/v1/participants/me')).status).toBe(200);
  });

  it('counts what is left of the budget across instances in the X-RateLimit headers', async () => {
    const user = await createParticipant(b, 'WATER_USER', '150000');
    const first = await client(a, user.apiKey).get('/v1/participants/me');
    const second = await client(b, user.apiKey).get('/v1/participants/me');
    expect([first.headers['x-ratelimit-limit-per-key'], first.headers['x-ratelimit-remaining-per-key']]).toEqual([String(LIMIT), String(LIMIT - 1)]);
    expect(second.headers['x-ratelimit-remaining-per-key']).toBe(String(LIMIT - 2));
  });

  it('shares the public pages\' per-address budget the same way', async () => {
    const address = '198.51.100.23';
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) {
      statuses.push((await request((i % 2 === 0 ? a : b).http).get('/v1/public/markets').set('X-Forwarded-For', address)).status);
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429]);
    const over = await request(b.http).get('/v1/public/announcements').set('X-Forwarded-For', address);
    expectProblem(over, 429, 'RATE_LIMITED');
    expect(over.body.detail).toContain('client address');
    // Another address behind the same proxy still has its whole budget.
    expect((await request(a.http).get('/v1/public/markets').set('X-Forwarded-For', '198.51.100.24')).status).toBe(200);
  });

  it('limits a forwarded address that is no address at all, of any length, without a 500', async () => {
    for (const forwarded of ['x'.repeat(300), 'é'.repeat(3000), "'; DROP TABLE rate_limits;--"]) {
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT + 1; i++) statuses.push((await request((i % 2 === 0 ? a : b).http).get('/v1/public/markets').set('X-Forwarded-For', forwarded)).status);
      expect([forwarded.slice(0, 10), statuses]).toEqual([forwarded.slice(0, 10), [...Array(LIMIT).fill(200), 429]]);
    }
  });
});

describe('rate limits while the database is unreachable', () => {
  let proxy: CuttableProxy;
  let t: TestApp;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    proxy = await cuttableProxy(database.url);
    t = await startTestApp({ dbUrl: proxy.url, publicRateLimitPerMinute: 3 });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await drop?.();
  });

  it('counts in memory meanwhile: a public page answers 503 UNAVAILABLE, then 429 past the budget, never 500, and the shared count resumes', async () => {
    const address = '192.0.2.44';
    const page = () => request(t.http).get('/v1/public/markets').set('X-Forwarded-For', address);
    expect((await page()).status).toBe(200);
    await proxy.cut();
    try {
      await new Promise((ok) => setTimeout(ok, 200));
      // The shared counter cannot be read: the instance counts in memory, from zero, and each page meets the outage.
      for (let i = 0; i < 3; i++) expectProblem(await page(), 503, 'UNAVAILABLE');
      expectProblem(await page(), 429, 'RATE_LIMITED');
    } finally {
      // The suite's close proves the books, which needs the database back.
      await proxy.restore();
    }
    // Back on the shared counter, which saw only the first request of the window.
    expect((await page()).status).toBe(200);
  });
});
