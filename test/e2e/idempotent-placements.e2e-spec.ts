import { createParticipant, Party } from './support/fixtures';
import { fewestRoundTrips } from './support/metrics';
import { client, TestApp } from './support/test-app';
import { startTradeScene } from './support/trade-scene';
import { balancesOf, expectLedgerValid, fundCash, fundQuota, openMarket, placeOrder } from './support/trading';

/**
 * A keyed request's claim of its key is sent ahead of the request's own statements
 * (IdempotencyInterceptor): PostgreSQL still runs it first, and a key found claimed is only
 * known once the request ran, which is then rolled back and the first response replayed.
 */
describe('keyed placements: the claim sent ahead', () => {
  let t: TestApp;
  let city: Party;

  beforeAll(async () => {
    ({ t, regulators: [city] } = await startTradeScene({ regulators: ['150400'] }));
  });
  afterAll(() => t.close());
  afterEach(() => expectLedgerValid(t));

  it('costs no round trip more than the same placement without a key', async () => {
    const market = await openMarket(t, { regionCode: '150421', source: 'MINE_WATER' });
    const buyer = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundCash(t, buyer, '1000');
    let keys = 0;
    // Its audit round follows the answer (decision 0043): counted once its entries are chained.
    // The fewest of several: the service's own rounds (the sealer's look every second) only add.
    const fewest = (headers: () => Record<string, string>) => fewestRoundTrips(t, async () => {
      const res = await client(t, buyer.apiKey).post(`/v1/markets/${market.id}/orders`, { side: 'BUY', price: '0.10', volume: '1' }, headers());
      expect(res.status).toBe(201);
    }, 6);
    const unkeyed = await fewest(() => ({}));
    const keyed = await fewest(() => ({ 'Idempotency-Key': `ahead-${++keys}` }));
    expect(unkeyed).toBeGreaterThan(0);
    expect(keyed).toBe(unkeyed);
  });

  it('a placement sent again under its key is replayed, not run again: its first 201 although the cash is spent, one order on the book', async () => {
    const market = await openMarket(t, { regionCode: '150422', source: 'MINE_WATER' });
    const buyer = await createParticipant(t, 'ENTERPRISE', '150422');
    await fundCash(t, buyer, '150');
    const order = { side: 'BUY', price: '1.00', volume: '100' };
    const send = () => client(t, buyer.apiKey).post(`/v1/markets/${market.id}/orders`, order, { 'Idempotency-Key': 'spend-it-all' });
    const first = await send();
    expect(first.status).toBe(201);
    // Run again, the order would find 50 available for a lock of 100 and be refused.
    const again = await send();
    expect([again.status, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(again.body).toEqual(first.body);
    expect((await balancesOf(t, buyer)).cash).toEqual({ available: '50.00', locked: '100.00' });
    const listed = await client(t, buyer.apiKey).get(`/v1/orders?marketId=${market.id}`);
    expect(listed.body.items.map((o: { id: string }) => o.id)).toEqual([first.body.id]);
  });

  it('a replay run while the cash suffices leaves no trace: no second order, in the database or in the book the next order sweeps', async () => {
    const market = await openMarket(t, { regionCode: '150421', source: 'RAINWATER' });
    const buyer = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundCash(t, buyer, '1000');
    const send = () => client(t, buyer.apiKey).post(`/v1/markets/${market.id}/orders`, { side: 'BUY', price: '1.00', volume: '100' }, { 'Idempotency-Key': 'run-in-vain' });
    const first = await send();
    expect(first.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const again = await send();
      expect([again.status, again.headers['idempotent-replayed'], again.body.id]).toEqual([201, 'true', first.body.id]);
    }
    expect((await balancesOf(t, buyer)).cash).toEqual({ available: '900.00', locked: '100.00' });
    // The runs rolled back took the order into the instance's book; the book the sweep uses holds only the first.
    const seller = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundQuota(t, city.apiKey, seller, '400', { source: 'RAINWATER' });
    const sell = await placeOrder(t, seller, market.id, { side: 'SELL', price: '1.00', volume: '400', timeInForce: 'IOC' });
    expect([sell.status, sell.body.filledVolume, sell.body.trades?.length]).toEqual([201, '100', 1]);
    const book = await client(t, buyer.apiKey).get(`/v1/markets/${market.id}/book`);
    expect(book.body.bids ?? []).toEqual([]);
  });
});
