import Decimal from 'decimal.js';
import type { Response } from 'supertest';
import { createParticipant, Party } from './support/fixtures';
import { expectProblem } from './support/problem';
import { sql } from './support/sql';
import { client, startTestApp, TestApp, TestAppOptions } from './support/test-app';
import { createTestDatabase, testServer, withAdminClient } from './support/test-database';
import { AGRI, auditOf, balances, cross, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, ledgerReport, openMarket, placeOrder } from './support/trading';

// Each suite runs real service processes; its own limit keeps it independent of the shared jest config.
jest.setTimeout(30_000);

const DST_ZONE = 'America/New_York';

const utcOffset = (zone: string, at: Date) =>
  new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')!.value;

/** The fewest whole days (≤ 365) from now whose span contains a daylight-saving change of `zone`. */
function daysToNextDstChange(zone: string): number {
  const now = new Date();
  for (let days = 1; days <= 365; days++) {
    if (utcOffset(zone, new Date(now.getTime() + days * 24 * 3600 * 1000)) !== utcOffset(zone, now)) return days;
  }
  throw new Error(`${zone} has no daylight-saving change within a year`);
}

const overdue = (t: TestApp, ids: string[]) =>
  sql(t, `UPDATE trades SET approval_due_at = now() - interval '1 second' WHERE id = ANY($1)`, [ids]);

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Venue {
  t: TestApp;
  county: Party;
  market: string;
}

async function openVenue(app: TestAppOptions, market: Record<string, unknown>): Promise<Venue> {
  const { t, regulators: [county] } = await startTradeScene({ regulators: ['150421'], app });
  return { t, county, market: (await openMarket(t, { regionCode: '150421', feeRate: '0.005', ...market })).id };
}

const deadlineDays = daysToNextDstChange(DST_ZONE);

/** A database whose sessions default to a zone with daylight saving, as initdb sets one up from the OS. */
async function dstDatabase() {
  const database = await createTestDatabase();
  const name = new URL(database.url).pathname.slice(1);
  await withAdminClient(testServer().adminUrl, (c) => c.query(`ALTER DATABASE "${name}" SET TimeZone = '${DST_ZONE}'`));
  return database;
}

describe('expiry of trades past their approval deadline', () => {
  let jobVenue: Promise<Venue>;
  let deadlineVenue: Promise<Venue & { database: { drop: () => Promise<void> } }>;

  beforeAll(() => {
    // Both services start at once: start-up is most of this suite's time.
    jobVenue = openVenue({ expiryIntervalMs: 200 }, { priceTick: '0.0001' });
    deadlineVenue = dstDatabase().then(async (database) => {
      // The job's first run is a minute away: overdue trades stay pending for the whole suite.
      return { ...(await openVenue({ dbUrl: database.url, expiryIntervalMs: 60000 }, { approvalDeadlineDays: deadlineDays })), database };
    });
    // Awaited by each describe; until then a failure must not count as unhandled.
    jobVenue.catch(() => undefined);
    deadlineVenue.catch(() => undefined);
  });

  describe('the expiry job', () => {
    let t: TestApp;
    let county: Party;
    let market: string;

    beforeAll(async () => {
      ({ t, county, market } = await jobVenue);
    });
    afterAll(() => t?.close());

    it('expires an overdue trade as REJECTED / EXPIRED with the system as actor, returning both escrows', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
      await fundQuota(t, county.apiKey, seller, '20000', AGRI);
      await fundCash(t, buyer, '20000.00');
      const due = await cross(t, market, seller, buyer, '0.8537', '12345.678'); // 10539.51 + 52.70
      const notDue = await cross(t, market, seller, buyer, '0.5', '1000'); // 500.00 + 2.50
      expect((await balances(t, buyer)).cash).toEqual({ available: '8905.29', locked: '11094.71' });

      await overdue(t, [due.id]);
      const expired = await waitFor(async () => {
        const body = expectStatus(await client(t, buyer.apiKey).get(`/v1/trades/${due.id}`), 200).body;
        return body.status === 'PENDING_APPROVAL' ? undefined : body;
      }, 'the overdue trade to expire');
      expect(expired).toMatchObject({ status: 'REJECTED', decision: 'EXPIRED', decidedBy: null, decidedAt: expect.any(String) });

      const [s, b] = await Promise.all([balances(t, seller), balances(t, buyer)]);
      expect(s.quota(market)).toEqual({ available: '19000', locked: '1000' }); // the trade within its deadline keeps its escrow
      expect(b.cash).toEqual({ available: '19497.50', locked: '502.50' });

      const audit = await auditOf(t, 'trade', due.id);
      const entry = audit.filter((e) => e.action === 'trade.expired');
      expect(entry).toHaveLength(1);
      expect(entry[0]).toMatchObject({ actorId: null, entityType: 'trade', entityId: due.id, before: { status: 'PENDING_APPROVAL' }, after: { status: 'REJECTED', decision: 'EXPIRED' } });
      for (const e of audit.filter((x) => x.action === 'trade.unlocked')) expect(e.actorId).toBeNull();

      // Several more ticks later the trade within its deadline is still pending.
      await new Promise((r) => setTimeout(r, 600));
      expect(expectStatus(await client(t, seller.apiKey).get(`/v1/trades/${notDue.id}`), 200).body.status).toBe('PENDING_APPROVAL');
      const history = expectStatus(await client(t, seller.apiKey).get('/v1/trades'), 200).body.items;
      expect(history.find((x: any) => x.id === due.id)).toMatchObject({ status: 'REJECTED', decision: 'EXPIRED', reason: expect.any(String) });
      const tape = expectStatus(await client(t, seller.apiKey).get(`/v1/markets/${market}/trades`), 200).body.items;
      expect(tape.find((x: any) => x.id === due.id).status).toBe('REJECTED');
    });

    it('resolves an approval racing the job at the deadline to one outcome per trade', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150421'), createParticipant(t, 'WATER_USER', '150421')]);
      await fundQuota(t, county.apiKey, seller, '600', AGRI);
      await fundCash(t, buyer, '1000.00');
      const trades: any[] = [];
      expectStatus(await placeOrder(t, seller, market, { side: 'SELL', price: '1', volume: '600' }), 201);
      for (let i = 0; i < 6; i++) {
        const buy = expectStatus(await placeOrder(t, buyer, market, { side: 'BUY', price: '1', volume: '100' }), 201); // 100.00 + 0.50 a side
        trades.push(buy.body.trades[0]);
      }
      await sql(t, `UPDATE trades SET approval_due_at = now() + interval '300 milliseconds' WHERE id = ANY($1)`, [trades.map((x) => x.id)]);
      const results: Promise<Response>[] = [];
      for (const trade of trades) {
        await new Promise((r) => setTimeout(r, 60));
        // then() sends the request now, staggered across the deadline, rather than when awaited.
        results.push(client(t, county.apiKey).post(`/v1/trades/${trade.id}/approve`, {}).then((r) => r));
      }
      const responses = await Promise.all(results);
      await waitFor(async () => {
        const [{ n }] = await sql(t, `SELECT count(*)::int AS n FROM trades WHERE id = ANY($1) AND status = 'PENDING_APPROVAL'`, [trades.map((x) => x.id)]);
        return n === 0 ? true : undefined;
      }, 'every trade to be decided');

      let settled = 0;
      for (const [i, trade] of trades.entries()) {
        const final = expectStatus(await client(t, buyer.apiKey).get(`/v1/trades/${trade.id}`), 200).body;
        if (responses[i].status === 200) {
          expect(final).toMatchObject({ status: 'SETTLED', decision: 'APPROVED' });
          settled++;
        } else {
          expectProblem(responses[i], 409, 'INVALID_STATE');
          expect(final).toMatchObject({ status: 'REJECTED', decision: 'EXPIRED' });
        }
        const decisions = (await auditOf(t, 'trade', trade.id)).filter((e) => /^trade\.(settled|expired)$/.test(e.action));
        expect(decisions).toHaveLength(1);
      }
      expect((await balances(t, buyer)).cash).toEqual({ available: new Decimal('1000').minus(new Decimal('100.50').mul(settled)).toFixed(2), locked: '0.00' });
      expect((await balances(t, buyer)).quota(market)).toEqual({ available: String(100 * settled), locked: '0' });
      expect((await balances(t, seller)).quota(market)).toEqual({ available: String(600 - 100 * settled), locked: '0' });
    });

    it('expires each trade exactly once when two instances run the job on one database', async () => {
      const second = await startTestApp({ dbUrl: t.dbUrl, expiryIntervalMs: 200 });
      try {
        const [seller, buyer] = await Promise.all([createParticipant(t, 'WATER_USER', '150421'), createParticipant(t, 'IRRIGATION_DISTRICT', '150421')]);
        await fundQuota(t, county.apiKey, seller, '3000', AGRI);
        await fundCash(t, buyer, '5000.00');
        const before = await Promise.all([balances(t, seller), balances(t, buyer)]);
        expectStatus(await placeOrder(t, seller, market, { side: 'SELL', price: '1', volume: '2000' }), 201);
        const ids: string[] = [];
        for (let i = 0; i < 10; i++) {
          // Alternate instances so both have served the market.
          const app = i % 2 ? second : t;
          const buy = expectStatus(await client(app, buyer.apiKey).post(`/v1/markets/${market}/orders`, { side: 'BUY', price: '1', volume: '200' }), 201);
          ids.push(buy.body.trades[0].id);
        }
        expect((await balances(t, buyer)).cash).toEqual({ available: '2990.00', locked: '2010.00' });

        await overdue(t, ids);
        await waitFor(async () => {
          const [{ n }] = await sql(t, `SELECT count(*)::int AS n FROM trades WHERE id = ANY($1) AND status = 'PENDING_APPROVAL'`, [ids]);
          return n === 0 ? true : undefined;
        }, 'every overdue trade to expire');

        for (const id of ids) {
          const trade = expectStatus(await client(second, buyer.apiKey).get(`/v1/trades/${id}`), 200).body;
          expect(trade).toMatchObject({ status: 'REJECTED', decision: 'EXPIRED', decidedBy: null });
          const audit = await auditOf(t, 'trade', id);
          expect(audit.filter((e) => e.action === 'trade.expired')).toHaveLength(1);
          expect(audit.filter((e) => e.action === 'trade.unlocked')).toHaveLength(2);
        }
        const after = await Promise.all([balances(t, seller), balances(t, buyer)]);
        expect(after[0].quota(market)).toEqual(before[0].quota(market));
        expect(after[1].cash).toEqual(before[1].cash);

        expect(await ledgerReport(second)).toMatchObject({ valid: true, problems: [] });
        expect(expectStatus(await client(second, t.adminKey).get('/v1/audit/verify'), 200).body.valid).toBe(true);
      } finally {
        await second.close();
      }
    });
  });

  describe('the deadline itself', () => {
    let t: TestApp;
    let county: Party;
    let market: string;
    let database: { drop: () => Promise<void> };

    beforeAll(async () => {
      ({ t, county, market, database } = await deadlineVenue);
    });
    afterAll(async () => {
      await t?.close();
      await database?.drop();
    });

    it('is createdAt plus approvalDeadlineDays × 24 h, even across a daylight-saving change', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
      await fundQuota(t, county.apiKey, seller, '1000', AGRI);
      await fundCash(t, buyer, '1000.00');
      const trade = await cross(t, market, seller, buyer, '0.5', '100');
      expect(Date.parse(trade.approvalDueAt) - Date.parse(trade.createdAt)).toBe(deadlineDays * 24 * 3600 * 1000);
    });

    it('refuses approving or rejecting an overdue trade the job has not expired yet', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
      await fundQuota(t, county.apiKey, seller, '1000', AGRI);
      await fundCash(t, buyer, '1000.00');
      const trade = await cross(t, market, seller, buyer, '0.5', '600'); // 300.00 + 1.50
      await overdue(t, [trade.id]);

      const approve = await client(t, county.apiKey).post(`/v1/trades/${trade.id}/approve`, {});
      expectProblem(approve, 409, 'INVALID_STATE');
      const reject = await client(t, county.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: 'too late anyway' });
      expectProblem(reject, 409, 'INVALID_STATE');

      expect(expectStatus(await client(t, buyer.apiKey).get(`/v1/trades/${trade.id}`), 200).body).toMatchObject({ status: 'PENDING_APPROVAL', decision: null });
      expect((await balances(t, buyer)).cash).toEqual({ available: '698.50', locked: '301.50' });
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '400', locked: '600' });
      expect((await auditOf(t, 'trade', trade.id)).filter((e) => /^trade\.(settled|rejected|expired)$/.test(e.action))).toEqual([]);
    });
  });
});
