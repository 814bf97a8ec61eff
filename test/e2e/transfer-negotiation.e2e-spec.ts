import Decimal from 'decimal.js';
import { createParticipant, Party } from './support/fixtures';
import { expectProblem } from './support/problem';
import { client, TestApp } from './support/test-app';
import { AGRI, auditOf, balances, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, ledgerReport, openMarket } from './support/trading';

// Each suite runs real service processes; its own limit keeps it independent of the shared jest config.
jest.setTimeout(30_000);

async function auditActions(t: TestApp, entityId: string) {
  return (await auditOf(t, 'transfer', entityId)).filter((e) => /^transfer\.(proposed|accepted|declined|cancelled)$/.test(e.action));
}

describe('negotiated transfers (协议转让)', () => {
  let t: TestApp;
  let operator: Party;
  let county: Party; // 150421
  let city: Party; // 150400
  let market: string;
  let seller: Party; // irrigation district, 150421
  let buyer: Party; // enterprise, 150422
  let stranger: Party;

  const propose = (from: Party, body: Record<string, unknown>) =>
    client(t, from.apiKey).post('/v1/transfers', { marketId: market, buyerId: buyer.id, volume: '1000', price: '0.85', ...body });

  beforeAll(async () => {
    ({ t, operator, regulators: [county, city] } = await startTradeScene({ regulators: ['150421', '150400'] }));
    market = (await openMarket(t, { regionCode: '150421', feeRate: '0.005', priceTick: '0.05', minVolume: '100' })).id;
    [seller, buyer, stranger] = await Promise.all([
      createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
      createParticipant(t, 'ENTERPRISE', '150422'),
      createParticipant(t, 'ENTERPRISE', '150421'),
    ]);
    await fundQuota(t, county.apiKey, seller, '50000', AGRI);
  });
  afterAll(() => t.close());

  describe('proposing', () => {
    it('locks the seller\'s quota and names the buyer', async () => {
      const res = expectStatus(await propose(seller, { volume: '20000', price: '0.85', note: '2026 灌溉节余水量' }), 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/), marketId: market, sellerId: seller.id, buyerId: buyer.id,
        volume: '20000', price: '0.85', note: '2026 灌溉节余水量', status: 'PROPOSED', tradeId: null, createdAt: expect.any(String),
      });
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '30000', locked: '20000' });
      expectStatus(await client(t, seller.apiKey).post(`/v1/transfers/${res.body.id}/cancel`), 200);
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '50000', locked: '0' });
    });

    it('refuses more than the seller\'s available quota', async () => {
      expectProblem(await propose(seller, { volume: '50000.001' }), 409, 'INSUFFICIENT_QUOTA');
      expectProblem(await propose(stranger, { volume: '100' }), 409, 'INSUFFICIENT_QUOTA');
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '50000', locked: '0' });
    });

    it('follows the market\'s price tick and minimum volume', async () => {
      const offTick = await propose(seller, { price: '0.87' });
      expectProblem(offTick, 400, 'VALIDATION_FAILED');
      expect(offTick.body.errors).toEqual([expect.objectContaining({ field: 'price' })]);
      const small = await propose(seller, { volume: '99.999' });
      expectProblem(small, 400, 'VALIDATION_FAILED');
      expect(small.body.errors).toEqual([expect.objectContaining({ field: 'volume' })]);
      for (const body of [{ price: 0.85 }, { volume: '-5' }, { price: '0' }, { buyerId: 'nope' }, { extra: true }]) {
        expectProblem(await propose(seller, body), 400, 'VALIDATION_FAILED');
      }
      expectProblem(await propose(seller, { buyerId: seller.id }), 400, 'VALIDATION_FAILED');
      expectProblem(await propose(seller, { buyerId: county.id }), 400, 'VALIDATION_FAILED');
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '50000', locked: '0' });
    });

    it('is refused in a halted market, as is accepting; declining and cancelling still work', async () => {
      const pending = expectStatus(await propose(seller, { volume: '500' }), 201).body;
      const other = expectStatus(await propose(seller, { volume: '300' }), 201).body;
      expectStatus(await client(t, t.adminKey).post(`/v1/markets/${market}/halt`, {}), 200);
      try {
        expectProblem(await propose(seller, { volume: '100' }), 409, 'MARKET_HALTED');
        await fundCash(t, buyer, '1000.00');
        expectProblem(await client(t, buyer.apiKey).post(`/v1/transfers/${pending.id}/accept`), 409, 'MARKET_HALTED');
        expect((await balances(t, buyer)).cash).toEqual({ available: '1000.00', locked: '0.00' });
        expectStatus(await client(t, buyer.apiKey).post(`/v1/transfers/${pending.id}/decline`), 200);
        expectStatus(await client(t, seller.apiKey).post(`/v1/transfers/${other.id}/cancel`), 200);
      } finally {
        expectStatus(await client(t, t.adminKey).post(`/v1/markets/${market}/resume`, {}), 200);
      }
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '50000', locked: '0' });
      const w = expectStatus(await client(t, buyer.apiKey).post(`/v1/participants/${buyer.id}/withdrawals`, { amount: '1000.00' }), 201);
      expect(w.body.reason).toBe('WITHDRAWAL');
    });
  });

  describe('accepting', () => {
    let transfer: any;
    let trade: any;
    let operatorBefore: string;

    beforeAll(async () => {
      transfer = expectStatus(await propose(seller, { volume: '12000', price: '0.85' }), 201).body; // 10200.00, fee 51.00 a side
      operatorBefore = (await balances(t, operator)).cash.available;
    });

    it('without the cash: INSUFFICIENT_FUNDS, and the transfer stays PROPOSED', async () => {
      await fundCash(t, buyer, '10250.99'); // a fen short of 10251.00
      expectProblem(await client(t, buyer.apiKey).post(`/v1/transfers/${transfer.id}/accept`), 409, 'INSUFFICIENT_FUNDS');
      expect(expectStatus(await client(t, buyer.apiKey).get(`/v1/transfers/${transfer.id}`), 200).body).toMatchObject({ status: 'PROPOSED', tradeId: null });
      expect((await balances(t, buyer)).cash).toEqual({ available: '10250.99', locked: '0.00' });
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '38000', locked: '12000' });
      expect(expectStatus(await client(t, buyer.apiKey).get('/v1/trades'), 200).body.items).toEqual([]);
    });

    it('by anyone but the named buyer: 403 for the seller and the operator, 404 for the others', async () => {
      expectProblem(await client(t, seller.apiKey).post(`/v1/transfers/${transfer.id}/accept`), 403, 'FORBIDDEN');
      expectProblem(await client(t, t.adminKey).post(`/v1/transfers/${transfer.id}/accept`), 403, 'FORBIDDEN');
      for (const other of [stranger, county, city]) {
        expectProblem(await client(t, other.apiKey).post(`/v1/transfers/${transfer.id}/accept`), 404, 'NOT_FOUND');
        expectProblem(await client(t, other.apiKey).post(`/v1/transfers/${transfer.id}/decline`), 404, 'NOT_FOUND');
        expectProblem(await client(t, other.apiKey).post(`/v1/transfers/${transfer.id}/cancel`), 404, 'NOT_FOUND');
      }
      expectProblem(await client(t, seller.apiKey).post(`/v1/transfers/${transfer.id}/decline`), 403, 'FORBIDDEN');
      expectProblem(await client(t, buyer.apiKey).post(`/v1/transfers/${transfer.id}/cancel`), 403, 'FORBIDDEN');
      expect(expectStatus(await client(t, seller.apiKey).get(`/v1/transfers/${transfer.id}`), 200).body.status).toBe('PROPOSED');
    });

    it('locks amount + fee and creates a PENDING_APPROVAL trade', async () => {
      await fundCash(t, buyer, '0.01');
      const res = expectStatus(await client(t, buyer.apiKey).post(`/v1/transfers/${transfer.id}/accept`), 200);
      expect(res.body).toMatchObject({ id: transfer.id, status: 'ACCEPTED', tradeId: expect.stringMatching(/^[0-9a-f-]{36}$/), volume: '12000', price: '0.85' });
      trade = expectStatus(await client(t, buyer.apiKey).get(`/v1/trades/${res.body.tradeId}`), 200).body;
      expect(trade).toMatchObject({
        marketId: market, sellerId: seller.id, buyerId: buyer.id, price: '0.85', volume: '12000', amount: '10200.00',
        buyerFee: '51.00', sellerFee: '51.00', status: 'PENDING_APPROVAL', decision: null, transferId: transfer.id,
      });
      expect((await balances(t, buyer)).cash).toEqual({ available: '0.00', locked: '10251.00' });
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '38000', locked: '12000' });
      const tape = expectStatus(await client(t, stranger.apiKey).get(`/v1/markets/${market}/trades`), 200).body.items;
      expect(tape.find((x: any) => x.id === trade.id)).toMatchObject({ price: '0.85', volume: '12000', status: 'PENDING_APPROVAL' });
    });

    it('cannot be acted on again once ACCEPTED', async () => {
      expectProblem(await client(t, buyer.apiKey).post(`/v1/transfers/${transfer.id}/accept`), 409, 'INVALID_STATE');
      expectProblem(await client(t, buyer.apiKey).post(`/v1/transfers/${transfer.id}/decline`), 409, 'INVALID_STATE');
      expectProblem(await client(t, seller.apiKey).post(`/v1/transfers/${transfer.id}/cancel`), 409, 'INVALID_STATE');
      expect((await balances(t, seller)).quota(market)).toEqual({ available: '38000', locked: '12000' });
      expect((await balances(t, buyer)).cash).toEqual({ available: '0.00', locked: '10251.00' });
    });

    it('goes through approval and settles like any other trade', async () => {
      const outside = await client(t, county.apiKey).post(`/v1/trades/${trade.id}/approve`, {});
      expectProblem(outside, 403, 'FORBIDDEN');
      const queue = expectStatus(await client(t, city.apiKey).get('/v1/approvals'), 200).body.items;
      expect(queue.find((x: any) => x.id === trade.id)?.checks.find((c: any) => c.rule === 'USE_CONVERSION').passed).toBe(false);
      const res = expectStatus(await client(t, city.apiKey).post(`/v1/trades/${trade.id}/approve`, {}), 200);
      expect(res.body).toMatchObject({ status: 'SETTLED', decision: 'APPROVED', decidedBy: city.id, transferId: transfer.id });
      const [s, b, o] = await Promise.all([balances(t, seller), balances(t, buyer), balances(t, operator)]);
      expect(s.cash).toEqual({ available: '10149.00', locked: '0.00' });
      expect(s.quota(market)).toEqual({ available: '38000', locked: '0' });
      expect(b.cash).toEqual({ available: '0.00', locked: '0.00' });
      expect(b.quota(market)).toEqual({ available: '12000', locked: '0' });
      expect(new Decimal(o.cash.available).minus(operatorBefore).toFixed(2)).toBe('102.00');
      expect(expectStatus(await client(t, seller.apiKey).get(`/v1/transfers/${transfer.id}`), 200).body).toMatchObject({ status: 'ACCEPTED', tradeId: trade.id });
    });
  });

  describe('declining and cancelling', () => {
    it('unlocks the quota exactly on decline, after which nothing more can happen', async () => {
      const before = (await balances(t, seller)).quota(market);
      const tr = expectStatus(await propose(seller, { volume: '1234.567', price: '1.05' }), 201).body;
      expect((await balances(t, seller)).quota(market)).toEqual({
        available: new Decimal(before.available).minus('1234.567').toFixed(),
        locked: new Decimal(before.locked).plus('1234.567').toFixed(),
      });
      const res = expectStatus(await client(t, buyer.apiKey).post(`/v1/transfers/${tr.id}/decline`), 200);
      expect(res.body).toMatchObject({ id: tr.id, status: 'DECLINED', tradeId: null });
      expect((await balances(t, seller)).quota(market)).toEqual(before);
      expectProblem(await client(t, buyer.apiKey).post(`/v1/transfers/${tr.id}/accept`), 409, 'INVALID_STATE');
      expectProblem(await client(t, buyer.apiKey).post(`/v1/transfers/${tr.id}/decline`), 409, 'INVALID_STATE');
      expectProblem(await client(t, seller.apiKey).post(`/v1/transfers/${tr.id}/cancel`), 409, 'INVALID_STATE');
      expect((await balances(t, seller)).quota(market)).toEqual(before);
    });

    it('unlocks the quota exactly on cancel, after which the buyer cannot accept', async () => {
      const before = (await balances(t, seller)).quota(market);
      const tr = expectStatus(await propose(seller, { volume: '100', price: '0.05' }), 201).body;
      const res = expectStatus(await client(t, seller.apiKey).post(`/v1/transfers/${tr.id}/cancel`), 200);
      expect(res.body).toMatchObject({ id: tr.id, status: 'CANCELLED', tradeId: null });
      expect((await balances(t, seller)).quota(market)).toEqual(before);
      await fundCash(t, buyer, '100.00');
      expectProblem(await client(t, buyer.apiKey).post(`/v1/transfers/${tr.id}/accept`), 409, 'INVALID_STATE');
      expectProblem(await client(t, buyer.apiKey).post(`/v1/transfers/${tr.id}/decline`), 409, 'INVALID_STATE');
      expect((await balances(t, buyer)).cash).toEqual({ available: '100.00', locked: '0.00' });
    });

    it('lets exactly one of a racing accept and cancel win', async () => {
      const quotaBefore = (await balances(t, seller)).quota(market);
      const cashBefore = (await balances(t, buyer)).cash;
      for (let round = 0; round < 3; round++) {
        const tr = expectStatus(await propose(seller, { volume: '100', price: '0.1' }), 201).body; // 10.00 + 0.05
        const [accept, cancel] = await Promise.all([
          client(t, buyer.apiKey).post(`/v1/transfers/${tr.id}/accept`),
          client(t, seller.apiKey).post(`/v1/transfers/${tr.id}/cancel`),
        ]);
        expect([accept.status, cancel.status].sort()).toEqual([200, 409]);
        const loser = accept.status === 200 ? cancel : accept;
        expectProblem(loser, 409, 'INVALID_STATE');
        const final = expectStatus(await client(t, seller.apiKey).get(`/v1/transfers/${tr.id}`), 200).body;
        expect(final.status).toBe(accept.status === 200 ? 'ACCEPTED' : 'CANCELLED');
        if (final.status === 'ACCEPTED') expectStatus(await client(t, city.apiKey).post(`/v1/trades/${final.tradeId}/reject`, { reason: 'race clean-up' }), 200);
      }
      expect((await balances(t, seller)).quota(market)).toEqual(quotaBefore);
      expect((await balances(t, buyer)).cash).toEqual(cashBefore);
    });
  });

  describe('in markets that decide at once', () => {
    it('settles on acceptance as FILED in a FILING market when every check passes', async () => {
      const filing = (await openMarket(t, { regionCode: '150421', source: 'RECLAIMED', feeRate: '0.005', approvalMode: 'FILING' })).id;
      const [user, district] = await Promise.all([createParticipant(t, 'WATER_USER', '150421'), createParticipant(t, 'IRRIGATION_DISTRICT', '150421')]);
      await fundQuota(t, county.apiKey, user, '800', { ...AGRI, source: 'RECLAIMED' });
      await fundCash(t, district, '500.00');
      const tr = expectStatus(await client(t, user.apiKey).post('/v1/transfers', { marketId: filing, buyerId: district.id, volume: '800', price: '0.6' }), 201).body;
      const accepted = expectStatus(await client(t, district.apiKey).post(`/v1/transfers/${tr.id}/accept`), 200).body;
      const trade = expectStatus(await client(t, user.apiKey).get(`/v1/trades/${accepted.tradeId}`), 200).body;
      expect(trade).toMatchObject({ status: 'SETTLED', decision: 'FILED', decidedBy: null, amount: '480.00', buyerFee: '2.40', transferId: tr.id });
      expect(await balances(t, district)).toMatchObject({ cash: { available: '17.60', locked: '0.00' } });
      expect((await balances(t, district)).quota(filing)).toEqual({ available: '800', locked: '0' });
      expect((await balances(t, user)).cash).toEqual({ available: '477.60', locked: '0.00' });
    });

    it('settles on acceptance as AUTO_APPROVED within autoApproveMaxVolume, and waits above it', async () => {
      const auto = (await openMarket(t, { regionCode: '150421', source: 'MINE_WATER', autoApproveMaxVolume: '500' })).id;
      const [holder, taker] = await Promise.all([createParticipant(t, 'ENTERPRISE', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
      await fundQuota(t, county.apiKey, holder, '2000', { source: 'MINE_WATER' });
      await fundCash(t, taker, '3000.00');
      const small = expectStatus(await client(t, holder.apiKey).post('/v1/transfers', { marketId: auto, buyerId: taker.id, volume: '500', price: '1' }), 201).body;
      const large = expectStatus(await client(t, holder.apiKey).post('/v1/transfers', { marketId: auto, buyerId: taker.id, volume: '500.001', price: '1' }), 201).body;
      const decided = await Promise.all([small, large].map(async (tr) => {
        const accepted = expectStatus(await client(t, taker.apiKey).post(`/v1/transfers/${tr.id}/accept`), 200).body;
        return expectStatus(await client(t, taker.apiKey).get(`/v1/trades/${accepted.tradeId}`), 200).body;
      }));
      expect(decided.map((x) => [x.status, x.decision])).toEqual([['SETTLED', 'AUTO_APPROVED'], ['PENDING_APPROVAL', null]]);
      expect((await balances(t, taker)).quota(auto)).toEqual({ available: '500', locked: '0' });
      expect((await balances(t, taker)).cash).toEqual({ available: '2000.00', locked: '500.00' }); // 500.001 m³ at 1 rounds to 500.00, no fee
    });

    it('proposes once for retries carrying the same Idempotency-Key', async () => {
      const before = (await balances(t, seller)).quota(market);
      const headers = { 'Idempotency-Key': `propose-${before.available}-${Date.now()}` };
      const body = { marketId: market, buyerId: buyer.id, volume: '100', price: '0.5' };
      const first = expectStatus(await client(t, seller.apiKey).post('/v1/transfers', body, headers), 201);
      const again = expectStatus(await client(t, seller.apiKey).post('/v1/transfers', body, headers), 201);
      expect(again.body).toEqual(first.body);
      expectProblem(await client(t, seller.apiKey).post('/v1/transfers', { ...body, volume: '200' }, headers), 409, 'IDEMPOTENCY_KEY_REUSED');
      expect((await balances(t, seller)).quota(market)).toEqual({
        available: new Decimal(before.available).minus(100).toFixed(),
        locked: new Decimal(before.locked).plus(100).toFixed(),
      });
      expectStatus(await client(t, seller.apiKey).post(`/v1/transfers/${first.body.id}/cancel`), 200);
      expect((await balances(t, seller)).quota(market)).toEqual(before);
    });
  });

  describe('reading', () => {
    it('lists each party\'s transfers, newest first, with a status filter; strangers see nothing', async () => {
      const sellerList = expectStatus(await client(t, seller.apiKey).get('/v1/transfers?limit=500'), 200).body;
      const buyerList = expectStatus(await client(t, buyer.apiKey).get('/v1/transfers?limit=500'), 200).body;
      expect(sellerList.items.length).toBeGreaterThanOrEqual(8);
      expect(buyerList.items.map((x: any) => x.id)).toEqual(sellerList.items.map((x: any) => x.id));
      const created = sellerList.items.map((x: any) => Date.parse(x.createdAt));
      expect([...created].sort((a, b) => b - a)).toEqual(created);
      expect(new Set(sellerList.items.map((x: any) => x.status))).toEqual(new Set(['ACCEPTED', 'DECLINED', 'CANCELLED']));

      const accepted = expectStatus(await client(t, buyer.apiKey).get('/v1/transfers?status=ACCEPTED'), 200).body.items;
      expect(accepted.length).toBeGreaterThanOrEqual(1);
      expect(accepted.every((x: any) => x.status === 'ACCEPTED' && x.tradeId)).toBe(true);

      const page = expectStatus(await client(t, seller.apiKey).get('/v1/transfers?limit=2'), 200).body;
      expect(page.items).toEqual(sellerList.items.slice(0, 2));
      const next = expectStatus(await client(t, seller.apiKey).get(`/v1/transfers?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`), 200).body;
      expect(next.items).toEqual(sellerList.items.slice(2, 4));

      expect(expectStatus(await client(t, stranger.apiKey).get('/v1/transfers'), 200).body).toEqual({ items: [], nextCursor: null });
      const one = sellerList.items[0];
      for (const outsider of [stranger, county, city]) expectProblem(await client(t, outsider.apiKey).get(`/v1/transfers/${one.id}`), 404, 'NOT_FOUND');
      expect(expectStatus(await client(t, t.adminKey).get(`/v1/transfers/${one.id}`), 200).body).toEqual(one);
      expectProblem(await client(t, seller.apiKey).get('/v1/transfers?status=EXPIRED'), 400, 'VALIDATION_FAILED');
    });

    it('audits every change in the transfer\'s history', async () => {
      const all = expectStatus(await client(t, seller.apiKey).get('/v1/transfers?limit=500'), 200).body.items as any[];
      for (const tr of all) {
        const entries = await auditActions(t, tr.id);
        const terminal = { ACCEPTED: 'transfer.accepted', DECLINED: 'transfer.declined', CANCELLED: 'transfer.cancelled' }[tr.status as string];
        expect(entries.map((e) => e.action)).toEqual(['transfer.proposed', terminal]);
        expect(entries[0]).toMatchObject({ actorId: seller.id, before: null, after: expect.objectContaining({ status: 'PROPOSED' }) });
        expect(entries[1]).toMatchObject({
          actorId: tr.status === 'CANCELLED' ? seller.id : buyer.id,
          before: expect.objectContaining({ status: 'PROPOSED' }),
          after: expect.objectContaining({ status: tr.status }),
        });
      }
    });
  });

  describe('afterwards', () => {
    it('leaves the ledger and the audit chain valid', async () => {
      expect(await ledgerReport(t)).toMatchObject({ valid: true, problems: [] });
      expect(expectStatus(await client(t, t.adminKey).get('/v1/audit/verify'), 200).body.valid).toBe(true);
    });
  });
});
