import { litres, prng } from '../support/load/units';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { expectConserved } from './support/races';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectStatus } from './support/trade-scene';
import { fundCash, fundQuota, openMarket, placeOrder } from './support/trading';

const OPEN = ['OPEN', 'PARTIALLY_FILLED'];

/**
 * Two service instances on one database matching one market: each keeps its own in-memory
 * book and rebuilds it whenever the other has moved the market on (decision 0007). Orders
 * and cancels sent to both at once lose nothing and double nothing.
 */
describe('two instances matching one market', () => {
  let a: TestApp;
  let b: TestApp;
  let city: Party;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ dbUrl: a.dbUrl });
    await seedRegions(a);
    city = await createParticipant(a, 'REGULATOR', '150400');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('120 crossing orders and 15 cancels split over both instances: every fill on both sides once, both books equal the open orders', async () => {
    const market = await openMarket(a, { regionCode: '150421', approvalMode: 'FILING', feeRate: '0.002' });
    const parties = await Promise.all(Array.from({ length: 6 }, () => createParticipant(a, 'IRRIGATION_DISTRICT', '150421')));
    for (const p of parties) {
      await fundQuota(a, city.apiKey, p, '500', { useType: 'AGRICULTURE' });
      await fundCash(b, p, '800.00');
    }
    const random = prng(20261201);
    const instance = (i: number) => (i % 2 === 0 ? a : b);
    const fire = (n: number, offset: number) => Promise.all(Array.from({ length: n }, (_, i) => {
      const party = parties[Math.floor(random() * parties.length)];
      const cents = 90 + Math.floor(random() * 20); // 0.90 … 1.09: most orders cross
      const body = {
        side: random() < 0.5 ? 'BUY' : 'SELL',
        price: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
        volume: String(1 + Math.floor(random() * 40)),
        timeInForce: random() < 0.15 ? 'IOC' : 'GTC',
      };
      return placeOrder(instance(i + offset), party, market.id, body).then((res) => ({ party, res }));
    }));
    const first = await fire(70, 0);
    const resting = first.filter((x) => x.res.status === 201 && OPEN.includes(x.res.body.status)).slice(0, 15);
    const [second, cancels] = await Promise.all([
      fire(50, 1),
      Promise.all(resting.map((x, i) => client(instance(i + 1), x.party.apiKey).delete(`/v1/orders/${x.res.body.id}`))),
    ]);
    const placed = [...first, ...second];
    for (const { res } of placed) if (res.status !== 201) expect([res.status, res.body.code]).toEqual([409, expect.stringMatching(/^INSUFFICIENT_(FUNDS|QUOTA)$/)]);
    for (const res of cancels) if (res.status !== 200) expect([res.status, res.body.code]).toEqual([409, 'INVALID_STATE']);
    const accepted = placed.filter((x) => x.res.status === 201).map((x) => x.res.body);
    expect(accepted.length).toBeGreaterThan(90);

    // Every acknowledged order is stored once, and no order is stored that was not acknowledged.
    const stored = await sql<{ id: string; filled: string }>(a, `SELECT id, filled_volume::text AS filled FROM orders WHERE market_id = $1`, [market.id]);
    expect(stored.map((o) => o.id).sort()).toEqual(accepted.map((o) => o.id).sort());
    // Each trade names one buy and one sell order; an order's fills sum to its filled volume on both sides.
    const fills = await sql<{ order_id: string; volume: string }>(a,
      `SELECT buy_order_id AS order_id, volume::text FROM trades WHERE market_id = $1 UNION ALL SELECT sell_order_id, volume::text FROM trades WHERE market_id = $1`, [market.id]);
    const filledBy = new Map<string, bigint>();
    for (const f of fills) filledBy.set(f.order_id, (filledBy.get(f.order_id) ?? 0n) + litres(f.volume));
    for (const o of stored) expect([o.id, litres(o.filled)]).toEqual([o.id, filledBy.get(o.id) ?? 0n]);
    // Every trade an answer reported is stored, once.
    const reported = accepted.flatMap((o) => o.trades.map((x: any) => x.id));
    expect(new Set(reported).size).toBe(reported.length);
    const [{ trades }] = await sql<{ trades: string }>(a, `SELECT count(*)::text AS trades FROM trades WHERE market_id = $1`, [market.id]);
    expect(Number(trades)).toBe(reported.length);

    // Both instances show the same book, the stored open orders level by level, never crossed.
    const levels = await sql<{ side: string; price: string; volume: string }>(a,
      `SELECT side, price::text, sum(volume - filled_volume)::text AS volume FROM orders WHERE market_id = $1 AND status IN ('OPEN','PARTIALLY_FILLED') GROUP BY side, price`, [market.id]);
    const asStored = levels.map((l) => `${l.side} ${litres(l.price)} ${litres(l.volume)}`).sort();
    for (const app of [a, b]) {
      const book = expectStatus(await client(app, app.adminKey).get(`/v1/markets/${market.id}/book?depth=500`), 200).body;
      const shown = [...book.bids.map((l: any) => `BUY ${litres(l.price)} ${litres(l.volume)}`), ...book.asks.map((l: any) => `SELL ${litres(l.price)} ${litres(l.volume)}`)].sort();
      expect(shown).toEqual(asStored);
      if (book.bids.length && book.asks.length) expect(litres(book.bids[0].price)).toBeLessThan(litres(book.asks[0].price));
    }

    // Each instance's matching sees every resting order: a sweep through one fills all the asks, through the other all the bids.
    const sweeper = await createParticipant(a, 'IRRIGATION_DISTRICT', '150421');
    await fundCash(a, sweeper, '10000.00');
    await fundQuota(a, city.apiKey, sweeper, '3000', { useType: 'AGRICULTURE' });
    const askVolume = levels.filter((l) => l.side === 'SELL').reduce((s, l) => s + litres(l.volume), 0n);
    const bidVolume = levels.filter((l) => l.side === 'BUY').reduce((s, l) => s + litres(l.volume), 0n);
    const sweptAsks = expectStatus(await placeOrder(b, sweeper, market.id, { side: 'BUY', price: '1.09', volume: '2000', timeInForce: 'IOC' }), 201).body;
    expect(litres(sweptAsks.filledVolume)).toBe(askVolume);
    const sweptBids = expectStatus(await placeOrder(a, sweeper, market.id, { side: 'SELL', price: '0.90', volume: '2000', timeInForce: 'IOC' }), 201).body;
    expect(litres(sweptBids.filledVolume)).toBe(bidVolume);

    // Nothing is left locked but what no order holds any more: all settled at once (FILING).
    const [{ locked }] = await sql<{ locked: string }>(a,
      `SELECT coalesce(sum(balance), 0)::text AS locked FROM ledger_accounts WHERE owner_id IS NOT NULL AND bucket = 'LOCKED' AND asset = $1`, [market.id]);
    expect(litres(locked)).toBe(0n);
    await expectConserved(a);
  });

  it('one Idempotency-Key sent 8 times at once, half to each instance: one order, one first answer and seven replays of it', async () => {
    const market = await openMarket(a, { regionCode: '150422' });
    const buyer = await createParticipant(a, 'IRRIGATION_DISTRICT', '150422');
    await fundCash(b, buyer, '100.00');
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      client(i % 2 === 0 ? a : b, buyer.apiKey).post(`/v1/markets/${market.id}/orders`, { side: 'BUY', price: '0.50', volume: '100' }, { 'Idempotency-Key': `both-${buyer.id}` })));
    expect(answers.map((x) => x.status)).toEqual(Array(8).fill(201));
    for (const x of answers) expect(x.body).toEqual(answers[0].body);
    expect(answers.filter((x) => x.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    const [{ orders }] = await sql<{ orders: string }>(a, `SELECT count(*)::text AS orders FROM orders WHERE participant_id = $1`, [buyer.id]);
    expect(orders).toBe('1');
    await expectConserved(b);
  });
});
