import Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import { createParticipant, Party } from './support/fixtures';
import { expectProblem } from './support/problem';
import { client, TestApp } from './support/test-app';
import { AGRI, auditOf, balances, cross, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, ledgerReport, openMarket, placeOrder, TRADING_YEAR } from './support/trading';

// Each suite runs real service processes; its own limit keeps it independent of the shared jest config.
jest.setTimeout(30_000);

async function capView(t: TestApp, code: string) {
  return expectStatus(await client(t, t.adminKey).get(`/v1/regions/${code}/caps/${TRADING_YEAR}`), 200).body;
}

describe('trade approval and settlement (审批与清算)', () => {
  let t: TestApp;
  let operator: Party;
  let county: Party; // 150421 阿鲁科尔沁旗
  let otherCounty: Party; // 150422 巴林左旗
  let city: Party; // 150400 赤峰市
  let province: Party; // 150000
  let baotou: Party; // 150200, a sibling city
  let market: string;

  const district = () => createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
  const enterprise = (region = '150422') => createParticipant(t, 'ENTERPRISE', region);

  beforeAll(async () => {
    ({ t, operator, regulators: [county, otherCounty, city, province, baotou] } = await startTradeScene({
      regulators: ['150421', '150422', '150400', '150000', '150200'],
      counties: ['150423', '150424', '150425', '150426'],
    }));
    market = (await openMarket(t, { regionCode: '150421', feeRate: '0.005', priceTick: '0.0001' })).id;
  });
  afterAll(() => t.close());

  describe('a cross-county trade: irrigation district in 150421 sells, enterprise in 150422 buys', () => {
    let seller: Party;
    let buyer: Party;
    let trade: any;
    let capsBefore: Record<string, any>;
    let operatorBefore: { available: string; locked: string };

    beforeAll(async () => {
      [seller, buyer] = await Promise.all([district(), enterprise()]);
      await fundQuota(t, county.apiKey, seller, '100000', AGRI);
      await fundCash(t, buyer, '20000.00');
      capsBefore = {};
      for (const code of ['150421', '150422', '150400', '150000']) capsBefore[code] = await capView(t, code);
      operatorBefore = (await balances(t, operator)).cash;
      // 0.8537 × 12345.678 = 10539.5053… → 10539.51; fee 52.70 a side. The order's lock,
      // round(price × volume × 1.005) = 10592.20, is a fen short of amount + fee.
      trade = await cross(t, market, seller, buyer, '0.8537', '12345.678');
    });

    it('creates a PENDING_APPROVAL trade with exact amounts and escrow', async () => {
      expect(trade).toMatchObject({
        marketId: market, sellerId: seller.id, buyerId: buyer.id, price: '0.8537', volume: '12345.678',
        amount: '10539.51', buyerFee: '52.70', sellerFee: '52.70', status: 'PENDING_APPROVAL', decision: null,
        decidedBy: null, decidedAt: null, reason: null,
      });
      expect(Date.parse(trade.approvalDueAt) - Date.parse(trade.createdAt)).toBe(20 * 24 * 3600 * 1000);
      const [s, b] = await Promise.all([balances(t, seller), balances(t, buyer)]);
      expect(s.quota(market)).toEqual({ available: '87654.322', locked: '12345.678' });
      expect(b.cash).toEqual({ available: '9407.79', locked: '10592.21' });
    });

    it('is hidden from the county regulators and from another city', async () => {
      for (const outsider of [county, otherCounty, baotou]) {
        const queue = expectStatus(await client(t, outsider.apiKey).get('/v1/approvals'), 200);
        expect(queue.body.items.map((x: any) => x.id)).not.toContain(trade.id);
        const history = expectStatus(await client(t, outsider.apiKey).get('/v1/trades'), 200);
        expect(history.body.items.map((x: any) => x.id)).not.toContain(trade.id);
        const read = await client(t, outsider.apiKey).get(`/v1/trades/${trade.id}`);
        expectProblem(read, 404, 'NOT_FOUND');
        const approve = await client(t, outsider.apiKey).post(`/v1/trades/${trade.id}/approve`, {});
        expectProblem(approve, 403, 'FORBIDDEN');
        const reject = await client(t, outsider.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: 'not mine to decide' });
        expect(reject.status).toBe(403);
      }
      expect((await client(t, t.adminKey).get(`/v1/trades/${trade.id}`)).body.status).toBe('PENDING_APPROVAL');
    });

    it('refuses the parties deciding their own trade', async () => {
      for (const party of [seller, buyer]) {
        const approve = await client(t, party.apiKey).post(`/v1/trades/${trade.id}/approve`, {});
        expectProblem(approve, 403, 'FORBIDDEN');
        expect((await client(t, party.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: 'changed my mind' })).status).toBe(403);
        expect((await client(t, party.apiKey).get('/v1/approvals')).status).toBe(403);
      }
      expect((await client(t, t.adminKey).post(`/v1/trades/${trade.id}/approve`, {})).status).toBe(403);
    });

    it('lets the parties read it and shows it pending on the public tape', async () => {
      for (const party of [seller, buyer]) {
        expect(expectStatus(await client(t, party.apiKey).get(`/v1/trades/${trade.id}`), 200).body).toEqual(trade);
      }
      const tape = expectStatus(await client(t, buyer.apiKey).get(`/v1/markets/${market}/trades`), 200).body.items;
      expect(tape.find((x: any) => x.id === trade.id)).toEqual({ id: trade.id, price: '0.8537', volume: '12345.678', at: expect.any(String), status: 'PENDING_APPROVAL' });
    });

    it('is in the city regulator\'s queue with its checks: USE_CONVERSION warns', async () => {
      const queue = expectStatus(await client(t, city.apiKey).get('/v1/approvals?status=PENDING_APPROVAL'), 200).body;
      const item = queue.items.find((x: any) => x.id === trade.id);
      expect(item).toBeDefined();
      const byRule = Object.fromEntries(item.checks.map((c: any) => [c.rule, c]));
      expect(Object.keys(byRule).sort()).toEqual(['BUYER_REGION_CAP', 'GROUNDWATER_OVERDRAFT', 'RIGHT_VALIDITY', 'USE_CONVERSION']);
      expect(byRule.USE_CONVERSION).toEqual({ rule: 'USE_CONVERSION', passed: false, severity: 'WARN', detail: expect.stringContaining('INDUSTRY') });
      for (const rule of ['BUYER_REGION_CAP', 'GROUNDWATER_OVERDRAFT', 'RIGHT_VALIDITY']) expect(byRule[rule]).toMatchObject({ passed: true, severity: 'BLOCK' });
      expect(expectStatus(await client(t, city.apiKey).get(`/v1/trades/${trade.id}`), 200).body.checks).toEqual(item.checks);
      expect(expectStatus(await client(t, province.apiKey).get(`/v1/trades/${trade.id}`), 200).body.id).toBe(trade.id);
    });

    it('settles on the city regulator\'s approval, exact to the fen', async () => {
      const res = expectStatus(await client(t, city.apiKey).post(`/v1/trades/${trade.id}/approve`, { comment: '农转非: farming needs of the district stay met.' }), 200);
      expect(res.body).toMatchObject({ id: trade.id, status: 'SETTLED', decision: 'APPROVED', decidedBy: city.id, amount: '10539.51', buyerFee: '52.70', sellerFee: '52.70' });
      expect(Date.parse(res.body.decidedAt)).toBeGreaterThanOrEqual(Date.parse(trade.createdAt));
      expect(res.body.checks.find((c: any) => c.rule === 'USE_CONVERSION').passed).toBe(false);

      const [s, b, o] = await Promise.all([balances(t, seller), balances(t, buyer), balances(t, operator)]);
      expect(s.cash).toEqual({ available: '10486.81', locked: '0.00' }); // 10539.51 − 52.70
      expect(b.cash).toEqual({ available: '9407.79', locked: '0.00' }); // 20000.00 − 10539.51 − 52.70
      expect(new Decimal(o.cash.available).minus(operatorBefore.available).toFixed(2)).toBe('105.40');
      expect(s.quota(market)).toEqual({ available: '87654.322', locked: '0' });
      expect(b.quota(market)).toEqual({ available: '12345.678', locked: '0' });
    });

    it('moves the cap figures of the two counties and leaves the city\'s alone', async () => {
      const delta = (after: any, before: any, field: string) => new Decimal(after[field]).minus(before[field]).toFixed();
      const buyerCounty = await capView(t, '150422');
      const sellerCounty = await capView(t, '150421');
      expect(delta(buyerCounty, capsBefore['150422'], 'transferredIn')).toBe('12345.678');
      expect(delta(buyerCounty, capsBefore['150422'], 'transferredOut')).toBe('0');
      expect(delta(sellerCounty, capsBefore['150421'], 'transferredOut')).toBe('12345.678');
      expect(delta(sellerCounty, capsBefore['150421'], 'transferredIn')).toBe('0');
      expect(await capView(t, '150400')).toEqual(capsBefore['150400']);
      expect(await capView(t, '150000')).toEqual(capsBefore['150000']);
    });

    it('shows the outcome to both parties, on the tape and in the audit log', async () => {
      for (const party of [seller, buyer]) {
        const mine = expectStatus(await client(t, party.apiKey).get('/v1/trades'), 200).body.items;
        expect(mine.find((x: any) => x.id === trade.id)).toMatchObject({ status: 'SETTLED', decision: 'APPROVED', decidedBy: city.id });
      }
      const tape = expectStatus(await client(t, seller.apiKey).get(`/v1/markets/${market}/trades`), 200).body.items;
      expect(tape.find((x: any) => x.id === trade.id).status).toBe('SETTLED');
      const settled = (await auditOf(t, 'trade', trade.id)).filter((e) => e.action === 'trade.settled');
      expect(settled).toHaveLength(1);
      expect(settled[0]).toMatchObject({ actorId: city.id, before: { status: 'PENDING_APPROVAL' }, after: { status: 'SETTLED', decision: 'APPROVED' } });
      const m = expectStatus(await client(t, seller.apiKey).get(`/v1/markets/${market}`), 200).body;
      expect(m.lastPrice).toBe('0.8537');
    });

    it('cannot be decided again', async () => {
      const again = await client(t, city.apiKey).post(`/v1/trades/${trade.id}/approve`, {});
      expectProblem(again, 409, 'INVALID_STATE');
      const reject = await client(t, city.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: 'too late' });
      expectProblem(reject, 409, 'INVALID_STATE');
      expect((await balances(t, buyer)).quota(market)).toEqual({ available: '12345.678', locked: '0' });
    });

    it('moves to the SETTLED queue', async () => {
      const pending = expectStatus(await client(t, city.apiKey).get('/v1/approvals'), 200).body.items;
      expect(pending.map((x: any) => x.id)).not.toContain(trade.id);
      const settled = expectStatus(await client(t, city.apiKey).get('/v1/approvals?status=SETTLED'), 200).body.items;
      expect(settled.map((x: any) => x.id)).toContain(trade.id);
    });
  });

  describe('rejection', () => {
    let seller: Party;
    let buyer: Party;
    let trade: any;

    beforeAll(async () => {
      [seller, buyer] = await Promise.all([district(), enterprise()]);
      await fundQuota(t, county.apiKey, seller, '5000', AGRI);
      await fundCash(t, buyer, '10000.00');
      trade = await cross(t, market, seller, buyer, '0.8537', '4321.5'); // 3689.26 + 18.45
    });

    it('requires a reason', async () => {
      for (const body of [{}, { reason: '' }, { reason: 42 }, { comment: 'no' }]) {
        const res = await client(t, city.apiKey).post(`/v1/trades/${trade.id}/reject`, body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
      expect((await client(t, city.apiKey).get(`/v1/trades/${trade.id}`)).body.status).toBe('PENDING_APPROVAL');
    });

    it('returns the quota and the cash exactly', async () => {
      const mid = await Promise.all([balances(t, seller), balances(t, buyer)]);
      expect(mid[0].quota(market)).toEqual({ available: '678.5', locked: '4321.5' });
      expect(mid[1].cash).toEqual({ available: '6292.29', locked: '3707.71' });

      const res = expectStatus(await client(t, city.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: '农转非 would leave the district short for irrigation.' }), 200);
      expect(res.body).toMatchObject({ status: 'REJECTED', decision: 'REJECTED', decidedBy: city.id, reason: '农转非 would leave the district short for irrigation.' });
      const [s, b] = await Promise.all([balances(t, seller), balances(t, buyer)]);
      expect(s.quota(market)).toEqual({ available: '5000', locked: '0' });
      expect(s.cash).toEqual({ available: '0.00', locked: '0.00' });
      expect(b.cash).toEqual({ available: '10000.00', locked: '0.00' });
      expect(b.quota(market)).toEqual({ available: '0', locked: '0' });
    });

    it('is final: approving or rejecting again is INVALID_STATE', async () => {
      const approve = await client(t, city.apiKey).post(`/v1/trades/${trade.id}/approve`, {});
      expectProblem(approve, 409, 'INVALID_STATE');
      const reject = await client(t, province.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: 'twice' });
      expectProblem(reject, 409, 'INVALID_STATE');
      expect((await balances(t, buyer)).cash).toEqual({ available: '10000.00', locked: '0.00' });
    });

    it('shows both parties the status and the reason, and the tape the status', async () => {
      for (const party of [seller, buyer]) {
        const rejected = expectStatus(await client(t, party.apiKey).get('/v1/trades?status=REJECTED'), 200).body.items;
        expect(rejected.map((x: any) => x.id)).toEqual([trade.id]);
        expect(rejected[0]).toMatchObject({ status: 'REJECTED', decision: 'REJECTED', reason: '农转非 would leave the district short for irrigation.' });
        expect(expectStatus(await client(t, party.apiKey).get('/v1/trades?status=SETTLED'), 200).body.items).toEqual([]);
      }
      const stranger = await enterprise('150421');
      expect(expectStatus(await client(t, stranger.apiKey).get('/v1/trades'), 200).body.items).toEqual([]);
      expect((await client(t, stranger.apiKey).get(`/v1/trades/${trade.id}`)).status).toBe(404);
      const tape = expectStatus(await client(t, stranger.apiKey).get(`/v1/markets/${market}/trades`), 200).body.items;
      expect(tape.find((x: any) => x.id === trade.id).status).toBe('REJECTED');
      const audit = await auditOf(t, 'trade', trade.id);
      expect(audit.filter((e) => e.action === 'trade.rejected')).toEqual([expect.objectContaining({ actorId: city.id })]);
    });
  });

  describe('concurrent decisions of one trade', () => {
    it('settles once under five concurrent approvals', async () => {
      const [seller, buyer] = await Promise.all([district(), enterprise()]);
      await fundQuota(t, county.apiKey, seller, '3000', AGRI);
      await fundCash(t, buyer, '5000.00');
      const operatorBefore = (await balances(t, operator)).cash.available;
      const trade = await cross(t, market, seller, buyer, '0.9', '3000'); // 2700.00 + 13.50 a side
      const deciders = [city, province, city, province, city];
      const results = await Promise.all(deciders.map((r) => client(t, r.apiKey).post(`/v1/trades/${trade.id}/approve`, {})));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status !== 200)) expectProblem(r, 409, 'INVALID_STATE');

      const [s, b, o] = await Promise.all([balances(t, seller), balances(t, buyer), balances(t, operator)]);
      expect(s.cash).toEqual({ available: '2686.50', locked: '0.00' });
      expect(b.cash).toEqual({ available: '2286.50', locked: '0.00' });
      expect(b.quota(market)).toEqual({ available: '3000', locked: '0' });
      expect(s.quota(market)).toEqual({ available: '0', locked: '0' });
      expect(new Decimal(o.cash.available).minus(operatorBefore).toFixed(2)).toBe('27.00');
      const audit = await auditOf(t, 'trade', trade.id);
      expect(audit.filter((e) => e.action === 'trade.settled')).toHaveLength(1);
      expect(audit.filter((e) => e.action === 'trade.posted')).toHaveLength(2);
    });

    it('replays one approval to concurrent retries carrying the same Idempotency-Key', async () => {
      const [seller, buyer] = await Promise.all([district(), enterprise()]);
      await fundQuota(t, county.apiKey, seller, '1000', AGRI);
      await fundCash(t, buyer, '2000.00');
      const trade = await cross(t, market, seller, buyer, '1.23', '1000');
      const key = randomUUID();
      const results = await Promise.all([0, 1, 2].map(() => client(t, city.apiKey).post(`/v1/trades/${trade.id}/approve`, { comment: 'ok' }, { 'Idempotency-Key': key })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(results[1].body).toEqual(results[0].body);
      expect(results[2].body).toEqual(results[0].body);
      expect(results[0].body).toMatchObject({ status: 'SETTLED', decision: 'APPROVED' });
      expect((await balances(t, seller)).cash.available).toBe('1223.85');
      expect((await balances(t, buyer)).cash).toEqual({ available: '763.85', locked: '0.00' });
      expect((await auditOf(t, 'trade', trade.id)).filter((e) => e.action === 'trade.settled')).toHaveLength(1);
    });

    it('resolves approvals racing rejections to exactly one outcome', async () => {
      for (let round = 0; round < 3; round++) {
        const [seller, buyer] = await Promise.all([district(), enterprise()]);
        await fundQuota(t, county.apiKey, seller, '1000', AGRI);
        await fundCash(t, buyer, '2000.00');
        const trade = await cross(t, market, seller, buyer, '1.23', '1000'); // 1230.00 + 6.15 a side
        const calls = [
          () => client(t, city.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: `race ${round}` }),
          () => client(t, province.apiKey).post(`/v1/trades/${trade.id}/approve`, {}),
          () => client(t, city.apiKey).post(`/v1/trades/${trade.id}/approve`, {}),
          () => client(t, province.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: `race ${round}` }),
          () => client(t, city.apiKey).post(`/v1/trades/${trade.id}/approve`, {}),
        ];
        const results = await Promise.all((round % 2 ? calls.reverse() : calls).map((call) => call()));
        const winners = results.filter((r) => r.status === 200);
        expect(winners).toHaveLength(1);
        for (const r of results.filter((x) => x.status !== 200)) expectProblem(r, 409, 'INVALID_STATE');

        const final = expectStatus(await client(t, t.adminKey).get(`/v1/trades/${trade.id}`), 200).body;
        expect(final).toEqual(winners[0].body);
        const [s, b] = await Promise.all([balances(t, seller), balances(t, buyer)]);
        if (final.status === 'SETTLED') {
          expect(s.cash.available).toBe('1223.85');
          expect(b.cash).toEqual({ available: '763.85', locked: '0.00' });
          expect(b.quota(market)).toEqual({ available: '1000', locked: '0' });
        } else {
          expect(final.status).toBe('REJECTED');
          expect(s.quota(market)).toEqual({ available: '1000', locked: '0' });
          expect(b.cash).toEqual({ available: '2000.00', locked: '0.00' });
        }
        const decided = (await auditOf(t, 'trade', trade.id)).filter((e) => e.action === 'trade.settled' || e.action === 'trade.rejected');
        expect(decided).toHaveLength(1);
      }
    });
  });

  describe('blocking checks', () => {
    it('BUYER_REGION_CAP: a buyer county at its cap cannot receive water from another county', async () => {
      const op = client(t, t.adminKey);
      const [seller, local, buyer] = await Promise.all([district(), createParticipant(t, 'WATER_USER', '150423'), enterprise('150423')]);
      await fundQuota(t, county.apiKey, seller, '2000', AGRI);
      await fundQuota(t, city.apiKey, local, '9000', AGRI); // allocated in 150423 before any cap
      await fundCash(t, buyer, '5000.00');
      expectStatus(await op.put(`/v1/regions/150423/caps/${TRADING_YEAR}`, { totalCap: '10000' }), 200);

      // Fits the 1000 m³ of headroom when matched; the cap is lowered before the decision.
      const fits = await cross(t, market, seller, buyer, '1', '800');
      expect(fits.checks.find((c: any) => c.rule === 'BUYER_REGION_CAP').passed).toBe(true);
      expect(fits.status).toBe('PENDING_APPROVAL');
      expect(expectStatus(await op.put(`/v1/regions/150423/caps/${TRADING_YEAR}`, { totalCap: '9000' }), 200).body.headroom).toBe('0');
      const late = await client(t, city.apiKey).post(`/v1/trades/${fits.id}/approve`, {});
      expectProblem(late, 409, 'CHECK_FAILED');
      expect(late.body.detail).toContain('BUYER_REGION_CAP');

      const full = await cross(t, market, seller, buyer, '1', '100');
      expect(full.checks.find((c: any) => c.rule === 'BUYER_REGION_CAP')).toMatchObject({ passed: false, severity: 'BLOCK' });
      const res = await client(t, city.apiKey).post(`/v1/trades/${full.id}/approve`, {});
      expectProblem(res, 409, 'CHECK_FAILED');

      // Nothing moved: both stay pending with their escrow, and the regulator may still reject.
      for (const id of [fits.id, full.id]) expect(expectStatus(await op.get(`/v1/trades/${id}`), 200).body.status).toBe('PENDING_APPROVAL');
      expect((await balances(t, buyer)).cash).toEqual({ available: '4095.50', locked: '904.50' }); // 804.00 + 100.50 in escrow
      expect((await capView(t, '150423')).transferredIn).toBe('0');
      for (const id of [fits.id, full.id]) expectStatus(await client(t, city.apiKey).post(`/v1/trades/${id}/reject`, { reason: '巴林右旗 is at its cap' }), 200);
      expect((await balances(t, buyer)).cash).toEqual({ available: '5000.00', locked: '0.00' });
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '2000', locked: '0' });
    });

    it('BUYER_REGION_CAP: of two trades that each fit the last headroom, concurrent approvals settle only one', async () => {
      const op = client(t, t.adminKey);
      const [seller, local, buyer] = await Promise.all([district(), createParticipant(t, 'WATER_USER', '150425'), enterprise('150425')]);
      await fundQuota(t, county.apiKey, seller, '1200', AGRI);
      await fundQuota(t, city.apiKey, local, '9000', AGRI);
      await fundCash(t, buyer, '2000.00');
      expectStatus(await op.put(`/v1/regions/150425/caps/${TRADING_YEAR}`, { totalCap: '10000' }), 200);
      const first = await cross(t, market, seller, buyer, '1', '600');
      const second = await cross(t, market, seller, buyer, '1', '600');
      for (const trade of [first, second]) expect(trade.checks.find((c: any) => c.rule === 'BUYER_REGION_CAP').passed).toBe(true);

      const results = await Promise.all([
        client(t, city.apiKey).post(`/v1/trades/${first.id}/approve`, {}),
        client(t, province.apiKey).post(`/v1/trades/${second.id}/approve`, {}),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expectProblem(results.find((r) => r.status !== 200)!, 409, 'CHECK_FAILED');
      expect(await capView(t, '150425')).toMatchObject({ totalCap: '10000', allocated: '9000', transferredIn: '600', headroom: '400' });
      expect((await balances(t, buyer)).quota(market)).toEqual({ available: '600', locked: '0' });
    });

    it('BUYER_REGION_CAP: twelve concurrent approvals into a county fill its headroom exactly', async () => {
      const op = client(t, t.adminKey);
      const [seller, local, buyer] = await Promise.all([district(), createParticipant(t, 'WATER_USER', '150426'), enterprise('150426')]);
      await fundQuota(t, county.apiKey, seller, '6000', AGRI);
      await fundQuota(t, city.apiKey, local, '5000', AGRI);
      await fundCash(t, buyer, '10000.00');
      expectStatus(await op.put(`/v1/regions/150426/caps/${TRADING_YEAR}`, { totalCap: '10000' }), 200);
      expectStatus(await placeOrder(t, seller, market, { side: 'SELL', price: '1', volume: '6000' }), 201);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push(expectStatus(await placeOrder(t, buyer, market, { side: 'BUY', price: '1', volume: '500' }), 201).body.trades[0].id);

      const results = await Promise.all(ids.map((id, i) => client(t, (i % 2 ? city : province).apiKey).post(`/v1/trades/${id}/approve`, {})));
      expect(results.filter((r) => r.status === 200)).toHaveLength(10);
      for (const r of results.filter((x) => x.status !== 200)) expectProblem(r, 409, 'CHECK_FAILED');
      expect(await capView(t, '150426')).toMatchObject({ allocated: '5000', transferredIn: '5000', headroom: '0' });
      expect((await balances(t, buyer)).quota(market)).toEqual({ available: '5000', locked: '0' });
      // 10 × 502.50 paid; the two refused trades keep 2 × 502.50 in escrow.
      expect((await balances(t, buyer)).cash).toEqual({ available: '3970.00', locked: '1005.00' });
    });

    it('GROUNDWATER_OVERDRAFT: groundwater cannot be bought into an overdraft county', async () => {
      const gw = (await openMarket(t, { regionCode: '150421', source: 'GROUNDWATER', feeRate: '0.005' })).id;
      const [seller, buyer] = await Promise.all([district(), enterprise('150424')]);
      await fundQuota(t, county.apiKey, seller, '1000', { ...AGRI, source: 'GROUNDWATER' });
      await fundCash(t, buyer, '1000.00');
      const trade = await cross(t, gw, seller, buyer, '0.5', '600');
      expect(trade.checks.find((c: any) => c.rule === 'GROUNDWATER_OVERDRAFT')).toMatchObject({ passed: false, severity: 'BLOCK', detail: expect.stringContaining('150424') });
      const res = await client(t, city.apiKey).post(`/v1/trades/${trade.id}/approve`, {});
      expectProblem(res, 409, 'CHECK_FAILED');
      expect(res.body.detail).toContain('GROUNDWATER_OVERDRAFT');
      const b = await balances(t, buyer);
      expect(b.quota(gw)).toEqual({ available: '0', locked: '0' });
      expect(b.cash).toEqual({ available: '698.50', locked: '301.50' });
      expect(expectStatus(await client(t, city.apiKey).get(`/v1/trades/${trade.id}`), 200).body.status).toBe('PENDING_APPROVAL');
    });
  });

  describe('afterwards', () => {
    it('pages the approval queue oldest first and the trade history newest first', async () => {
      const pageThrough = async (path: string, limit: number) => {
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const sep = path.includes('?') ? '&' : '?';
          const page: any = expectStatus(await client(t, city.apiKey).get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 200).body;
          ids.push(...page.items.map((x: any) => x.id));
          cursor = page.nextCursor;
        } while (cursor);
        return ids;
      };
      const queue = expectStatus(await client(t, city.apiKey).get('/v1/approvals?status=SETTLED&limit=500'), 200).body.items;
      expect(queue.length).toBeGreaterThan(5);
      const created = queue.map((x: any) => Date.parse(x.createdAt));
      expect([...created].sort((a, b) => a - b)).toEqual(created);
      expect(await pageThrough('/v1/approvals?status=SETTLED', 3)).toEqual(queue.map((x: any) => x.id));

      const history = expectStatus(await client(t, city.apiKey).get('/v1/trades?limit=500'), 200).body.items;
      expect(history.map((x: any) => x.id)).toEqual(
        [...history].sort((a: any, b: any) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).map((x: any) => x.id),
      );
      expect(await pageThrough('/v1/trades', 4)).toEqual(history.map((x: any) => x.id));
      expectProblem(await client(t, city.apiKey).get('/v1/approvals?status=EXPIRED'), 400, 'VALIDATION_FAILED');
      expectProblem(await client(t, city.apiKey).get('/v1/approvals?limit=0'), 400, 'VALIDATION_FAILED');
    });

    it('leaves the ledger and the audit chain valid', async () => {
      const ledger = await ledgerReport(t);
      expect(ledger).toMatchObject({ valid: true, problems: [] });
      expect(expectStatus(await client(t, t.adminKey).get('/v1/audit/verify'), 200).body.valid).toBe(true);
    });
  });
});
