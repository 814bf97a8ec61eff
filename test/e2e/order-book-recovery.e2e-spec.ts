import { Dec, roundAmount } from '../../src/core/decimal';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';
import { dropDatabase } from './support/test-database';
import { balancesOf, expectLedgerValid, fundCash, fundQuota, openMarket, placeOrder } from './support/trading';

/**
 * PostgreSQL is the truth: the in-memory books are rebuilt after a crash, and instances
 * sharing one database never match a market at the same time.
 */

const litres = (volume: string) => new Dec(volume).mul(1000).toNumber();
const fen = (amount: string) => new Dec(amount).mul(100).toNumber();

interface World {
  city: Party;
  marketIds: string[];
  sellers: Party[];
  buyers: Party[];
}

/** Two markets (no fee, approval mode, so every escrow stays visible), three sellers and three buyers. */
async function world(t: TestApp): Promise<World> {
  await seedRegions(t);
  const city = await createParticipant(t, 'REGULATOR', '150400');
  const markets = await Promise.all([openMarket(t, { regionCode: '150421' }), openMarket(t, { regionCode: '150422' })]);
  const sellers = await Promise.all([0, 1, 2].map(() => createParticipant(t, 'ENTERPRISE', '150421')));
  const buyers = await Promise.all([0, 1, 2].map(() => createParticipant(t, 'ENTERPRISE', '150422')));
  await Promise.all([
    ...sellers.map(async (s) => {
      await fundQuota(t, city.apiKey, s, '1000', { regionCode: '150421' });
      await fundQuota(t, city.apiKey, s, '1000', { regionCode: '150422' });
    }),
    ...buyers.map((b) => fundCash(t, b, '5000')),
  ]);
  return { city, marketIds: markets.map((m) => m.id), sellers, buyers };
}

/**
 * Everything the database says, checked through the API: each order's fills equal its
 * trades, no order trades beyond its volume, the books are uncrossed and hold exactly the
 * open orders, and every participant's locks are exactly open orders plus pending escrows
 * (exact to the fen: no fee, two-decimal prices, whole volumes).
 */
async function expectConsistent(t: TestApp, w: World): Promise<any[]> {
  await expectLedgerValid(t);
  const parties = [...w.sellers, ...w.buyers];
  const orders = (await Promise.all(parties.map(async (p) => {
    const page = await client(t, p.apiKey).get('/v1/orders?limit=500');
    expect(page.body.nextCursor).toBeNull();
    return Promise.all(page.body.items.map(async (o: any) => (await client(t, p.apiKey).get(`/v1/orders/${o.id}`)).body));
  }))).flat();
  const trades = new Map<string, any>();
  for (const o of orders) {
    expect([o.id, litres(o.filledVolume)]).toEqual([o.id, o.trades.reduce((s: number, x: any) => s + litres(x.volume), 0)]);
    expect(litres(o.filledVolume)).toBeLessThanOrEqual(litres(o.volume));
    for (const x of o.trades) trades.set(x.id, x);
  }
  const open = orders.filter((o) => o.status === 'OPEN' || o.status === 'PARTIALLY_FILLED');
  for (const marketId of w.marketIds) {
    const book = (await client(t, t.adminKey).get(`/v1/markets/${marketId}/book?depth=500`)).body;
    if (book.bids.length && book.asks.length) expect(Number(book.bids[0].price)).toBeLessThan(Number(book.asks[0].price));
    for (const [side, levels] of [['BUY', book.bids], ['SELL', book.asks]] as const) {
      const onBook = levels.reduce((s: number, l: any) => s + litres(l.volume), 0);
      const resting = open.filter((o) => o.marketId === marketId && o.side === side).reduce((s, o) => s + litres(o.remainingVolume), 0);
      expect([marketId, side, onBook]).toEqual([marketId, side, resting]);
    }
  }
  const pending = [...trades.values()].filter((x) => x.status === 'PENDING_APPROVAL');
  const balances = await Promise.all(parties.map((p) => balancesOf(t, p)));
  for (const [i, p] of parties.entries()) {
    const b = balances[i];
    const mine = open.filter((o) => o.participantId === p.id);
    // A resting BUY keeps its whole lock (no fee in these markets) less what its fills moved
    // into escrow; a fill its lock could not cover drew the rest from available cash.
    const restingLock = (o: any) => Dec.max(0, roundAmount(new Dec(o.price).mul(o.volume)).minus(o.trades.reduce((s: any, x: any) => s.plus(x.amount), new Dec(0))));
    const cashLocked = mine.filter((o) => o.side === 'BUY').reduce((s, o) => s + fen(restingLock(o).toFixed(2)), 0)
      + pending.filter((x) => x.buyerId === p.id).reduce((s, x) => s + fen(x.amount), 0);
    expect([p.id, fen(b.cash.locked)]).toEqual([p.id, cashLocked]);
    for (const marketId of w.marketIds) {
      const q = b.quota.find((e) => e.marketId === marketId) ?? { available: '0', locked: '0' };
      const quotaLocked = mine.filter((o) => o.side === 'SELL' && o.marketId === marketId).reduce((s, o) => s + litres(o.remainingVolume), 0)
        + pending.filter((x) => x.sellerId === p.id && x.marketId === marketId).reduce((s, x) => s + litres(x.volume), 0);
      expect([p.id, marketId, litres(q.locked)]).toEqual([p.id, marketId, quotaLocked]);
    }
  }
  return orders;
}

/**
 * One database through the whole story: a crash with resting orders, a crash in the middle
 * of a burst, then a second instance beside the restarted one. Each case checks everything
 * the earlier ones left behind as well, and sharing the database keeps the service starts
 * (the slow part) to four.
 */
describe('order book recovery and scale-out', () => {
  let t: TestApp;
  let dbUrl: string;
  let w: World;

  beforeAll(async () => {
    t = await startTestApp();
    dbUrl = t.dbUrl;
    w = await world(t);
  });
  afterAll(async () => {
    await t.kill();
    await dropDatabase(dbUrl);
  });

  it('rebuilds the book after kill -9 and matches old resting orders in price-time priority', async () => {
    const [m] = w.marketIds;
    const [s1, s2, s3] = w.sellers;
    const [b1, b2] = w.buyers;
    const s1a = await placeOrder(t, s1, m, { side: 'SELL', price: '1.00', volume: '100' });
    const s2a = await placeOrder(t, s2, m, { side: 'SELL', price: '1.00', volume: '100' });
    const s3a = await placeOrder(t, s3, m, { side: 'SELL', price: '0.98', volume: '50' });
    const s1b = await placeOrder(t, s1, m, { side: 'SELL', price: '1.02', volume: '100' });
    const s2b = await placeOrder(t, s2, m, { side: 'SELL', price: '1.00', volume: '30' });
    // A partly filled order must come back with its remainder and its place in the queue.
    const partial = await placeOrder(t, b2, m, { side: 'BUY', price: '0.98', volume: '20' });
    expect(partial.body.status).toBe('FILLED');
    const bid = await placeOrder(t, b2, m, { side: 'BUY', price: '0.95', volume: '40' });
    expect(bid.status).toBe(201);
    const before = (await client(t, b1.apiKey).get(`/v1/markets/${m}/book`)).body;
    expect(before).toEqual({
      bids: [{ price: '0.95', volume: '40', orders: 1 }],
      asks: [{ price: '0.98', volume: '30', orders: 1 }, { price: '1', volume: '230', orders: 3 }, { price: '1.02', volume: '100', orders: 1 }],
    });

    await t.kill();
    t = await startTestApp({ dbUrl });
    expect((await client(t, b1.apiKey).get(`/v1/markets/${m}/book`)).body).toEqual(before);

    const sweep = await placeOrder(t, b1, m, { side: 'BUY', price: '1.02', volume: '270' });
    expect(sweep.status).toBe(201);
    expect(sweep.body.trades.map((x: any) => [x.sellerId, x.price, x.volume])).toEqual([
      [s3.id, '0.98', '30'],
      [s1.id, '1', '100'],
      [s2.id, '1', '100'],
      [s2.id, '1', '30'],
      [s1.id, '1.02', '10'],
    ]);
    for (const [party, o, status] of [[s3, s3a, 'FILLED'], [s1, s1a, 'FILLED'], [s2, s2a, 'FILLED'], [s2, s2b, 'FILLED'], [s1, s1b, 'PARTIALLY_FILLED']] as const) {
      expect((await client(t, party.apiKey).get(`/v1/orders/${o.body.id}`)).body.status).toBe(status);
    }
    // The restored resting bid can still be cancelled.
    expect((await client(t, b2.apiKey).delete(`/v1/orders/${bid.body.id}`)).status).toBe(200);
    expect((await client(t, b1.apiKey).get(`/v1/markets/${m}/book`)).body).toEqual({ bids: [], asks: [{ price: '1.02', volume: '90', orders: 1 }] });
    await expectConsistent(t, w);
  });

  it('loses and doubles nothing when killed -9 in the middle of a burst of orders', async () => {
    // Resting liquidity on both sides, so the burst matches as well as rests.
    for (const [i, s] of w.sellers.entries()) {
      for (const m of w.marketIds) expect((await placeOrder(t, s, m, { side: 'SELL', price: (1 + i / 100).toFixed(2), volume: '100' })).status).toBe(201);
    }
    const burst = Array.from({ length: 50 }, (_, i) => {
      const buy = i % 3 !== 0;
      const party = buy ? w.buyers[i % 3] : w.sellers[i % 3];
      const body = { side: buy ? 'BUY' : 'SELL', price: (buy ? 1.02 - (i % 5) / 100 : 0.97 + (i % 5) / 100).toFixed(2), volume: String(5 + (i % 7) * 3), clientOrderId: `burst-${i}` };
      return { party, marketId: w.marketIds[i % 2], body };
    });
    const dying = t;
    let answered = 0;
    let killed: Promise<void> | undefined;
    const outcomes = await Promise.all(burst.map(({ party, marketId, body }) =>
      placeOrder(dying, party, marketId, body).then(
        (res) => {
          if (++answered === 12) killed = dying.kill();
          return { status: res.status, body: res.body };
        },
        (err) => ({ status: 0, body: String(err) }),
      )));
    await killed;
    t = await startTestApp({ dbUrl });

    const ok = outcomes.filter((o) => o.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(12);
    expect(ok.length).toBeLessThan(50);
    for (const o of outcomes) expect([0, 201, 409]).toContain(o.status);
    for (const o of ok) {
      const party = [...w.sellers, ...w.buyers].find((p) => p.id === o.body.participantId)!;
      const stored = (await client(t, party.apiKey).get(`/v1/orders/${o.body.id}`)).body;
      expect(stored).toMatchObject({ id: o.body.id, clientOrderId: o.body.clientOrderId, volume: o.body.volume });
      // What the response reported as traded is stored, trade by trade.
      const storedTrades = new Set(stored.trades.map((x: any) => x.id));
      for (const x of o.body.trades) expect(storedTrades.has(x.id)).toBe(true);
    }
    const orders = await expectConsistent(t, w);
    const burstIds = orders.map((o) => o.clientOrderId).filter((c) => c?.startsWith('burst-'));
    expect(new Set(burstIds).size).toBe(burstIds.length);
    expect(burstIds.length).toBeGreaterThanOrEqual(ok.length);

    // The rebuilt books trade on.
    const after = await placeOrder(t, w.buyers[0], w.marketIds[0], { side: 'BUY', price: '1.10', volume: '10', timeInForce: 'IOC' });
    expect(after.status).toBe(201);
    await expectConsistent(t, w);
  });

  it('two instances on one database never match a market at the same time', async () => {
    const b = await startTestApp({ dbUrl });
    try {
      const apps = [t, b];
      const [m, n] = w.marketIds;
      const [seller] = w.sellers;
      const [b0, b1] = w.buyers;
      // Clear the way so the ping-pong below meets only its own orders.
      const sweep = await placeOrder(t, b0, m, { side: 'BUY', price: '1.50', volume: '1000', timeInForce: 'IOC' });
      expect(sweep.status).toBe(201);

      // Ping-pong: each instance must see what the other just did to the book.
      const rest = await placeOrder(t, seller, m, { side: 'SELL', price: '1.60', volume: '50' });
      const take = await placeOrder(b, b0, m, { side: 'BUY', price: '1.60', volume: '20' });
      expect(take.body.trades.map((x: any) => [x.sellerId, x.price, x.volume])).toEqual([[seller.id, '1.6', '20']]);
      const again = await placeOrder(t, b1, m, { side: 'BUY', price: '1.60', volume: '20' });
      expect(again.body.trades.map((x: any) => x.volume)).toEqual(['20']);
      expect((await client(b, seller.apiKey).delete(`/v1/orders/${rest.body.id}`)).body).toMatchObject({ status: 'CANCELLED', remainingVolume: '10' });
      const none = await placeOrder(t, b0, m, { side: 'BUY', price: '1.60', volume: '5', timeInForce: 'IOC' });
      expect(none.body).toMatchObject({ status: 'CANCELLED', filledVolume: '0', trades: [] });

      // 40 crossing orders, both sides of both markets through both instances, all in flight together.
      const storm = Array.from({ length: 40 }, (_, i) => {
        const sell = i % 2 === 0;
        const party = sell ? w.sellers[i % 3] : w.buyers[i % 3];
        const price = (sell ? 0.96 + (i % 7) / 100 : 1.04 - (i % 7) / 100).toFixed(2);
        return placeOrder(apps[(i >> 1) % 2], party, (i >> 2) % 2 ? n : m, { side: sell ? 'SELL' : 'BUY', price, volume: String(10 + (i % 5) * 7) });
      });
      const results = await Promise.all(storm);
      for (const r of results) expect(r.status).toBe(201);
      const executed = results.flatMap((r) => r.body.trades);
      expect(executed.length).toBeGreaterThan(10);
      expect(new Set(executed.map((x: any) => x.id)).size).toBe(executed.length);
      // No resting order is filled twice: every order's trades add up to its fills, within its volume.
      const orders = await expectConsistent(b, w);
      const byId = new Map(orders.map((o) => [o.id, o]));
      for (const r of results) {
        const stored = byId.get(r.body.id);
        expect(litres(stored.filledVolume)).toBeGreaterThanOrEqual(litres(r.body.filledVolume));
        expect(stored.trades.slice(0, r.body.trades.length)).toEqual(r.body.trades);
      }
      await expectConsistent(t, w);
    } finally {
      await b.kill();
    }
  });

  it('two instances given the same Idempotency-Key at once place each order once, store every acknowledged order and conserve value', async () => {
    const b = await startTestApp({ dbUrl });
    try {
      const parties = [...w.sellers, ...w.buyers];
      const twins = Array.from({ length: 30 }, (_, i) => {
        const sell = i % 2 === 0;
        const party = sell ? w.sellers[i % 3] : w.buyers[i % 3];
        const price = (sell ? 0.97 + (i % 6) / 100 : 1.03 - (i % 6) / 100).toFixed(2);
        const body = { side: sell ? 'SELL' : 'BUY', price, volume: String(5 + (i % 4) * 5), clientOrderId: `twin-${i}`, timeInForce: i % 5 === 0 ? 'IOC' : 'GTC' };
        const key = `twin-key-${i}`;
        // The same request through both instances at once, as a client retrying on another node would.
        return Promise.all([t, b].map((app) => client(app, party.apiKey).post(`/v1/markets/${w.marketIds[i % 2]}/orders`, body, { 'Idempotency-Key': key })));
      });
      const answers = await Promise.all(twins);
      for (const [first, second] of answers) {
        expect([first.status, second.status]).toEqual([201, 201]);
        expect(second.body.id).toBe(first.body.id);
        // One of the two ran; the other waited on the key row and replayed its answer.
        expect([first.headers['idempotent-replayed'], second.headers['idempotent-replayed']].filter((h) => h === 'true')).toHaveLength(1);
      }
      const orders = await expectConsistent(b, w);
      const stored = orders.filter((o) => o.clientOrderId?.startsWith('twin-'));
      expect(stored).toHaveLength(30);
      const byId = new Map(stored.map((o) => [o.id, o]));
      for (const [first] of answers) {
        const o = byId.get(first.body.id);
        expect(o).toMatchObject({ clientOrderId: first.body.clientOrderId, volume: first.body.volume });
        expect(o.trades.slice(0, first.body.trades.length)).toEqual(first.body.trades);
      }
      // No fee in these markets: the parties hold exactly what was deposited and allocated.
      const held = await Promise.all(parties.map((p) => balancesOf(b, p)));
      expect(held.reduce((sum, x) => sum + fen(x.cash.available) + fen(x.cash.locked), 0)).toBe(fen('15000'));
      for (const marketId of w.marketIds) {
        const quota = held.reduce((sum, x) => {
          const q = x.quota.find((e) => e.marketId === marketId);
          return sum + (q ? litres(q.available) + litres(q.locked) : 0);
        }, 0);
        expect([marketId, quota]).toEqual([marketId, litres('3000')]);
      }
    } finally {
      await b.kill();
    }
  });
});
