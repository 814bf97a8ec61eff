import { createParticipant, Party } from './support/fixtures';
import { counter, fewestRoundTrips } from './support/metrics';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { auditOf, startTradeScene } from './support/trade-scene';
import { balancesOf, expectLedgerValid, fundCash, fundQuota, MarketOptions, openMarket, placeOrder, quotaOf } from './support/trading';

/**
 * Order placement over HTTP: locks, matching, escrow and the rounding rules of DOMAIN.md.
 * Every scenario trades in a market of its own county, so one scenario's book and balances
 * never leak into another's expectations.
 */
describe('orders (挂牌交易): locks, matching and escrow', () => {
  let t: TestApp;
  let city: Party; // 赤峰市: registers rights in every county below it
  let nextCounty = 150430;

  interface Scene {
    marketId: string;
    parties: Party[];
  }

  /** A county of its own, a market there and `count` enterprises registered in it. */
  async function scene(count: number, market: Omit<MarketOptions, 'regionCode'> = {}): Promise<Scene> {
    const code = String(nextCounty++);
    const put = await client(t, t.adminKey).put(`/v1/regions/${code}`, { name: `county ${code}`, parentCode: '150400' });
    expect(put.status).toBe(201);
    const opened = await openMarket(t, { regionCode: code, ...market });
    const parties = await Promise.all(Array.from({ length: count }, () => createParticipant(t, 'ENTERPRISE', code)));
    return { marketId: opened.id, parties };
  }

  const cashOf = async (p: Party) => (await balancesOf(t, p)).cash;
  const book = async (marketId: string, depth = 10) => (await client(t, t.adminKey).get(`/v1/markets/${marketId}/book?depth=${depth}`)).body;
  const order = async (p: Party, id: string) => (await client(t, p.apiKey).get(`/v1/orders/${id}`)).body;

  beforeAll(async () => {
    ({ t, regulators: [city] } = await startTradeScene({ regulators: ['150400'] }));
  });
  afterAll(() => t.close());
  afterEach(() => expectLedgerValid(t));

  describe('holds kept beside the book (decision 0045)', () => {
    /** A resting SELL of `volume` (2 by default) at 0.02 by this instance, and a buyer with cash for it, in a market opened with `options`. */
    async function restingSell(options: Omit<MarketOptions, 'regionCode'> = {}, volume = '2') {
      const { marketId, parties: [buyer, seller] } = await scene(2, options);
      await fundQuota(t, city.apiKey, seller, volume, { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, '1.00');
      const ask = await placeOrder(t, seller, marketId, { side: 'SELL', price: '0.02', volume });
      expect(ask.status).toBe(201);
      return { marketId, buyer, seller, ask: ask.body };
    }
    const transient = () => counter(t, 'db_transaction_retries_total{code="transient"}');
    const buyOne = (buyer: Party, marketId: string) => placeOrder(t, buyer, marketId, { side: 'BUY', price: '0.02', volume: '1' });
    const fewestTrips = (work: () => Promise<unknown>) => fewestRoundTrips(t, work);

    it('a sweep of holds this instance wrote waits for no answer: one round trip fewer than a sweep that reads them', async () => {
      const { marketId, buyer } = await restingSell({}, '6');
      // The buyer's first lock opens its account; done before counting, as is the sealing of each write.
      expect((await placeOrder(t, buyer, marketId, { side: 'BUY', price: '0.01', volume: '1' })).body).toMatchObject({ status: 'OPEN' });
      const kept = await fewestTrips(async () => expect((await buyOne(buyer, marketId)).body).toMatchObject({ status: 'FILLED', filledVolume: '1' }));
      const read = await fewestTrips(async () => {
        // Another instance's change gives the book a new version: this one rebuilds it and reads the holds.
        await sql(t, 'UPDATE markets SET book_version = gen_random_uuid() WHERE id = $1', [marketId]);
        expect((await buyOne(buyer, marketId)).body).toMatchObject({ status: 'FILLED', filledVolume: '1' });
      });
      expect(read - kept).toBeGreaterThanOrEqual(1);
      expect(await book(marketId)).toEqual({ bids: [{ price: '0.01', volume: '1', orders: 1 }], asks: [] });
    });

    it('a fill that settles as it opens locks no account again: one round trip more than a fill left for approval, its chains read as committed', async () => {
      /** Round trips of a fill against a resting SELL after the first, in a market opened with `options`. */
      const secondFillTrips = async (options: Omit<MarketOptions, 'regionCode'>) => {
        const { marketId, buyer } = await restingSell(options, '4');
        // The first fill opens the parties' accounts; counted from the second.
        expect((await buyOne(buyer, marketId)).body).toMatchObject({ status: 'FILLED' });
        const trades = new Set<string>();
        const trips = await fewestTrips(async () => {
          const fill = (await buyOne(buyer, marketId)).body;
          expect(fill).toMatchObject({ status: 'FILLED', filledVolume: '1' });
          trades.add(fill.trades[0].status);
        });
        return { trips, trade: [...trades].join() };
      };
      const pending = await secondFillTrips({});
      const filed = await secondFillTrips({ approvalMode: 'FILING' });
      expect([pending.trade, filed.trade]).toEqual(['PENDING_APPROVAL', 'SETTLED']);
      // The one round trip is the buyer's and seller's chains, read under the region tree's
      // lock around the per-instance cache (decision 0004); no account is locked again.
      expect(filed.trips - pending.trips).toBe(1);
    });

    it('a hold changed behind the instance\'s back is caught where the sweep locks it, and the placement runs again reading it', async () => {
      const { marketId, buyer, seller, ask } = await restingSell();
      // A change no placement of this instance made (amount is not part of any balance).
      await sql(t, `UPDATE ledger_holds h SET amount = amount + 1 FROM orders o WHERE o.id = $1 AND h.id = o.hold_id`, [ask.id]);
      const retries = await transient();
      const buy = await buyOne(buyer, marketId);
      expect(buy.status).toBe(201);
      expect(buy.body).toMatchObject({ status: 'FILLED', filledVolume: '1' });
      expect(buy.body.trades.map((x: any) => [x.volume, x.amount])).toEqual([['1', '0.02']]);
      expect((await transient()) - retries).toBe(1);
      expect(await order(seller, ask.id)).toMatchObject({ status: 'PARTIALLY_FILLED', filledVolume: '1' });
      expect(await quotaOf(t, seller, marketId)).toEqual({ available: '0', locked: '2' });
      // What the run that read the hold left is kept again: the next sweep trusts it, and no retry follows.
      expect((await buyOne(buyer, marketId)).body).toMatchObject({ status: 'FILLED', filledVolume: '1' });
      expect((await transient()) - retries).toBe(1);
    });
  });

  describe('locks', () => {
    it('a SELL locks its volume of quota and rests on the book', async () => {
      const { marketId, parties: [seller] } = await scene(1);
      await fundQuota(t, city.apiKey, seller, '1000', { regionCode: marketId.slice(0, 6) });
      const res = await placeOrder(t, seller, marketId, { side: 'SELL', price: '1.20', volume: '400.5', clientOrderId: 'erp-1' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        marketId,
        participantId: seller.id,
        side: 'SELL',
        price: '1.2',
        volume: '400.5',
        filledVolume: '0',
        remainingVolume: '400.5',
        status: 'OPEN',
        timeInForce: 'GTC',
        clientOrderId: 'erp-1',
        cancelReason: null,
        createdAt: expect.any(String),
        trades: [],
      });
      expect(await quotaOf(t, seller, marketId)).toEqual({ available: '599.5', locked: '400.5' });
      expect(await book(marketId)).toEqual({ bids: [], asks: [{ price: '1.2', volume: '400.5', orders: 1 }] });
    });

    it.each([
      // price × volume × (1 + feeRate), rounded half up to the fen
      ['0.01', '0.50', '1', '0.51'], // 0.505: half up, not half even
      ['0.005', '0.77', '333.333', '257.95'], // 257.9497...
      ['0', '0.35', '3', '1.05'],
      ['0.0045', '1.11', '1', '1.11'], // 1.114995 stays below the half
    ])('a BUY at fee %s locks round_half_up(%s × %s × (1 + fee), 2) = %s exactly', async (feeRate, price, volume, lock) => {
      const { marketId, parties: [buyer] } = await scene(1, { feeRate, minVolume: '0.001' });
      await fundCash(t, buyer, '1000');
      const res = await placeOrder(t, buyer, marketId, { side: 'BUY', price, volume });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ side: 'BUY', status: 'OPEN', remainingVolume: volume, trades: [] });
      const fen = 100000 - Math.round(Number(lock) * 100);
      expect(await cashOf(buyer)).toEqual({ available: (fen / 100).toFixed(2), locked: lock });
    });

    it('refuses a SELL beyond available quota with 409 INSUFFICIENT_QUOTA and leaves nothing behind', async () => {
      const { marketId, parties: [seller, stranger] } = await scene(2);
      await fundQuota(t, city.apiKey, seller, '500', { regionCode: marketId.slice(0, 6) });
      expect((await placeOrder(t, seller, marketId, { side: 'SELL', price: '1.00', volume: '300' })).status).toBe(201);
      const over = await placeOrder(t, seller, marketId, { side: 'SELL', price: '1.00', volume: '200.001', clientOrderId: 'too-much' });
      expect(over.status).toBe(409);
      expect(over.body.code).toBe('INSUFFICIENT_QUOTA');
      const none = await placeOrder(t, stranger, marketId, { side: 'SELL', price: '1.00', volume: '1' });
      expect(none.status).toBe(409);
      expect(none.body.code).toBe('INSUFFICIENT_QUOTA');
      expect(await quotaOf(t, seller, marketId)).toEqual({ available: '200', locked: '300' });
      expect((await client(t, seller.apiKey).get(`/v1/orders?marketId=${marketId}`)).body.items).toHaveLength(1);
      // The refused clientOrderId was never stored, so it is free to use.
      expect((await placeOrder(t, seller, marketId, { side: 'SELL', price: '1.00', volume: '200', clientOrderId: 'too-much' })).status).toBe(201);
    });

    it('refuses a BUY whose lock exceeds available cash with 409 INSUFFICIENT_FUNDS', async () => {
      const { marketId, parties: [buyer] } = await scene(1, { feeRate: '0.01' });
      await fundCash(t, buyer, '100.99');
      // 100 × 1.00 × 1.01 = 101.00 > 100.99
      const res = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '1.00', volume: '100' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INSUFFICIENT_FUNDS');
      expect(await cashOf(buyer)).toEqual({ available: '100.99', locked: '0.00' });
      // 99 × 1.01 = 99.99 fits.
      expect((await placeOrder(t, buyer, marketId, { side: 'BUY', price: '1.00', volume: '99' })).status).toBe(201);
      expect(await cashOf(buyer)).toEqual({ available: '1.00', locked: '99.99' });
    });
  });

  describe('validation', () => {
    let marketId: string;
    let trader: Party;
    beforeAll(async () => {
      ({ marketId, parties: [trader] } = await scene(1, { priceTick: '0.05', minVolume: '10' }));
      await fundCash(t, trader, '10000');
    });

    it.each([
      [{ side: 'BUY', price: '1.02', volume: '10' }, 'price'], // not a multiple of 0.05
      [{ side: 'BUY', price: '1.05', volume: '9.999' }, 'volume'], // below minVolume
      [{ side: 'BUY', price: 1.05, volume: '10' }, 'price'],
      [{ side: 'BUY', price: '1.05', volume: 10 }, 'volume'],
      [{ side: 'BUY', price: '1.05', volume: '10.0001' }, 'volume'],
      [{ side: 'BUY', price: '0', volume: '10' }, 'price'],
      [{ side: 'BUY', price: '-1.05', volume: '10' }, 'price'],
      [{ side: 'BUY', price: '1.00001', volume: '10' }, 'price'],
      [{ side: 'HOLD', price: '1.05', volume: '10' }, 'side'],
      [{ side: 'BUY', price: '1.05', volume: '10', timeInForce: 'DAY' }, 'timeInForce'],
      [{ side: 'BUY', price: '1.05', volume: '10', clientOrderId: '' }, 'clientOrderId'],
      [{ side: 'BUY', price: '1.05', volume: '10', participantId: 'x' }, 'participantId'],
      [{ price: '1.05', volume: '10' }, 'side'],
    ])('refuses %j with 400 naming %s', async (body, field) => {
      const res = await placeOrder(t, trader, marketId, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('refuses prices, volumes and values beyond what the books hold exactly with 400, and an unaffordable maximum with 409', async () => {
      expect((await placeOrder(t, trader, marketId, { side: 'BUY', price: '100000000.05', volume: '10' })).status).toBe(400);
      expect((await placeOrder(t, trader, marketId, { side: 'SELL', price: '1.05', volume: '1000000000010' })).status).toBe(400);
      // The highest price and the largest volume are each held, but together worth 10^20 CNY: past any amount.
      for (const side of ['BUY', 'SELL']) {
        const worth = await placeOrder(t, trader, marketId, { side, price: '100000000', volume: '1000000000000' });
        expect(worth.status).toBe(400);
        expect(worth.body.errors).toEqual([{ field: 'volume', message: 'price × volume is worth 10^15 CNY or more, beyond what an amount may be' }]);
      }
      // The largest volume, and the highest price at the largest value below 10^15 CNY.
      for (const [price, volume] of [['0.05', '1000000000000'], ['100000000', '9999999.999']]) {
        const biggest = await placeOrder(t, trader, marketId, { side: 'BUY', price, volume });
        expect(biggest.status).toBe(409);
        expect(biggest.body.code).toBe('INSUFFICIENT_FUNDS');
        const biggestSell = await placeOrder(t, trader, marketId, { side: 'SELL', price, volume });
        expect(biggestSell.status).toBe(409);
        expect(biggestSell.body.code).toBe('INSUFFICIENT_QUOTA');
      }
    });

    it('nothing was locked by the refused orders', async () => {
      expect(await cashOf(trader)).toEqual({ available: '10000.00', locked: '0.00' });
      expect((await client(t, trader.apiKey).get('/v1/orders')).body.items).toEqual([]);
    });

    it('answers 404 for an unknown market and 403 for a role that does not trade', async () => {
      const unknown = await placeOrder(t, trader, '150421-SEA-2026', { side: 'BUY', price: '1.05', volume: '10' });
      expect(unknown.status).toBe(404);
      const regulator = await client(t, city.apiKey).post(`/v1/markets/${marketId}/orders`, { side: 'BUY', price: '1.05', volume: '10' });
      expect(regulator.status).toBe(403);
      const operator = await client(t, t.adminKey).post(`/v1/markets/${marketId}/orders`, { side: 'BUY', price: '1.05', volume: '10' });
      expect(operator.status).toBe(403);
    });
  });

  describe('matching', () => {
    it('fills by price, then time, at the resting price; a finished order returns its price improvement, a resting one keeps its lock', async () => {
      const { marketId, parties: [early, late, cheap, buyer, second] } = await scene(5, { feeRate: '0.002' });
      const county = marketId.slice(0, 6);
      for (const s of [early, late, cheap]) await fundQuota(t, city.apiKey, s, '100', { regionCode: county });
      await fundCash(t, buyer, '1000');
      await fundCash(t, second, '1000');
      const e = await placeOrder(t, early, marketId, { side: 'SELL', price: '1.00', volume: '100' });
      const l = await placeOrder(t, late, marketId, { side: 'SELL', price: '1.00', volume: '100' });
      const c = await placeOrder(t, cheap, marketId, { side: 'SELL', price: '0.99', volume: '100' });
      expect(await book(marketId)).toEqual({ bids: [], asks: [{ price: '0.99', volume: '100', orders: 1 }, { price: '1', volume: '200', orders: 2 }] });

      // Locks r2(1.00 × 250 × 1.002) = 250.50 and sweeps 0.99 first, then 1.00 oldest first.
      const buy = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '1.00', volume: '250' });
      expect(buy.status).toBe(201);
      expect(buy.body).toMatchObject({ status: 'FILLED', filledVolume: '250', remainingVolume: '0', cancelReason: null });
      expect(buy.body.trades.map((x: any) => [x.sellerId, x.price, x.volume, x.amount, x.buyerFee, x.sellerFee])).toEqual([
        [cheap.id, '0.99', '100', '99.00', '0.20', '0.20'],
        [early.id, '1', '100', '100.00', '0.20', '0.20'],
        [late.id, '1', '50', '50.00', '0.10', '0.10'],
      ]);
      for (const x of buy.body.trades) {
        expect(x).toMatchObject({ marketId, buyerId: buyer.id, status: 'PENDING_APPROVAL', decision: null });
        // The response carries each trade exactly as GET /v1/trades/:id shows it.
        expect((await client(t, buyer.apiKey).get(`/v1/trades/${x.id}`)).body).toEqual(x);
      }
      // Only the three escrows stay locked: 99.20 + 100.20 + 50.10; the 1.00 saved came back.
      expect(await cashOf(buyer)).toEqual({ available: '750.50', locked: '249.50' });
      expect((await order(early, e.body.id)).status).toBe('FILLED');
      expect((await order(cheap, c.body.id)).status).toBe('FILLED');
      expect(await order(late, l.body.id)).toMatchObject({ status: 'PARTIALLY_FILLED', filledVolume: '50', remainingVolume: '50' });
      // The seller's escrow stays locked until approval, beside what the order still offers.
      expect(await quotaOf(t, late, marketId)).toEqual({ available: '0', locked: '100' });

      // A partial fill that rests keeps its whole lock until it ends (DOMAIN.md):
      // locks r2(1.01 × 300 × 1.002) = 303.61, of which 50.10 is now the trade's escrow.
      const rest = await placeOrder(t, second, marketId, { side: 'BUY', price: '1.01', volume: '300' });
      expect(rest.body).toMatchObject({ status: 'PARTIALLY_FILLED', filledVolume: '50', remainingVolume: '250' });
      expect(rest.body.trades.map((x: any) => [x.sellerId, x.price, x.volume])).toEqual([[late.id, '1', '50']]);
      expect(await cashOf(second)).toEqual({ available: '696.39', locked: '303.61' });
      expect(await book(marketId)).toEqual({ bids: [{ price: '1.01', volume: '250', orders: 1 }], asks: [] });

      // The GET of an order lists all its trades in execution order.
      const lateView = await order(late, l.body.id);
      expect(lateView.status).toBe('FILLED');
      expect(lateView.trades.map((x: any) => x.buyerId)).toEqual([buyer.id, second.id]);
      // The list shows each order as its GET does, trades included.
      const listed = (await client(t, late.apiKey).get(`/v1/orders?marketId=${marketId}`)).body.items;
      expect(listed.find((o: any) => o.id === l.body.id)).toEqual(lateView);
      const secondListed = (await client(t, second.apiKey).get(`/v1/orders?marketId=${marketId}&limit=1`)).body.items;
      expect(secondListed).toEqual([await order(second, rest.body.id)]);
      expect(secondListed[0].trades).toHaveLength(1);
    });

    it('a SELL crossing resting bids fills at the bids\' prices, best first', async () => {
      const { marketId, parties: [low, high, seller] } = await scene(3);
      await fundCash(t, low, '1000');
      await fundCash(t, high, '1000');
      await fundQuota(t, city.apiKey, seller, '500', { regionCode: marketId.slice(0, 6) });
      await placeOrder(t, low, marketId, { side: 'BUY', price: '1.10', volume: '100' });
      await placeOrder(t, high, marketId, { side: 'BUY', price: '1.20', volume: '100' });
      const sell = await placeOrder(t, seller, marketId, { side: 'SELL', price: '1.05', volume: '150' });
      expect(sell.body).toMatchObject({ status: 'FILLED', filledVolume: '150' });
      expect(sell.body.trades.map((x: any) => [x.buyerId, x.price, x.volume, x.amount])).toEqual([
        [high.id, '1.2', '100', '120.00'],
        [low.id, '1.1', '50', '55.00'],
      ]);
      // The partly filled bid keeps r2(1.10 × 50) for its rest plus the 55.00 escrow.
      expect(await cashOf(low)).toEqual({ available: '890.00', locked: '110.00' });
      expect(await book(marketId)).toEqual({ bids: [{ price: '1.1', volume: '50', orders: 1 }], asks: [] });
    });

    it('IOC takes what is there and cancels the rest', async () => {
      const { marketId, parties: [seller, buyer] } = await scene(2);
      await fundQuota(t, city.apiKey, seller, '100', { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, '1000');
      await placeOrder(t, seller, marketId, { side: 'SELL', price: '2.00', volume: '100' });
      const ioc = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '2.00', volume: '150', timeInForce: 'IOC' });
      expect(ioc.status).toBe(201);
      expect(ioc.body).toMatchObject({ status: 'CANCELLED', filledVolume: '100', remainingVolume: '50', timeInForce: 'IOC', cancelReason: 'IOC' });
      expect(ioc.body.trades).toHaveLength(1);
      expect(await cashOf(buyer)).toEqual({ available: '800.00', locked: '200.00' });
      expect(await book(marketId)).toEqual({ bids: [], asks: [] });

      const nothing = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '2.00', volume: '10', timeInForce: 'IOC' });
      expect(nothing.status).toBe(201);
      expect(nothing.body).toMatchObject({ status: 'CANCELLED', filledVolume: '0', trades: [] });
      expect(await cashOf(buyer)).toEqual({ available: '800.00', locked: '200.00' });
    });

    it('FOK that cannot fill in full is 201 CANCELLED with nothing filled and everything unlocked', async () => {
      const { marketId, parties: [seller, buyer] } = await scene(2, { feeRate: '0.01' });
      await fundQuota(t, city.apiKey, seller, '300', { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, '1000');
      const resting = await placeOrder(t, seller, marketId, { side: 'SELL', price: '2.00', volume: '100' });
      const fok = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '2.00', volume: '150', timeInForce: 'FOK' });
      expect(fok.status).toBe(201);
      expect(fok.body).toMatchObject({ status: 'CANCELLED', filledVolume: '0', remainingVolume: '150', timeInForce: 'FOK', trades: [] });
      expect(await cashOf(buyer)).toEqual({ available: '1000.00', locked: '0.00' });
      expect(await order(seller, resting.body.id)).toMatchObject({ status: 'OPEN', remainingVolume: '100' });

      const sellFok = await placeOrder(t, seller, marketId, { side: 'SELL', price: '1.00', volume: '50', timeInForce: 'FOK' });
      expect(sellFok.body).toMatchObject({ status: 'CANCELLED', filledVolume: '0' });
      expect(await quotaOf(t, seller, marketId)).toEqual({ available: '200', locked: '100' });

      const fills = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '2.00', volume: '100', timeInForce: 'FOK' });
      expect(fills.body).toMatchObject({ status: 'FILLED', filledVolume: '100' });
      expect(await cashOf(buyer)).toEqual({ available: '798.00', locked: '202.00' });
    });

    it('self-trade prevention cancels the incoming remainder, leaves the resting order and never crosses', async () => {
      const { marketId, parties: [me, other] } = await scene(2);
      const county = marketId.slice(0, 6);
      await fundQuota(t, city.apiKey, me, '100', { regionCode: county });
      await fundQuota(t, city.apiKey, other, '30', { regionCode: county });
      await fundCash(t, me, '1000');
      await placeOrder(t, other, marketId, { side: 'SELL', price: '2.90', volume: '30' });
      const mine = await placeOrder(t, me, marketId, { side: 'SELL', price: '3.00', volume: '100' });

      const buy = await placeOrder(t, me, marketId, { side: 'BUY', price: '3.00', volume: '100' });
      expect(buy.status).toBe(201);
      expect(buy.body).toMatchObject({ status: 'CANCELLED', filledVolume: '30', remainingVolume: '70', cancelReason: 'SELF_TRADE' });
      expect(buy.body.trades.map((x: any) => [x.sellerId, x.price, x.volume])).toEqual([[other.id, '2.9', '30']]);
      expect(await order(me, mine.body.id)).toMatchObject({ status: 'OPEN', remainingVolume: '100', filledVolume: '0' });
      expect(await book(marketId)).toEqual({ bids: [], asks: [{ price: '3', volume: '100', orders: 1 }] });
      expect(await cashOf(me)).toEqual({ available: '913.00', locked: '87.00' });

      const own = await placeOrder(t, me, marketId, { side: 'BUY', price: '3.00', volume: '10', timeInForce: 'FOK' });
      expect(own.body).toMatchObject({ status: 'CANCELLED', filledVolume: '0', cancelReason: 'SELF_TRADE' });
      expect(await cashOf(me)).toEqual({ available: '913.00', locked: '87.00' });
    });
  });

  describe('the answer is the stored order', () => {
    // An order that crosses nothing is written in the statement that locks its funds, a
    // taker's row is sent ahead of its fills (decision 0031), and so are its trades' rows,
    // stamped with the market's lock's `now()` (decision 0041): none is read back, so the
    // answer, the stored rows and the audit entries must still say the same, to the microsecond.
    it.each<[string, Record<string, string>, string, boolean]>([
      ['a GTC order that rests', { side: 'BUY', price: '0.90', volume: '7.25' }, 'OPEN', false],
      ['an IOC order that crosses nothing', { side: 'BUY', price: '0.90', volume: '3', timeInForce: 'IOC' }, 'CANCELLED', false],
      ['an order that meets its owner\'s own first', { side: 'BUY', price: '1.10', volume: '1' }, 'CANCELLED', true],
      ['a taker that fills part and rests', { side: 'BUY', price: '1.05', volume: '12.5', clientOrderId: 'taker-1' }, 'PARTIALLY_FILLED', false],
    ])('%s', async (_, placed, status, own) => {
      const { marketId, parties: [seller, buyer] } = await scene(2, { feeRate: '0.005' });
      await fundQuota(t, city.apiKey, seller, '100', { regionCode: marketId.slice(0, 6) });
      await fundQuota(t, city.apiKey, buyer, '100', { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, '1000');
      expect((await placeOrder(t, seller, marketId, { side: 'SELL', price: '1.00', volume: '10' })).status).toBe(201);
      // The buyer's own ask, below the seller's: a bid at 1.10 meets it first, and self-trade prevention cancels the bid.
      if (own) expect((await placeOrder(t, buyer, marketId, { side: 'SELL', price: '0.95', volume: '1' })).status).toBe(201);
      const res = await placeOrder(t, buyer, marketId, placed);
      expect(res.status).toBe(201);
      expect(res.body.status).toBe(status);
      if (own) expect(res.body.cancelReason).toBe('SELF_TRADE');
      expect(await order(buyer, res.body.id)).toEqual(res.body);
      const entry = (await auditOf(t, 'order', res.body.id)).find((e) => e.action === 'order.placed');
      const { trades, ...stored } = res.body;
      expect(trades.length > 0).toBe(status === 'PARTIALLY_FILLED');
      expect(entry.after).toEqual({ ...stored, trades: [] });
      for (const trade of trades) {
        expect((await client(t, buyer.apiKey).get(`/v1/trades/${trade.id}`)).body).toEqual(trade);
        expect((await auditOf(t, 'trade', trade.id)).find((e) => e.action === 'trade.created').after).toEqual(trade);
      }
    });
  });

  describe('cancelling', () => {
    it('returns what is left, refuses a second cancel and another participant\'s cancel', async () => {
      const { marketId, parties: [seller, buyer, stranger] } = await scene(3);
      await fundQuota(t, city.apiKey, seller, '100', { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, '1000');
      const sell = await placeOrder(t, seller, marketId, { side: 'SELL', price: '1.50', volume: '100' });
      await placeOrder(t, buyer, marketId, { side: 'BUY', price: '1.50', volume: '40' });

      expect((await client(t, stranger.apiKey).delete(`/v1/orders/${sell.body.id}`)).status).toBe(404);
      const byOperator = await client(t, t.adminKey).delete(`/v1/orders/${sell.body.id}`);
      expect(byOperator.status).toBe(403);
      expect((await client(t, seller.apiKey).delete('/v1/orders/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await client(t, seller.apiKey).delete('/v1/orders/not-a-uuid')).status).toBe(404);

      const cancelled = await client(t, seller.apiKey).delete(`/v1/orders/${sell.body.id}`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ id: sell.body.id, status: 'CANCELLED', filledVolume: '40', remainingVolume: '60', cancelReason: 'USER' });
      expect(cancelled.body.trades).toHaveLength(1);
      // The trade's 40 stays in escrow; the 60 left on the order comes back.
      expect(await quotaOf(t, seller, marketId)).toEqual({ available: '60', locked: '40' });
      expect(await book(marketId)).toEqual({ bids: [], asks: [] });

      const twice = await client(t, seller.apiKey).delete(`/v1/orders/${sell.body.id}`);
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('INVALID_STATE');
    });

    it('refuses to cancel a filled order with 409 and returns a resting BUY\'s lock', async () => {
      const { marketId, parties: [seller, buyer] } = await scene(2, { feeRate: '0.005' });
      await fundQuota(t, city.apiKey, seller, '100', { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, '1000');
      const sell = await placeOrder(t, seller, marketId, { side: 'SELL', price: '1.00', volume: '100' });
      await placeOrder(t, buyer, marketId, { side: 'BUY', price: '1.00', volume: '100' });
      const filled = await client(t, seller.apiKey).delete(`/v1/orders/${sell.body.id}`);
      expect(filled.status).toBe(409);
      expect(filled.body.code).toBe('INVALID_STATE');

      const bid = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '0.95', volume: '333' });
      expect(await cashOf(buyer)).toEqual({ available: '581.57', locked: '418.43' }); // 100.50 escrow + r2(0.95 × 333 × 1.005) = 317.93
      const res = await client(t, buyer.apiKey).delete(`/v1/orders/${bid.body.id}`);
      expect(res.body).toMatchObject({ status: 'CANCELLED', filledVolume: '0', trades: [] });
      expect(await cashOf(buyer)).toEqual({ available: '899.50', locked: '100.50' });
    });
  });

  describe('clientOrderId', () => {
    it('is unique per participant: a reuse is 409 DUPLICATE, even after the first ended', async () => {
      const { marketId, parties: [a, b] } = await scene(2);
      await fundCash(t, a, '1000');
      await fundCash(t, b, '1000');
      const first = await placeOrder(t, a, marketId, { side: 'BUY', price: '1.00', volume: '10', clientOrderId: 'po-77' });
      expect(first.status).toBe(201);
      const dup = await placeOrder(t, a, marketId, { side: 'BUY', price: '1.00', volume: '20', clientOrderId: 'po-77' });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('DUPLICATE');
      expect((await placeOrder(t, b, marketId, { side: 'BUY', price: '1.00', volume: '10', clientOrderId: 'po-77' })).status).toBe(201);
      await client(t, a.apiKey).delete(`/v1/orders/${first.body.id}`);
      expect((await placeOrder(t, a, marketId, { side: 'BUY', price: '1.00', volume: '10', clientOrderId: 'po-77' })).status).toBe(409);
      expect(await cashOf(a)).toEqual({ available: '1000.00', locked: '0.00' });
    });

    it('lets only one of concurrent orders with one clientOrderId through, even across markets', async () => {
      const { marketId, parties: [a] } = await scene(1);
      const other = (await scene(0)).marketId;
      await fundCash(t, a, '1000');
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => placeOrder(t, a, i % 2 ? other : marketId, { side: 'BUY', price: '1.00', volume: '10', clientOrderId: 'same' })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('DUPLICATE');
      expect(await cashOf(a)).toEqual({ available: '990.00', locked: '10.00' });
    });
  });

  describe('Idempotency-Key', () => {
    it('replays a matched order with its trades and never matches twice', async () => {
      const { marketId, parties: [seller, buyer] } = await scene(2, { feeRate: '0.005' });
      await fundQuota(t, city.apiKey, seller, '100', { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, '1000');
      await placeOrder(t, seller, marketId, { side: 'SELL', price: '2.00', volume: '60' });
      const body = { side: 'BUY', price: '2.00', volume: '100' };
      const headers = { 'Idempotency-Key': 'buy-once' };
      const attempts = await Promise.all([0, 1, 2].map(() => client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders`, body, headers)));
      for (const a of attempts) {
        expect(a.status).toBe(201);
        expect(a.body).toEqual(attempts[0].body);
      }
      expect(attempts[0].body).toMatchObject({ status: 'PARTIALLY_FILLED', filledVolume: '60' });
      expect(attempts[0].body.trades).toHaveLength(1);
      const later = await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders`, body, headers);
      expect(later.status).toBe(201);
      expect(later.headers['idempotent-replayed']).toBe('true');
      expect(later.body).toEqual(attempts[0].body);
      const reused = await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders`, { ...body, volume: '10' }, headers);
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

      // One order, one trade, one lock: 120.60 in escrow and r2(2.00 × 40 × 1.005) = 80.40 resting.
      expect((await client(t, buyer.apiKey).get(`/v1/orders?marketId=${marketId}`)).body.items).toHaveLength(1);
      expect(await cashOf(buyer)).toEqual({ available: '799.00', locked: '201.00' });
      expect(await book(marketId)).toEqual({ bids: [{ price: '2', volume: '40', orders: 1 }], asks: [] });
      // The book the idempotent request left behind is the one the next order meets.
      const sell = await placeOrder(t, seller, marketId, { side: 'SELL', price: '2.00', volume: '40' });
      expect(sell.body.trades.map((x: any) => [x.buyerId, x.volume])).toEqual([[buyer.id, '40']]);
    });

    it('replays a refused order as the same 409 and locks nothing', async () => {
      const { marketId, parties: [buyer] } = await scene(1);
      const headers = { 'Idempotency-Key': 'too-big' };
      const first = await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders`, { side: 'BUY', price: '1.00', volume: '10' }, headers);
      expect(first.status).toBe(409);
      expect(first.body.code).toBe('INSUFFICIENT_FUNDS');
      await fundCash(t, buyer, '100');
      const again = await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders`, { side: 'BUY', price: '1.00', volume: '10' }, headers);
      expect(again.status).toBe(409);
      expect(again.body).toEqual(first.body);
      expect(await cashOf(buyer)).toEqual({ available: '100.00', locked: '0.00' });
    });
  });

  describe('market data and listings', () => {
    it('aggregates the book by price without identities, honours depth, and shows the tape newest first', async () => {
      const { marketId, parties: [s1, s2, b1, b2] } = await scene(4);
      const county = marketId.slice(0, 6);
      await fundQuota(t, city.apiKey, s1, '1000', { regionCode: county });
      await fundQuota(t, city.apiKey, s2, '1000', { regionCode: county });
      await fundCash(t, b1, '10000');
      await fundCash(t, b2, '10000');
      await placeOrder(t, s1, marketId, { side: 'SELL', price: '1.30', volume: '100' });
      await placeOrder(t, s2, marketId, { side: 'SELL', price: '1.30', volume: '50.5' });
      await placeOrder(t, s1, marketId, { side: 'SELL', price: '1.40', volume: '10' });
      await placeOrder(t, s2, marketId, { side: 'SELL', price: '1.50', volume: '10' });
      await placeOrder(t, b1, marketId, { side: 'BUY', price: '1.20', volume: '20' });
      await placeOrder(t, b2, marketId, { side: 'BUY', price: '1.20', volume: '30' });
      await placeOrder(t, b2, marketId, { side: 'BUY', price: '1.10', volume: '5' });

      const full = await client(t, b1.apiKey).get(`/v1/markets/${marketId}/book`);
      expect(full.status).toBe(200);
      expect(full.body).toEqual({
        bids: [{ price: '1.2', volume: '50', orders: 2 }, { price: '1.1', volume: '5', orders: 1 }],
        asks: [{ price: '1.3', volume: '150.5', orders: 2 }, { price: '1.4', volume: '10', orders: 1 }, { price: '1.5', volume: '10', orders: 1 }],
      });
      expect(await book(marketId, 1)).toEqual({ bids: [{ price: '1.2', volume: '50', orders: 2 }], asks: [{ price: '1.3', volume: '150.5', orders: 2 }] });
      expect((await client(t, b1.apiKey).get(`/v1/markets/${marketId}/book?depth=0`)).status).toBe(400);
      expect((await client(t, b1.apiKey).get(`/v1/markets/${marketId}/book?depth=abc`)).status).toBe(400);
      expect((await client(t, b1.apiKey).get('/v1/markets/150421-SEA-2026/book')).status).toBe(404);

      const t1 = await placeOrder(t, b1, marketId, { side: 'BUY', price: '1.30', volume: '120' });
      const t2 = await placeOrder(t, b2, marketId, { side: 'BUY', price: '1.40', volume: '35.5' });
      const executed = [...t1.body.trades, ...t2.body.trades];
      expect(executed.map((x: any) => [x.price, x.volume])).toEqual([['1.3', '100'], ['1.3', '20'], ['1.3', '30.5'], ['1.4', '5']]);
      const tape = await client(t, s1.apiKey).get(`/v1/markets/${marketId}/trades`);
      expect(tape.status).toBe(200);
      expect(tape.body.items).toEqual(
        [...executed].reverse().map((x: any) => ({ id: x.id, price: x.price, volume: x.volume, at: x.createdAt, status: 'PENDING_APPROVAL' })),
      );
      const page = await client(t, s1.apiKey).get(`/v1/markets/${marketId}/trades?limit=3`);
      expect(page.body.items.map((x: any) => x.id)).toEqual(tape.body.items.slice(0, 3).map((x: any) => x.id));
      const rest = await client(t, s1.apiKey).get(`/v1/markets/${marketId}/trades?limit=3&cursor=${page.body.nextCursor}`);
      expect(rest.body).toEqual({ items: tape.body.items.slice(3), nextCursor: null });
      expect(await book(marketId)).toEqual({
        bids: [{ price: '1.2', volume: '50', orders: 2 }, { price: '1.1', volume: '5', orders: 1 }],
        asks: [{ price: '1.4', volume: '5', orders: 1 }, { price: '1.5', volume: '10', orders: 1 }],
      });
    });

    it('lists only the caller\'s own orders, filtered by status and market, newest first', async () => {
      const a = await scene(2);
      const b = await scene(0);
      const [me, other] = a.parties;
      await fundCash(t, me, '1000');
      await fundCash(t, other, '1000');
      const o1 = await placeOrder(t, me, a.marketId, { side: 'BUY', price: '1.00', volume: '10' });
      const o2 = await placeOrder(t, me, a.marketId, { side: 'BUY', price: '1.00', volume: '20' });
      const o3 = await placeOrder(t, me, b.marketId, { side: 'BUY', price: '1.00', volume: '30' });
      await placeOrder(t, other, a.marketId, { side: 'BUY', price: '1.00', volume: '40' });
      await client(t, me.apiKey).delete(`/v1/orders/${o2.body.id}`);

      const mine = await client(t, me.apiKey).get('/v1/orders');
      expect(mine.body.items.map((o: any) => o.id)).toEqual([o3.body.id, o2.body.id, o1.body.id]);
      expect(mine.body.items.every((o: any) => o.participantId === me.id)).toBe(true);
      expect((await client(t, me.apiKey).get(`/v1/orders?marketId=${a.marketId}`)).body.items.map((o: any) => o.id)).toEqual([o2.body.id, o1.body.id]);
      expect((await client(t, me.apiKey).get('/v1/orders?status=OPEN')).body.items.map((o: any) => o.id)).toEqual([o3.body.id, o1.body.id]);
      expect((await client(t, me.apiKey).get(`/v1/orders?status=CANCELLED&marketId=${a.marketId}`)).body.items.map((o: any) => o.id)).toEqual([o2.body.id]);
      const paged = await client(t, me.apiKey).get('/v1/orders?limit=2');
      expect(paged.body.items).toHaveLength(2);
      const next = await client(t, me.apiKey).get(`/v1/orders?limit=2&cursor=${paged.body.nextCursor}`);
      expect(next.body).toMatchObject({ items: [expect.objectContaining({ id: o1.body.id })], nextCursor: null });
      expect((await client(t, me.apiKey).get('/v1/orders?status=DONE')).status).toBe(400);

      expect((await client(t, me.apiKey).get(`/v1/orders/${o1.body.id}`)).body).toMatchObject({ id: o1.body.id, status: 'OPEN' });
      expect((await client(t, t.adminKey).get(`/v1/orders/${o1.body.id}`)).status).toBe(200);
      expect((await client(t, other.apiKey).get(`/v1/orders/${o1.body.id}`)).status).toBe(404);
      expect((await client(t, city.apiKey).get(`/v1/orders/${o1.body.id}`)).status).toBe(404);
    });
  });

  describe('rounding per fill (DOMAIN.md: BUY 2 @ 0.01 filled 1.5 + 0.5)', () => {
    // 1.5 × 0.01 = 0.015 → 0.02 and 0.5 × 0.01 = 0.005 → 0.01: 0.03 against a lock of 0.02.
    const market = { minVolume: '0.5' };

    async function restingBuyThenTwoSells(cash: string) {
      const { marketId, parties: [buyer, seller] } = await scene(2, market);
      await fundQuota(t, city.apiKey, seller, '2', { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, cash);
      const bid = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '0.01', volume: '2' });
      expect(bid.status).toBe(201);
      const first = await placeOrder(t, seller, marketId, { side: 'SELL', price: '0.01', volume: '1.5' });
      expect(first.body.trades.map((x: any) => [x.volume, x.amount])).toEqual([['1.5', '0.02']]);
      const second = await placeOrder(t, seller, marketId, { side: 'SELL', price: '0.01', volume: '0.5' });
      return { marketId, buyer, seller, bid: bid.body, second };
    }

    it('resting buy, no cash left: its remainder is cancelled instead of filling', async () => {
      const { marketId, buyer, seller, bid, second } = await restingBuyThenTwoSells('0.02');
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ status: 'OPEN', filledVolume: '0', trades: [] });
      expect(await order(buyer, bid.id)).toMatchObject({ status: 'CANCELLED', filledVolume: '1.5', remainingVolume: '0.5', cancelReason: 'FUNDS' });
      expect(await cashOf(buyer)).toEqual({ available: '0.00', locked: '0.02' });
      expect(await quotaOf(t, seller, marketId)).toEqual({ available: '0', locked: '2' });
      expect(await book(marketId)).toEqual({ bids: [], asks: [{ price: '0.01', volume: '0.5', orders: 1 }] });
    });

    it('resting buy with available cash: the second fill takes the missing 0.01 from it', async () => {
      const { marketId, buyer, bid, second } = await restingBuyThenTwoSells('0.05');
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ status: 'FILLED', filledVolume: '0.5' });
      expect(second.body.trades.map((x: any) => [x.volume, x.amount])).toEqual([['0.5', '0.01']]);
      expect(await order(buyer, bid.id)).toMatchObject({ status: 'FILLED', filledVolume: '2' });
      expect(await cashOf(buyer)).toEqual({ available: '0.02', locked: '0.03' });
      expect(await book(marketId)).toEqual({ bids: [], asks: [] });
    });

    async function twoSellsThenBuy(cash: string) {
      const { marketId, parties: [buyer, seller] } = await scene(2, market);
      await fundQuota(t, city.apiKey, seller, '2', { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, cash);
      await placeOrder(t, seller, marketId, { side: 'SELL', price: '0.01', volume: '1.5' });
      await placeOrder(t, seller, marketId, { side: 'SELL', price: '0.01', volume: '0.5' });
      const buy = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '0.01', volume: '2' });
      expect(buy.status).toBe(201);
      return { marketId, buyer, buy: buy.body };
    }

    it('incoming buy, no cash left: fills 1.5 and cancels the rest', async () => {
      const { marketId, buyer, buy } = await twoSellsThenBuy('0.02');
      expect(buy).toMatchObject({ status: 'CANCELLED', filledVolume: '1.5', remainingVolume: '0.5', cancelReason: 'FUNDS' });
      expect(buy.trades.map((x: any) => [x.volume, x.amount])).toEqual([['1.5', '0.02']]);
      expect(await cashOf(buyer)).toEqual({ available: '0.00', locked: '0.02' });
      expect(await book(marketId)).toEqual({ bids: [], asks: [{ price: '0.01', volume: '0.5', orders: 1 }] });
    });

    it('incoming buy with available cash: fills both, 0.02 + 0.01', async () => {
      const { marketId, buyer, buy } = await twoSellsThenBuy('0.05');
      expect(buy).toMatchObject({ status: 'FILLED', filledVolume: '2' });
      expect(buy.trades.map((x: any) => [x.volume, x.amount])).toEqual([['1.5', '0.02'], ['0.5', '0.01']]);
      expect(await cashOf(buyer)).toEqual({ available: '0.02', locked: '0.03' });
      expect(await book(marketId)).toEqual({ bids: [], asks: [] });
    });

    it('incoming FOK buy that cannot fund every fill fills nothing', async () => {
      const { marketId, parties: [buyer, seller] } = await scene(2, market);
      await fundQuota(t, city.apiKey, seller, '2', { regionCode: marketId.slice(0, 6) });
      await fundCash(t, buyer, '0.02');
      await placeOrder(t, seller, marketId, { side: 'SELL', price: '0.01', volume: '1.5' });
      await placeOrder(t, seller, marketId, { side: 'SELL', price: '0.01', volume: '0.5' });
      const fok = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '0.01', volume: '2', timeInForce: 'FOK' });
      expect(fok.body).toMatchObject({ status: 'CANCELLED', filledVolume: '0', trades: [] });
      expect(await cashOf(buyer)).toEqual({ available: '0.02', locked: '0.00' });
    });
  });
});
