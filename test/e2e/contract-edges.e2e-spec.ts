import request from 'supertest';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { expectProblem, fieldsOf } from './support/problem';
import { client, startTestApp, TestApp } from './support/test-app';
import { balancesOf, fundCash, fundQuota, openMarket, placeOrder } from './support/trading';

/** Edges of the contract an outside client can reach: how ids are spelt, forged cursors, bodiless actions, dust. */
describe('contract edges', () => {
  let t: TestApp;
  let city: Party;
  let buyer: Party;
  let market: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    city = await createParticipant(t, 'REGULATOR', '150400');
    buyer = await createParticipant(t, 'ENTERPRISE', '150421');
    market = await openMarket(t, { regionCode: '150421', priceTick: '0.0001', minVolume: '0.001' });
  });
  afterAll(() => t.close());

  it('treats one resource spelt in upper case as the same Idempotency-Key scope: a retry withdraws once', async () => {
    await fundCash(t, buyer, '100.00');
    const send = (id: string) =>
      request(t.http).post(`/v1/participants/${id}/withdrawals`).set('Authorization', `Bearer ${buyer.apiKey}`).set('Idempotency-Key', 'case-retry').send({ amount: '30.00' });
    const first = await send(buyer.id);
    const again = await send(buyer.id.toUpperCase());
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await balancesOf(t, buyer)).cash.available).toBe('70.00');
  });

  it.each(['/v1/orders', '/v1/transfers', '/v1/markets', '/v1/participants', '/v1/projects', '/v1/rights'])(
    'answers a forged cursor on %s with 400, never 500',
    async (path) => {
      const forged = Buffer.from(JSON.stringify(['2026-12-01 20:00:00+99', '00000000-0000-0000-0000-000000000000'])).toString('base64url');
      const res = await client(t, t.adminKey).get(`${path}?cursor=${forged}`);
      expectProblem(res, 400, 'VALIDATION_FAILED');
    },
  );

  it('halts and resumes a market, and approves a trade, with no body at all', async () => {
    const halt = await request(t.http).post(`/v1/markets/${market.id}/halt`).set('Authorization', `Bearer ${t.adminKey}`);
    expect(halt.status).toBe(200);
    expect(halt.body.status).toBe('HALTED');
    const resume = await request(t.http).post(`/v1/markets/${market.id}/resume`).set('Authorization', `Bearer ${t.adminKey}`);
    expect(resume.body.status).toBe('OPEN');

    const seller = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
    await fundQuota(t, city.apiKey, seller, '10', { regionCode: '150421' });
    await fundCash(t, buyer, '100.00');
    await placeOrder(t, seller, market.id, { side: 'SELL', price: '1', volume: '10' });
    const trade = (await placeOrder(t, buyer, market.id, { side: 'BUY', price: '1', volume: '10' })).body.trades[0];
    const approve = await request(t.http).post(`/v1/trades/${trade.id}/approve`).set('Authorization', `Bearer ${city.apiKey}`);
    expect(approve.status).toBe(200);
    expect(approve.body.status).toBe('SETTLED');
  });

  it('refuses a buy worth less than half a fen with a 400 that names the field', async () => {
    const res = await placeOrder(t, buyer, market.id, { side: 'BUY', price: '0.01', volume: '0.4' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual(['volume']);
  });

  it('refuses a sell worth less than half a fen too: it could never be paid for, so it never rests on the book', async () => {
    const seller = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
    await fundQuota(t, city.apiKey, seller, '1', { regionCode: '150421' });
    for (const [price, volume] of [['0.0001', '0.001'], ['0.0049', '1'], ['0.0001', '49.999']]) {
      const res = await placeOrder(t, seller, market.id, { side: 'SELL', price, volume });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['volume']);
    }
    expect((await client(t, seller.apiKey).get(`/v1/orders?marketId=${market.id}`)).body.items).toEqual([]);
    expect((await balancesOf(t, seller)).quota[0]).toMatchObject({ available: '1', locked: '0' });
    // Exactly half a fen rounds up to one: that order is worth something and rests.
    const half = await placeOrder(t, seller, market.id, { side: 'SELL', price: '0.005', volume: '1' });
    expect(half.status).toBe(201);
    expect((await client(t, seller.apiKey).delete(`/v1/orders/${half.body.id}`)).status).toBe(200);
  });
});
