import { createParticipant, Party } from './support/fixtures';
import { counter } from './support/metrics';
import { sql, untilSealed } from './support/sql';
import { client, TestApp } from './support/test-app';
import { expectStatus, startTradeScene } from './support/trade-scene';
import { balancesOf, expectLedgerValid, fundCash, fundQuota, openMarket, placeOrder, quotaOf } from './support/trading';

/**
 * A crossing placement sends its own lock right behind the locks of its sweep (the resting
 * orders' holds, then the accounts it may move), in the same round trip, and takes the three
 * answers in the order sent (OrdersService.match). A lock refused there refuses the order as
 * before. Where the instance kept the resting orders' holds, it waits for none of those
 * answers (decision 0045), and a refused lock still refuses the order, at its commit.
 */
describe('a crossing placement: its own lock rides with the sweep\'s locks', () => {
  let t: TestApp;
  let city: Party;

  beforeAll(async () => {
    ({ t, regulators: [city] } = await startTradeScene({ regulators: ['150400'] }));
  });
  afterAll(() => t.close());
  afterEach(() => expectLedgerValid(t));

  /** A market of its own, a seller with `quota` of it and a buyer with `cash`. */
  const traders = async (regionCode: string, source: string, quota: string, cash: string) => {
    const market = await openMarket(t, { regionCode, source });
    const seller = await createParticipant(t, 'ENTERPRISE', regionCode);
    const buyer = await createParticipant(t, 'ENTERPRISE', regionCode);
    await fundQuota(t, city.apiKey, seller, quota, { source });
    await fundCash(t, buyer, cash);
    return { market, seller, buyer };
  };

  /** A party's orders in a market, as side, status and what remains of each. */
  const ordersOf = async (party: Party, marketId: string) =>
    (await client(t, party.apiKey).get(`/v1/orders?marketId=${marketId}`)).body.items.map((o: any) => [o.side, o.status, o.remainingVolume]);

  it('a BUY that would cross but cannot pay is refused 409, and the resting SELL, the book and the balances stay as they were', async () => {
    const { market, seller, buyer } = await traders('150421', 'MINE_WATER', '100', '50');
    expectStatus(await placeOrder(t, seller, market.id, { side: 'SELL', price: '1.00', volume: '100' }), 201);

    const refused = await placeOrder(t, buyer, market.id, { side: 'BUY', price: '1.00', volume: '100' });
    expect([refused.status, refused.body.code]).toEqual([409, 'INSUFFICIENT_FUNDS']);
    expect((await balancesOf(t, buyer)).cash).toEqual({ available: '50.00', locked: '0.00' });
    expect(await quotaOf(t, seller, market.id)).toEqual({ available: '0', locked: '100' });
    expect(await ordersOf(seller, market.id)).toEqual([['SELL', 'OPEN', '100']]);
    expect(await ordersOf(buyer, market.id)).toEqual([]);

    // The book the refusal left is the one the next order meets.
    const fits = expectStatus(await placeOrder(t, buyer, market.id, { side: 'BUY', price: '1.00', volume: '40' }), 201);
    expect(fits.body.trades.map((x: any) => [x.sellerId, x.volume])).toEqual([[seller.id, '40']]);
    expect(await ordersOf(seller, market.id)).toEqual([['SELL', 'PARTIALLY_FILLED', '60']]);
  });

  it('a SELL that would cross but holds too little quota is refused 409, and the resting BUY keeps its lock', async () => {
    const { market, seller, buyer } = await traders('150422', 'MINE_WATER', '30', '1000');
    expectStatus(await placeOrder(t, buyer, market.id, { side: 'BUY', price: '2.00', volume: '50' }), 201);
    const cashBefore = (await balancesOf(t, buyer)).cash;

    const refused = await placeOrder(t, seller, market.id, { side: 'SELL', price: '2.00', volume: '50' });
    expect([refused.status, refused.body.code]).toEqual([409, 'INSUFFICIENT_QUOTA']);
    expect(await quotaOf(t, seller, market.id)).toEqual({ available: '30', locked: '0' });
    expect((await balancesOf(t, buyer)).cash).toEqual(cashBefore);
    expect(await ordersOf(buyer, market.id)).toEqual([['BUY', 'OPEN', '50']]);

    const fits = expectStatus(await placeOrder(t, seller, market.id, { side: 'SELL', price: '2.00', volume: '30' }), 201);
    expect(fits.body.trades.map((x: any) => [x.buyerId, x.volume])).toEqual([[buyer.id, '30']]);
  });

  it('costs one round trip for the sweep\'s locks and its own lock together (none when the instance kept the holds, decision 0045), and none for the answers of a resting order\'s lock or a trade\'s row', async () => {
    const { market, seller, buyer } = await traders('150421', 'RAINWATER', '1000', '100000');
    const tripsOf = async (party: Party, order: Record<string, unknown>, trades: number): Promise<number> => {
      const before = await counter(t, 'db_round_trips_total');
      const res = expectStatus(await placeOrder(t, party, market.id, order), 201);
      expect(res.body.trades ?? []).toHaveLength(trades);
      // Its audit round follows the answer (decision 0043): counted once its entries are chained.
      await untilSealed(t);
      return (await counter(t, 'db_round_trips_total')) - before;
    };
    // The fewest of several: the service's own rounds (the sealer's look every second) only add.
    const resting: number[] = [];
    const crossing: number[] = [];
    const crossingKept: number[] = [];
    const sell = (price = '1.00') => tripsOf(seller, { side: 'SELL', price, volume: '10' }, 0);
    const buy = (price = '1.00') => tripsOf(buyer, { side: 'BUY', price, volume: '10' }, 1);
    for (let i = 0; i < 6; i++) {
      resting.push(await sell());
      resting.push(await sell('1.01'));
      // As after another instance's change: the book is rebuilt from the open orders (a read
      // of its own), and a sweep that meets one of those orders first reads its hold.
      await sql(t, 'UPDATE markets SET book_version = gen_random_uuid() WHERE id = $1', [market.id]);
      await buy();
      crossing.push(await buy('1.01'));
      resting.push(await sell());
      crossingKept.push(await buy());
    }
    // A resting order: its market's lock, then its own lock with the commit (the lock's
    // answer is not waited for, decision 0041), and the audit's sealing round (two). Waiting
    // for the lock's answer made it five.
    expect(Math.min(...resting)).toBe(4);
    // A crossing one that reads its holds: its market's lock, the sweep's locks with its own
    // (with its own lock a round trip of its own, one more), the commit with its trade's row
    // (once awaited for its answer, one more, decision 0041), and the sealing round.
    expect(Math.min(...crossing)).toBe(5);
    // One whose holds the instance kept waits for none of its sweep's answers: as a resting one.
    expect(Math.min(...crossingKept)).toBe(4);
  });
});
