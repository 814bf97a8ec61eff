import Decimal from 'decimal.js';
import { createParticipant, Party } from './support/fixtures';
import { expectProblem } from './support/problem';
import { client, TestApp } from './support/test-app';
import { AGRI, auditOf, balances, cross, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, ledgerReport, openMarket, TRADING_YEAR } from './support/trading';

// Each suite runs real service processes; its own limit keeps it independent of the shared jest config.
jest.setTimeout(30_000);

const queue = async (t: TestApp, regulator: Party, status: string) =>
  (expectStatus(await client(t, regulator.apiKey).get(`/v1/approvals?status=${status}&limit=500`), 200).body.items as any[]).map((x) => x.id);

describe('filing and auto-approval: trades that settle as they are created', () => {
  let t: TestApp;
  let operator: Party;
  let county: Party; // 150421
  let otherCounty: Party; // 150422
  let city: Party; // 150400
  let filing: string;
  let approval: string;

  beforeAll(async () => {
    ({ t, operator, regulators: [county, otherCounty, city] } = await startTradeScene({
      regulators: ['150421', '150422', '150400'],
      counties: ['150423'],
    }));
    // autoApproveMaxVolume belongs to APPROVAL markets; a filing market files trades of any size.
    filing = (await openMarket(t, { regionCode: '150421', feeRate: '0.005', approvalMode: 'FILING', autoApproveMaxVolume: '100' })).id;
    approval = (await openMarket(t, { regionCode: '150422', feeRate: '0.003', approvalMode: 'APPROVAL', autoApproveMaxVolume: '1000' })).id;
  });
  afterAll(() => t.close());

  describe('a FILING market (灌溉用水户水权交易, 备案)', () => {
    it('settles a rule-clean trade between two irrigation users of one county at once, as FILED', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'WATER_USER', '150421'), createParticipant(t, 'IRRIGATION_DISTRICT', '150421')]);
      await fundQuota(t, county.apiKey, seller, '10000', AGRI);
      await fundCash(t, buyer, '5000.00');
      const operatorBefore = (await balances(t, operator)).cash.available;
      const capBefore = expectStatus(await client(t, t.adminKey).get(`/v1/regions/150421/caps/${TRADING_YEAR}`), 200).body;

      const trade = await cross(t, filing, seller, buyer, '0.9', '5000'); // 4500.00, fee 22.50 a side
      expect(trade).toMatchObject({ status: 'SETTLED', decision: 'FILED', decidedBy: null, decidedAt: expect.any(String), amount: '4500.00', buyerFee: '22.50', sellerFee: '22.50' });
      expect(trade.checks.every((c: any) => c.passed)).toBe(true);

      const [s, b, o] = await Promise.all([balances(t, seller), balances(t, buyer), balances(t, operator)]);
      expect(s.cash).toEqual({ available: '4477.50', locked: '0.00' });
      expect(s.quota(filing)).toEqual({ available: '5000', locked: '0' });
      expect(b.cash).toEqual({ available: '477.50', locked: '0.00' });
      expect(b.quota(filing)).toEqual({ available: '5000', locked: '0' });
      expect(new Decimal(o.cash.available).minus(operatorBefore).toFixed(2)).toBe('45.00');
      // Inside one county nothing crosses a region's boundary.
      expect(expectStatus(await client(t, t.adminKey).get(`/v1/regions/150421/caps/${TRADING_YEAR}`), 200).body).toEqual(capBefore);

      const audit = await auditOf(t, 'trade', trade.id);
      expect(audit.filter((e) => e.action === 'trade.settled')).toEqual([expect.objectContaining({ actorId: null, after: expect.objectContaining({ decision: 'FILED' }) })]);
      expect(audit.filter((e) => e.action === 'trade.posted').every((e) => e.actorId === null)).toBe(true);

      // Filed with the regulator: listed as settled, never as waiting.
      expect(await queue(t, county, 'SETTLED')).toContain(trade.id);
      expect(await queue(t, city, 'SETTLED')).toContain(trade.id);
      expect(await queue(t, county, 'PENDING_APPROVAL')).not.toContain(trade.id);
      expect(await queue(t, otherCounty, 'SETTLED')).not.toContain(trade.id);
      expect(expectStatus(await client(t, county.apiKey).get(`/v1/trades/${trade.id}`), 200).body).toEqual(trade);
      const again = await client(t, county.apiKey).post(`/v1/trades/${trade.id}/approve`, {});
      expectProblem(again, 409, 'INVALID_STATE');
      const tape = expectStatus(await client(t, seller.apiKey).get(`/v1/markets/${filing}/trades`), 200).body.items;
      expect(tape.find((x: any) => x.id === trade.id).status).toBe('SETTLED');
      expect(expectStatus(await client(t, seller.apiKey).get(`/v1/markets/${filing}`), 200).body).toMatchObject({ lastPrice: '0.9', volume24h: '5000' });
    });

    it('keeps a trade with a WARN (USE_CONVERSION) pending for the regulator', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
      await fundQuota(t, county.apiKey, seller, '2000', AGRI);
      await fundCash(t, buyer, '3000.00');
      const trade = await cross(t, filing, seller, buyer, '1', '2000'); // 2000.00, fee 10.00 a side
      expect(trade).toMatchObject({ status: 'PENDING_APPROVAL', decision: null, decidedBy: null });
      expect(trade.checks.find((c: any) => c.rule === 'USE_CONVERSION')).toMatchObject({ passed: false, severity: 'WARN' });
      expect((await balances(t, buyer)).cash).toEqual({ available: '990.00', locked: '2010.00' });
      expect(await queue(t, county, 'PENDING_APPROVAL')).toContain(trade.id);

      const res = expectStatus(await client(t, county.apiKey).post(`/v1/trades/${trade.id}/approve`, {}), 200);
      expect(res.body).toMatchObject({ status: 'SETTLED', decision: 'APPROVED', decidedBy: county.id });
      expect((await balances(t, seller)).cash).toEqual({ available: '1990.00', locked: '0.00' });
      expect((await balances(t, buyer)).quota(filing)).toEqual({ available: '2000', locked: '0' });
    });

    it('keeps a trade with a failing BLOCK check pending, and files a clean cross-county one', async () => {
      const [seller, capped, open] = await Promise.all([
        createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
        createParticipant(t, 'WATER_USER', '150423'),
        createParticipant(t, 'WATER_USER', '150422'),
      ]);
      await fundQuota(t, county.apiKey, seller, '1000', AGRI);
      await Promise.all([fundCash(t, capped, '500.00'), fundCash(t, open, '500.00')]);
      expectStatus(await client(t, t.adminKey).put(`/v1/regions/150423/caps/${TRADING_YEAR}`, { totalCap: '50' }), 200);

      const blocked = await cross(t, filing, seller, capped, '1', '100');
      expect(blocked).toMatchObject({ status: 'PENDING_APPROVAL', decision: null });
      expect(blocked.checks.find((c: any) => c.rule === 'BUYER_REGION_CAP')).toMatchObject({ passed: false, severity: 'BLOCK' });
      expect((await balances(t, capped)).quota(filing)).toEqual({ available: '0', locked: '0' });

      const filed = await cross(t, filing, seller, open, '1', '100');
      expect(filed).toMatchObject({ status: 'SETTLED', decision: 'FILED', decidedBy: null });
      expect((await balances(t, open)).quota(filing)).toEqual({ available: '100', locked: '0' });
      // A county regulator sees neither cross-county trade; the city sees both.
      expect(await queue(t, county, 'SETTLED')).not.toContain(filed.id);
      expect(await queue(t, city, 'SETTLED')).toContain(filed.id);
      expect(await queue(t, city, 'PENDING_APPROVAL')).toContain(blocked.id);
    });
  });

  describe('an APPROVAL market with autoApproveMaxVolume 1000', () => {
    it('auto-approves a rule-clean trade of exactly the limit', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150422'), createParticipant(t, 'WATER_USER', '150422')]);
      await fundQuota(t, otherCounty.apiKey, seller, '5000', AGRI);
      await fundCash(t, buyer, '2000.00');
      const trade = await cross(t, approval, seller, buyer, '1.23', '1000'); // 1230.00, fee 3.69 a side
      expect(trade).toMatchObject({ status: 'SETTLED', decision: 'AUTO_APPROVED', decidedBy: null, amount: '1230.00', buyerFee: '3.69' });
      expect((await balances(t, seller)).cash).toEqual({ available: '1226.31', locked: '0.00' });
      expect((await balances(t, buyer)).cash).toEqual({ available: '766.31', locked: '0.00' });
      expect((await balances(t, buyer)).quota(approval)).toEqual({ available: '1000', locked: '0' });
      expect((await auditOf(t, 'trade', trade.id)).filter((e) => e.action === 'trade.settled')).toEqual([
        expect.objectContaining({ actorId: null, after: expect.objectContaining({ decision: 'AUTO_APPROVED' }) }),
      ]);
      expect(await queue(t, otherCounty, 'SETTLED')).toContain(trade.id);
    });

    it('leaves a larger trade pending', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150422'), createParticipant(t, 'WATER_USER', '150422')]);
      await fundQuota(t, otherCounty.apiKey, seller, '5000', AGRI);
      await fundCash(t, buyer, '2000.00');
      const trade = await cross(t, approval, seller, buyer, '1', '1000.001');
      expect(trade).toMatchObject({ status: 'PENDING_APPROVAL', decision: null });
      expect(trade.checks.every((c: any) => c.passed)).toBe(true);
      expect(await queue(t, otherCounty, 'PENDING_APPROVAL')).toContain(trade.id);
      expect((await balances(t, buyer)).quota(approval)).toEqual({ available: '0', locked: '0' });
    });

    it('leaves a small trade with a WARN pending', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150422'), createParticipant(t, 'ENTERPRISE', '150422')]);
      await fundQuota(t, otherCounty.apiKey, seller, '5000', AGRI);
      await fundCash(t, buyer, '2000.00');
      const trade = await cross(t, approval, seller, buyer, '1', '10');
      expect(trade).toMatchObject({ status: 'PENDING_APPROVAL', decision: null });
      expect(trade.checks.find((c: any) => c.rule === 'USE_CONVERSION').passed).toBe(false);
    });

    it('judges each fill of one order on its own volume', async () => {
      const [seller, buyer] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150422'), createParticipant(t, 'WATER_USER', '150422')]);
      await fundQuota(t, otherCounty.apiKey, seller, '5000', AGRI);
      await fundCash(t, buyer, '3000.00');
      const operatorBefore = (await balances(t, operator)).cash.available;
      expectStatus(await client(t, seller.apiKey).post(`/v1/markets/${approval}/orders`, { side: 'SELL', price: '1.2', volume: '800' }), 201);
      expectStatus(await client(t, seller.apiKey).post(`/v1/markets/${approval}/orders`, { side: 'SELL', price: '1.25', volume: '700' }), 201);
      const buy = expectStatus(await client(t, buyer.apiKey).post(`/v1/markets/${approval}/orders`, { side: 'BUY', price: '1.25', volume: '1500' }), 201).body;
      expect(buy.status).toBe('FILLED');
      expect(buy.trades.map((x: any) => [x.price, x.volume, x.amount, x.buyerFee, x.status, x.decision])).toEqual([
        ['1.2', '800', '960.00', '2.88', 'SETTLED', 'AUTO_APPROVED'],
        ['1.25', '700', '875.00', '2.63', 'SETTLED', 'AUTO_APPROVED'],
      ]);
      // Lock 1880.63 at the limit; 962.88 + 877.63 taken, the rest back at once.
      expect((await balances(t, buyer)).cash).toEqual({ available: '1159.49', locked: '0.00' });
      expect((await balances(t, seller)).cash).toEqual({ available: '1829.49', locked: '0.00' });
      expect(new Decimal((await balances(t, operator)).cash.available).minus(operatorBefore).toFixed(2)).toBe('11.02');
    });
  });

  describe('afterwards', () => {
    it('leaves the ledger and the audit chain valid', async () => {
      expect(await ledgerReport(t)).toMatchObject({ valid: true, problems: [] });
      expect(expectStatus(await client(t, t.adminKey).get('/v1/audit/verify'), 200).body.valid).toBe(true);
    });
  });
});
