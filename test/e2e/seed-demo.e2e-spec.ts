import { Client } from 'pg';
import request from 'supertest';
import { seedDemo } from './support/seed-demo';
import { client, startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, dropDatabase } from './support/test-database';
import { expectStatus } from './support/trade-scene';
import { TRADING_YEAR } from './support/trading';

/**
 * `npm run seed:demo` (the built script, as the service is built) on a fresh database:
 * the living demo, its open listing and buy-back tender with their sealed bids among it;
 * a second run writes nothing at all; the service then shows the auctions publicly.
 */

/** The demo's auctions close a day after the 5-day notice, inside the market's year (Beijing): not in its last six days. */
const AUCTIONS_FIT = Date.now() + 6 * 86_400_000 < Date.parse(`${TRADING_YEAR + 1}-01-01T00:00:00+08:00`) - 3_600_000;

const COUNTS = `SELECT (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM announcements)::int AS announcements,
  (SELECT count(*) FROM auctions)::int AS auctions, (SELECT count(*) FROM auction_bids)::int AS bids,
  (SELECT count(*) FROM ledger_postings)::int AS postings, (SELECT count(*) FROM api_keys)::int AS keys`;

async function counts(dbUrl: string): Promise<Record<string, number>> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    return (await c.query(COUNTS)).rows[0];
  } finally {
    await c.end();
  }
}

describe('npm run seed:demo', () => {
  let dbUrl: string;
  let t: TestApp | null = null;
  let first: string;

  beforeAll(async () => {
    dbUrl = (await createTestDatabase()).url;
    first = (await seedDemo(dbUrl)).stdout;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await dropDatabase(dbUrl);
  });

  it('opens the district\'s listing with the factory\'s sealed bid and the reserve\'s tender with the district\'s offer', () => {
    expect(Number(/audit entries written: (\d+)/.exec(first)![1])).toBeGreaterThan(0);
    if (!AUCTIONS_FIT) {
      expect(first).toContain(`(no listing: a notice period from today would end after ${TRADING_YEAR})`);
      return;
    }
    expect(first).toMatch(/\+ 挂牌竞价 listing: 10000 m³ of the district's water, reserve 1\.30, closes \S+/);
    expect(first).toContain('+ sealed bid of the factory: 6000 m³ at 1.35');
    expect(first).toMatch(/\+ 收储 tender of the reserve: 15000 m³, districts first, limit 1\.28 \(hidden\), closes \S+/);
    expect(first).toContain('+ sealed offer of the district: 5000 m³ at 1.22');
  });

  it('writes nothing the second time', async () => {
    const before = await counts(dbUrl);
    const second = (await seedDemo(dbUrl)).stdout;
    expect(second).toContain('everything already there');
    expect(second).toMatch(/\(market 150421-SURFACE-\d{4} has traded already: no trades or orders added\)/);
    expect(second).toContain('audit entries written: 0');
    expect(second).not.toContain('API key');
    expect(await counts(dbUrl)).toEqual(before);
  }, 120_000);

  it('shows both auctions on the public announcements, the tender\'s limit withheld, closing a day after the notice period', async () => {
    t = await startTestApp({ dbUrl });
    if (!AUCTIONS_FIT) return;
    const opened = expectStatus(await request(t.http).get('/v1/public/announcements?type=AUCTION_OPENED'), 200).body.items;
    expect(opened.map((a: any) => [a.data.side, a.data.volume, a.data.limitPrice])).toEqual([['BUY', '15000', null], ['SELL', '10000', '1.3']]);
    const auctions = expectStatus(await client(t, t.adminKey).get('/v1/auctions?status=OPEN'), 200).body.items;
    expect(auctions.map((a: any) => [a.side, a.bidCount, a.limitPrice])).toEqual([['BUY', 1, '1.28'], ['SELL', 1, '1.3']]);
    for (const a of auctions) {
      const noticeDays = (Date.parse(a.closesAt) - Date.parse(a.createdAt)) / 86_400_000;
      expect(noticeDays).toBeGreaterThan(5);
      expect(noticeDays).toBeLessThan(6.01);
    }
  });
});
