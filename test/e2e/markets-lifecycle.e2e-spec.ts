import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectLedgerValid, fundCash, fundQuota, openMarket, placeOrder, quotaOf, TRADING_YEAR } from './support/trading';

const Y = TRADING_YEAR;

describe('markets (交易市场): opening, reading, halting', () => {
  let t: TestApp;
  let city: Party; // 赤峰市 150400: jurisdiction over both counties
  let county: Party; // 阿鲁科尔沁旗 150421
  let baotou: Party; // 包头市 150200: a sibling city, no jurisdiction in 赤峰
  let enterprise: Party;
  let buyer: Party;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    [city, county, baotou, enterprise, buyer] = await Promise.all([
      createParticipant(t, 'REGULATOR', '150400'),
      createParticipant(t, 'REGULATOR', '150421'),
      createParticipant(t, 'REGULATOR', '150200'),
      createParticipant(t, 'ENTERPRISE', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
    ]);
  });
  afterAll(() => t.close());

  describe('opening a market', () => {
    it('lets the operator open one with the contract defaults', async () => {
      const res = await client(t, t.adminKey).post('/v1/markets', { regionCode: '150421', source: 'SURFACE', year: Y });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: `150421-SURFACE-${Y}`,
        regionCode: '150421',
        source: 'SURFACE',
        year: Y,
        feeRate: '0',
        minVolume: '1',
        priceTick: '0.01',
        approvalMode: 'APPROVAL',
        approvalDeadlineDays: 20,
        autoApproveMaxVolume: null,
        status: 'OPEN',
        lastPrice: null,
        volume24h: '0',
        createdAt: expect.any(String),
      });
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    });

    it('keeps the settings it is given', async () => {
      const res = await client(t, t.adminKey).post('/v1/markets', {
        regionCode: '150421', source: 'RECLAIMED', year: Y, feeRate: '0.005', minVolume: '10.5', priceTick: '0.05',
        approvalMode: 'FILING', approvalDeadlineDays: 30, autoApproveMaxVolume: '1000',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: `150421-RECLAIMED-${Y}`, feeRate: '0.005', minVolume: '10.5', priceTick: '0.05',
        approvalMode: 'FILING', approvalDeadlineDays: 30, autoApproveMaxVolume: '1000', status: 'OPEN',
      });
    });

    it('lets a regulator open a market in its jurisdiction, below its own region', async () => {
      const res = await client(t, city.apiKey).post('/v1/markets', { regionCode: '150422', source: 'SURFACE', year: Y });
      expect(res.status).toBe(201);
      expect(res.body.id).toBe(`150422-SURFACE-${Y}`);
      const own = await client(t, county.apiKey).post('/v1/markets', { regionCode: '150421', source: 'GROUNDWATER', year: Y });
      expect(own.status).toBe(201);
    });

    it('refuses a regulator outside the jurisdiction and a non-regulator with 403', async () => {
      for (const [key, regionCode] of [[baotou.apiKey, '150421'], [county.apiKey, '150422'], [county.apiKey, '150400']]) {
        const res = await client(t, key).post('/v1/markets', { regionCode, source: 'MINE_WATER', year: Y });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      const res = await client(t, enterprise.apiKey).post('/v1/markets', { regionCode: '150421', source: 'MINE_WATER', year: Y });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const list = await client(t, t.adminKey).get(`/v1/markets?regionCode=150421&year=${Y}`);
      expect(list.body.items.map((m: any) => m.source)).not.toContain('MINE_WATER');
    });

    it('refuses the same instrument twice with 409 DUPLICATE, whoever asks', async () => {
      const again = await client(t, t.adminKey).post('/v1/markets', { regionCode: '150421', source: 'SURFACE', year: Y, feeRate: '0.01' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('DUPLICATE');
      const byRegulator = await client(t, city.apiKey).post('/v1/markets', { regionCode: '150421', source: 'SURFACE', year: Y });
      expect(byRegulator.status).toBe(409);
      expect((await client(t, t.adminKey).get(`/v1/markets/150421-SURFACE-${Y}`)).body.feeRate).toBe('0');
    });

    it('opens exactly one market when the same instrument is requested concurrently', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () => client(t, t.adminKey).post('/v1/markets', { regionCode: '150422', source: 'RAINWATER', year: Y })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('DUPLICATE');
    });

    it('refuses a year already past with 400', async () => {
      const res = await client(t, t.adminKey).post('/v1/markets', { regionCode: '150421', source: 'MINE_WATER', year: Y - 1 });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it.each([
      ['feeRate', 0.005],
      ['minVolume', 1],
      ['priceTick', 0.01],
      ['autoApproveMaxVolume', 1000],
    ])('refuses %s sent as a JSON number with 400 naming the field', async (field, value) => {
      const res = await client(t, t.adminKey).post('/v1/markets', { regionCode: '150421', source: 'MINE_WATER', year: Y, [field]: value });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it.each([
      ['feeRate', '1'],
      ['feeRate', '-0.1'],
      ['priceTick', '0.00001'],
      ['minVolume', '0'],
      ['approvalMode', 'AUTO'],
      ['approvalDeadlineDays', '20'],
      ['year', String(Y)],
      ['unknownField', 'x'],
    ])('refuses %s = %j with 400', async (field, value) => {
      const res = await client(t, t.adminKey).post('/v1/markets', { regionCode: '150421', source: 'MINE_WATER', year: Y, [field]: value });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('refuses an unknown region with 400 and an unknown source with 400', async () => {
      expect((await client(t, t.adminKey).post('/v1/markets', { regionCode: '990000', source: 'SURFACE', year: Y })).status).toBe(400);
      expect((await client(t, t.adminKey).post('/v1/markets', { regionCode: '150421', source: 'SEA', year: Y })).status).toBe(400);
    });
  });

  describe('reading markets', () => {
    it('returns one market to any authenticated caller and 404 for an unknown id', async () => {
      const res = await client(t, enterprise.apiKey).get(`/v1/markets/150422-SURFACE-${Y}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: `150422-SURFACE-${Y}`, regionCode: '150422', status: 'OPEN', lastPrice: null, volume24h: '0' });
      expect((await client(t, enterprise.apiKey).get(`/v1/markets/150421-SEA-${Y}`)).status).toBe(404);
      expect((await client(t).get(`/v1/markets/150422-SURFACE-${Y}`)).status).toBe(401);
    });

    it('lists markets newest first, filtered by region and year, with paging', async () => {
      const all = await client(t, enterprise.apiKey).get('/v1/markets');
      expect(all.status).toBe(200);
      const ids = all.body.items.map((m: any) => m.id);
      expect(ids).toEqual(expect.arrayContaining([`150421-SURFACE-${Y}`, `150421-RECLAIMED-${Y}`, `150422-SURFACE-${Y}`, `150421-GROUNDWATER-${Y}`]));
      const created = all.body.items.map((m: any) => m.createdAt);
      expect([...created].sort().reverse()).toEqual(created);

      const county21 = await client(t, enterprise.apiKey).get('/v1/markets?regionCode=150421');
      expect(county21.body.items.length).toBeGreaterThanOrEqual(3);
      expect(county21.body.items.every((m: any) => m.regionCode === '150421')).toBe(true);

      expect((await client(t, enterprise.apiKey).get(`/v1/markets?year=${Y + 1}`)).body.items).toEqual([]);
      expect((await client(t, enterprise.apiKey).get(`/v1/markets?regionCode=150422&year=${Y}`)).body.items.map((m: any) => m.id).sort())
        .toEqual([`150422-RAINWATER-${Y}`, `150422-SURFACE-${Y}`]);

      const first = await client(t, enterprise.apiKey).get('/v1/markets?limit=2');
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await client(t, enterprise.apiKey).get(`/v1/markets?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.body.items.map((m: any) => m.id)).toEqual(ids.slice(2, 4));

      expect((await client(t, enterprise.apiKey).get('/v1/markets?limit=0')).status).toBe(400);
      expect((await client(t, enterprise.apiKey).get('/v1/markets?regionCode=15042')).status).toBe(400);
    });
  });

  describe('halting and resuming (market integrity)', () => {
    const id = `150422-SURFACE-${Y}`;

    it('halts, refuses a second halt with 409 INVALID_STATE, resumes, refuses a second resume', async () => {
      const halted = await client(t, t.adminKey).post(`/v1/markets/${id}/halt`, { reason: 'suspected wash trading under review' });
      expect(halted.status).toBe(200);
      expect(halted.body).toMatchObject({ id, status: 'HALTED' });
      const twice = await client(t, city.apiKey).post(`/v1/markets/${id}/halt`, {});
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('INVALID_STATE');
      expect((await client(t, enterprise.apiKey).get(`/v1/markets/${id}`)).body.status).toBe('HALTED');

      const resumed = await client(t, city.apiKey).post(`/v1/markets/${id}/resume`, {});
      expect(resumed.status).toBe(200);
      expect(resumed.body.status).toBe('OPEN');
      const again = await client(t, t.adminKey).post(`/v1/markets/${id}/resume`, {});
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INVALID_STATE');
    });

    it('refuses halting by a regulator outside the jurisdiction or a trader (403), and an unknown market (404)', async () => {
      for (const key of [baotou.apiKey, county.apiKey]) {
        const res = await client(t, key).post(`/v1/markets/${id}/halt`, {});
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      expect((await client(t, enterprise.apiKey).post(`/v1/markets/${id}/halt`, {})).status).toBe(403);
      expect((await client(t, t.adminKey).post(`/v1/markets/150422-SEA-${Y}/halt`, {})).status).toBe(404);
      expect((await client(t, t.adminKey).get(`/v1/markets/${id}`)).body.status).toBe('OPEN');
    });

    it('while halted refuses new orders with 409 MARKET_HALTED but still cancels resting ones', async () => {
      const seller = await createParticipant(t, 'ENTERPRISE', '150422');
      await fundQuota(t, city.apiKey, seller, '500');
      const resting = await placeOrder(t, seller, id, { side: 'SELL', price: '2.00', volume: '200' });
      expect(resting.status).toBe(201);
      expect(await quotaOf(t, seller, id)).toEqual({ available: '300', locked: '200' });

      expect((await client(t, county.apiKey).post(`/v1/markets/150421-GROUNDWATER-${Y}/halt`, {})).status).toBe(200);
      expect((await client(t, t.adminKey).post(`/v1/markets/${id}/halt`, {})).status).toBe(200);
      const refused = await placeOrder(t, seller, id, { side: 'SELL', price: '2.00', volume: '100' });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('MARKET_HALTED');
      await fundCash(t, buyer, '1000');
      const refusedBuy = await placeOrder(t, buyer, id, { side: 'BUY', price: '2.00', volume: '100' });
      expect(refusedBuy.status).toBe(409);
      expect(refusedBuy.body.code).toBe('MARKET_HALTED');

      const cancelled = await client(t, seller.apiKey).delete(`/v1/orders/${resting.body.id}`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ id: resting.body.id, status: 'CANCELLED', filledVolume: '0' });
      expect(await quotaOf(t, seller, id)).toEqual({ available: '500', locked: '0' });

      expect((await client(t, t.adminKey).post(`/v1/markets/${id}/resume`, {})).status).toBe(200);
      const after = await placeOrder(t, seller, id, { side: 'SELL', price: '2.00', volume: '100' });
      expect(after.status).toBe(201);
      expect((await client(t, seller.apiKey).delete(`/v1/orders/${after.body.id}`)).status).toBe(200);
      await expectLedgerValid(t);
    });
  });

  describe('market data from settled trades', () => {
    it('reports lastPrice and volume24h once a FILING trade settles at once', async () => {
      const market = await openMarket(t, { regionCode: '150421', source: 'MINE_WATER', approvalMode: 'FILING', feeRate: '0.01' });
      const [seller, taker] = await Promise.all([createParticipant(t, 'ENTERPRISE', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
      await fundQuota(t, city.apiKey, seller, '1000', { source: 'MINE_WATER' });
      await fundCash(t, taker, '5000');

      expect((await placeOrder(t, seller, market.id, { side: 'SELL', price: '1.25', volume: '400' })).status).toBe(201);
      const buy = await placeOrder(t, taker, market.id, { side: 'BUY', price: '1.30', volume: '400' });
      expect(buy.status).toBe(201);
      expect(buy.body.trades).toHaveLength(1);
      expect(buy.body.trades[0]).toMatchObject({ price: '1.25', volume: '400', amount: '500.00', buyerFee: '5.00', sellerFee: '5.00', status: 'SETTLED', decision: 'FILED', decidedBy: null });

      const view = (await client(t, buyer.apiKey).get(`/v1/markets/${market.id}`)).body;
      expect(view.lastPrice).toBe('1.25');
      expect(view.volume24h).toBe('400');
      expect(await quotaOf(t, taker, market.id)).toEqual({ available: '400', locked: '0' });

      const tape = await client(t, buyer.apiKey).get(`/v1/markets/${market.id}/trades`);
      expect(tape.body.items).toEqual([{ id: buy.body.trades[0].id, price: '1.25', volume: '400', at: buy.body.trades[0].createdAt, status: 'SETTLED' }]);
      expect((await client(t, taker.apiKey).get(`/v1/trades/${buy.body.trades[0].id}`)).body).toEqual(buy.body.trades[0]);

      // Two fills settled in one request: the last one executed sets the price.
      expect((await placeOrder(t, seller, market.id, { side: 'SELL', price: '1.20', volume: '100' })).status).toBe(201);
      expect((await placeOrder(t, seller, market.id, { side: 'SELL', price: '1.22', volume: '100' })).status).toBe(201);
      const sweep = await placeOrder(t, taker, market.id, { side: 'BUY', price: '1.22', volume: '200' });
      expect(sweep.body.trades.map((x: any) => [x.price, x.status])).toEqual([['1.2', 'SETTLED'], ['1.22', 'SETTLED']]);
      expect((await client(t, buyer.apiKey).get(`/v1/markets/${market.id}`)).body).toMatchObject({ lastPrice: '1.22', volume24h: '600' });
      await expectLedgerValid(t);
    });

    it('counts trades auto-approved up to autoApproveMaxVolume at once and larger ones only after approval', async () => {
      const market = await openMarket(t, { regionCode: '150422', source: 'MINE_WATER', autoApproveMaxVolume: '100' });
      const [seller, taker] = await Promise.all([createParticipant(t, 'ENTERPRISE', '150422'), createParticipant(t, 'ENTERPRISE', '150422')]);
      await fundQuota(t, city.apiKey, seller, '1000', { source: 'MINE_WATER' });
      await fundCash(t, taker, '5000');
      await placeOrder(t, seller, market.id, { side: 'SELL', price: '2.00', volume: '100' });
      const small = await placeOrder(t, taker, market.id, { side: 'BUY', price: '2.00', volume: '100' });
      expect(small.body.trades[0]).toMatchObject({ status: 'SETTLED', decision: 'AUTO_APPROVED', decidedBy: null });
      await placeOrder(t, seller, market.id, { side: 'SELL', price: '2.50', volume: '150' });
      const large = await placeOrder(t, taker, market.id, { side: 'BUY', price: '2.50', volume: '150' });
      expect(large.body.trades[0]).toMatchObject({ status: 'PENDING_APPROVAL', decision: null });
      expect((await client(t, taker.apiKey).get(`/v1/markets/${market.id}`)).body).toMatchObject({ lastPrice: '2', volume24h: '100' });
      expect((await client(t, city.apiKey).post(`/v1/trades/${large.body.trades[0].id}/approve`, {})).status).toBe(200);
      expect((await client(t, taker.apiKey).get(`/v1/markets/${market.id}`)).body).toMatchObject({ lastPrice: '2.5', volume24h: '250' });
      await expectLedgerValid(t);
    });

    it('counts an APPROVAL trade only once the regulator approves it', async () => {
      const id = `150421-SURFACE-${Y}`;
      const [seller, taker] = await Promise.all([createParticipant(t, 'ENTERPRISE', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
      await fundQuota(t, city.apiKey, seller, '1000');
      await fundCash(t, taker, '5000');
      expect((await placeOrder(t, seller, id, { side: 'SELL', price: '0.85', volume: '300' })).status).toBe(201);
      expect((await placeOrder(t, seller, id, { side: 'SELL', price: '0.90', volume: '300' })).status).toBe(201);
      const buy = await placeOrder(t, taker, id, { side: 'BUY', price: '0.90', volume: '500' });
      expect(buy.body.trades.map((x: any) => [x.price, x.volume, x.status])).toEqual([['0.85', '300', 'PENDING_APPROVAL'], ['0.9', '200', 'PENDING_APPROVAL']]);

      let view = (await client(t, taker.apiKey).get(`/v1/markets/${id}`)).body;
      expect(view).toMatchObject({ lastPrice: null, volume24h: '0' });

      // Approved out of execution order: lastPrice follows the settlement, not the match.
      const [first, second] = buy.body.trades;
      expect((await client(t, city.apiKey).post(`/v1/trades/${second.id}/approve`, {})).status).toBe(200);
      view = (await client(t, taker.apiKey).get(`/v1/markets/${id}`)).body;
      expect(view).toMatchObject({ lastPrice: '0.9', volume24h: '200' });
      expect((await client(t, county.apiKey).post(`/v1/trades/${first.id}/approve`, { comment: 'in-county' })).status).toBe(200);
      view = (await client(t, taker.apiKey).get(`/v1/markets/${id}`)).body;
      expect(view).toMatchObject({ lastPrice: '0.85', volume24h: '500' });
      expect((await client(t, taker.apiKey).get(`/v1/markets?regionCode=150421&year=${Y}`)).body.items.find((m: any) => m.id === id))
        .toMatchObject({ lastPrice: '0.85', volume24h: '500' });
      await expectLedgerValid(t);
    });
  });
});
