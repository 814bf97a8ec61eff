import { buildInformationScene, InformationScene, parties } from './support/information-scene';
import { allPages, anonymous } from './support/public-pages';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectStatus } from './support/trade-scene';
import { TRADING_YEAR } from './support/trading';

/**
 * 交易信息公开: markets, the settled tape, announcements and the price index, for anyone,
 * without a key; never a participant's id or name; limited per client address.
 */

describe('public information (no API key)', () => {
  let t: TestApp;
  let s: InformationScene;
  let settled: any[];

  beforeAll(async () => {
    t = await startTestApp();
    s = await buildInformationScene(t);
    for (const [path, body] of [[`/v1/markets/${s.groundwater}/halt`, { reason: 'review' }], [`/v1/markets/${s.groundwater}/resume`, {}]] as const) {
      expectStatus(await client(t, s.city.apiKey).post(path, body), 200);
    }
    // Settlement times across a Beijing midnight: 23:59:59 on 31 March, then 00:00 and 18:00 on 1 April (UTC+8).
    const [t1, t2, t3] = s.settledTradeIds;
    for (const [id, at] of [[t1, '2026-03-31T15:59:59Z'], [t2, '2026-03-31T16:00:00Z'], [t3, '2026-04-01T10:00:00Z']]) {
      await sql(t, 'UPDATE trades SET decided_at = $2 WHERE id = $1', [id, at]);
    }
    settled = await Promise.all(s.settledTradeIds.map(async (id) => expectStatus(await client(t, t.adminKey).get(`/v1/trades/${id}`), 200).body));
  }, 120_000);
  afterAll(() => t.close());

  it('lists markets by id in byte order with the public figures only', async () => {
    const items = await allPages(t, '/v1/public/markets');
    expect(items.map((m) => m.id)).toEqual([s.surface, s.groundwater]);
    expect(items[0]).toEqual({ id: s.surface, regionCode: '150421', source: 'SURFACE', year: TRADING_YEAR, status: 'OPEN', lastPrice: '1.1', volume24h: '0' });
    expect((await anonymous(t, '/v1/public/markets?regionCode=150422')).body.items.map((m: any) => m.id)).toEqual([s.groundwater]);
  });

  it('shows the settled tape of a market, newest settlement first: price, volume and settlement time', async () => {
    expect(await allPages(t, `/v1/public/markets/${s.surface}/trades`)).toEqual([
      { price: '1.1', volume: '2000', at: '2026-03-31T16:00:00.000Z' },
      { price: '1.25', volume: '1000', at: '2026-03-31T15:59:59.000Z' },
    ]);
    expect((await anonymous(t, `/v1/public/markets/${s.surface.replace('150421', '150499')}/trades`)).status).toBe(404);
  });

  it('computes the price index as hand-computed VWAPs, by Beijing day and month', async () => {
    const index = async (q: string) => expectStatus(await anonymous(t, `/v1/public/price-index?${q}`), 200).body.items;
    // 1 April: 2000 m³ for 2200.00 and 300 m³ for 999.99 (3.3333 × 300) → 3199.99 / 2300 = 1.39130… → 1.3913.
    expect(await index('interval=DAY&from=2026-03-31&to=2026-04-01')).toEqual([
      { period: '2026-03-31', trades: 1, volume: '1000', amount: '1250.00', vwap: '1.25' },
      { period: '2026-04-01', trades: 2, volume: '2300', amount: '3199.99', vwap: '1.3913' },
    ]);
    expect(await index('from=2026-03-01&to=2026-04-30')).toEqual([
      { period: '2026-03', trades: 1, volume: '1000', amount: '1250.00', vwap: '1.25' },
      { period: '2026-04', trades: 2, volume: '2300', amount: '3199.99', vwap: '1.3913' },
    ]);
    expect(await index('interval=DAY&regionCode=150421')).toEqual([
      { period: '2026-03-31', trades: 1, volume: '1000', amount: '1250.00', vwap: '1.25' },
      { period: '2026-04-01', trades: 1, volume: '2000', amount: '2200.00', vwap: '1.1' },
    ]);
    expect(await index('interval=DAY&source=GROUNDWATER&regionCode=150400')).toEqual([{ period: '2026-04-01', trades: 1, volume: '300', amount: '999.99', vwap: '3.3333' }]);
    expect(await index('interval=DAY&from=2026-04-01&to=2026-04-01')).toHaveLength(1);
    expect(await index('interval=DAY&to=2026-03-31')).toHaveLength(1);
    expect(await index('regionCode=150200')).toEqual([]);
    expect(settled.map((x) => x.amount)).toEqual(['1250.00', '2200.00', '999.99']);
  });

  it('refuses a bad price-index query and names an unknown region', async () => {
    expect((await anonymous(t, '/v1/public/price-index?from=2026-04-02&to=2026-04-01')).status).toBe(400);
    expect((await anonymous(t, '/v1/public/price-index?interval=WEEK')).status).toBe(400);
    expect((await anonymous(t, '/v1/public/price-index?from=2026-02-30')).status).toBe(400);
    expect((await anonymous(t, '/v1/public/price-index?regionCode=999999')).status).toBe(404);
  });

  it('lists announcements newest first, by type when asked', async () => {
    const all = await allPages(t, '/v1/public/announcements');
    expect(all.map((a) => a.type)).toEqual(['MARKET_RESUMED', 'MARKET_HALTED', 'SAVINGS_CERTIFIED']);
    expect(all[0]).toEqual({ id: expect.any(String), type: 'MARKET_RESUMED', at: expect.any(String), title: `Market ${s.groundwater} resumed`, data: { marketId: s.groundwater } });
    expect(all[2].data).toEqual({ projectId: s.projectId, regionCode: '150421', source: 'SURFACE', year: TRADING_YEAR, volume: '20000' });
    expect((await allPages(t, '/v1/public/announcements?type=MARKET_HALTED')).map((a) => a.type)).toEqual(['MARKET_HALTED']);
    expect(await allPages(t, '/v1/public/announcements?type=AUCTION_OPENED')).toEqual([]);
    expect((await anonymous(t, '/v1/public/announcements?type=NOPE')).status).toBe(400);
  });

  it('never shows a participant\'s id or name, on any page or announcement type', async () => {
    const people = await Promise.all(parties(s).map(async (p) => (await client(t, t.adminKey).get(`/v1/participants/${p.id}`)).body));
    const secrets = people.flatMap((p) => [p.id, p.name]);
    const paths = ['/v1/public/markets', `/v1/public/markets/${s.surface}/trades`, `/v1/public/markets/${s.groundwater}/trades`, '/v1/public/announcements',
      ...['SAVINGS_CERTIFIED', 'MARKET_HALTED', 'MARKET_RESUMED', 'AUCTION_OPENED', 'AUCTION_CLOSED', 'REGIONAL_TRADE_ANNOUNCED', 'REGIONAL_TRADE_SETTLED', 'RIGHT_TRANSFER_SETTLED'].map((type) => `/v1/public/announcements?type=${type}`),
      '/v1/public/price-index', '/v1/public/price-index?interval=DAY', '/v1/public/price-index?regionCode=150421&interval=DAY'];
    for (const path of paths) {
      const text = (await anonymous(t, path)).text;
      for (const secret of secrets) expect([path, text.includes(secret)]).toEqual([path, false]);
    }
  });

  it('ignores an Authorization header, good or bad', async () => {
    const plain = (await anonymous(t, '/v1/public/markets')).body;
    expect((await anonymous(t, '/v1/public/markets').set('Authorization', 'Bearer not-a-key')).body).toEqual(plain);
    expect((await anonymous(t, '/v1/public/markets').set('Authorization', `Bearer ${s.factory.apiKey}`)).body).toEqual(plain);
  });

  it('is documented without security, with its 429', async () => {
    const doc = (await anonymous(t, '/docs-json')).body;
    for (const path of ['/v1/public/markets', '/v1/public/markets/{id}/trades', '/v1/public/announcements', '/v1/public/price-index']) {
      expect([path, doc.paths[path].get.security ?? null, Object.keys(doc.paths[path].get.responses)]).toEqual([path, null, expect.arrayContaining(['200', '429'])]);
    }
  });
});

describe('public information rate limit (per client address)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ publicRateLimitPerMinute: 5, env: { RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(() => t.close());

  it('answers 429 problem+json past PUBLIC_RATE_LIMIT_PER_MINUTE from one address; another address, authenticated calls and /health go on', async () => {
    for (let i = 0; i < 5; i++) expect((await anonymous(t, '/v1/public/markets')).status).toBe(200);
    const over = await anonymous(t, '/v1/public/announcements');
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.body).toMatchObject({ code: 'RATE_LIMITED', status: 429, detail: expect.stringContaining('client address') });
    // The service trusts X-Forwarded-For from a proxy on loopback: the client behind it has a budget of its own.
    expect((await anonymous(t, '/v1/public/markets').set('X-Forwarded-For', '203.0.113.7')).status).toBe(200);
    expect((await client(t, t.adminKey).get('/v1/markets')).status).toBe(200);
    expect((await anonymous(t, '/health')).status).toBe(200);
  });
});
