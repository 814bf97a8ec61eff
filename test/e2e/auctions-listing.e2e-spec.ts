import { createParticipant, Party } from './support/fixtures';
import { auctionApp, auctionAs, bid, bidsAs, closeAuction, closingIn, openAuction, tradeAs } from './support/auctions';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { AGRI, balances, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, openMarket } from './support/trading';

jest.setTimeout(60_000);

const byBidder = (bids: any[]) => new Map(bids.map((b) => [b.bidderId, b]));

/**
 * A district's sealed-bid listing (挂牌竞价), DOMAIN.md's worked example: SELL 1 000 m³ at a
 * reserve of 2.00; A bids 600 @ 2.50, B 600 @ 2.40, C 500 @ 2.00, C before B. A gets 600, B
 * 400, C nothing; UNIFORM at 2.40 (1 440.00 and 960.00), PAY_AS_BID at each bid
 * (1 500.00 and 960.00). Each allocation is an ordinary trade that waits for approval.
 */
describe('a district\'s sealed-bid listing (挂牌竞价)', () => {
  let t: TestApp;
  let operator: Party;
  let county: Party; // 150421
  let city: Party; // 150400
  let market: string;
  let district: Party;
  let a: Party;
  let b: Party;
  let c: Party;

  beforeAll(async () => {
    ({ t, operator, regulators: [county, city] } = await startTradeScene({ regulators: ['150421', '150400'], app: auctionApp() }));
    market = (await openMarket(t, { regionCode: '150421' })).id;
    [district, a, b, c] = await Promise.all([
      createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
      createParticipant(t, 'ENTERPRISE', '150422'),
      createParticipant(t, 'ENTERPRISE', '150422'),
      createParticipant(t, 'ENTERPRISE', '150422'),
    ]);
    await fundQuota(t, county.apiKey, district, '5000', AGRI);
    await Promise.all([a, b, c].map((p) => fundCash(t, p, '10000.00')));
  });
  afterAll(() => t.close());

  describe('the worked example under both pricings', () => {
    let uniform: any;
    let payAsBid: any;

    beforeAll(async () => {
      const closesAt = closingIn(4000);
      uniform = await openAuction(t, district, { marketId: market, side: 'SELL', volume: '1000', limitPrice: '2.00', closesAt, note: '2026 灌区节水 saved water' });
      payAsBid = await openAuction(t, district, { marketId: market, side: 'SELL', volume: '1000', limitPrice: '2.00', closesAt, pricing: 'PAY_AS_BID' });
      for (const auction of [uniform, payAsBid]) {
        await bid(t, c, auction.id, '2.00', '500');
        await bid(t, a, auction.id, '2.50', '600');
        await bid(t, b, auction.id, '2.40', '600');
      }
    });

    it('opens with the creator\'s quota locked and the reserve public', async () => {
      expect(uniform).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/), marketId: market, creatorId: district.id, side: 'SELL', volume: '1000', limitPrice: '2',
        closesAt: expect.any(String), pricing: 'UNIFORM', priorityKinds: [], note: '2026 灌区节水 saved water', status: 'OPEN', bidCount: 0,
        filledVolume: '0', clearingPrice: null, allocations: [], createdAt: expect.any(String), closedAt: null, reason: null,
      });
      expect(payAsBid).toMatchObject({ pricing: 'PAY_AS_BID', note: null });
      expect((await auctionAs(t, a, uniform.id))).toMatchObject({ limitPrice: '2', bidCount: 3, status: 'OPEN' });
      expect((await balances(t, district)).quota(market)).toEqual({ available: '3000', locked: '2000' });
      // Each bidder's cash is locked at its own price, once per auction.
      expect((await balances(t, a)).cash).toEqual({ available: '7000.00', locked: '3000.00' });
      expect((await balances(t, c)).cash).toEqual({ available: '8000.00', locked: '2000.00' });
      const [announced] = await sql(t, `SELECT data FROM announcements WHERE type = 'AUCTION_OPENED' AND data->>'auctionId' = $1`, [uniform.id]);
      expect(announced.data).toEqual({ auctionId: uniform.id, marketId: market, side: 'SELL', volume: '1000', limitPrice: '2', closesAt: uniform.closesAt });
    });

    it('UNIFORM: A 600 and B 400, both at 2.40 (1 440.00 and 960.00); C nothing', async () => {
      const closed = await closeAuction(t, district, uniform);
      expect(closed).toMatchObject({ status: 'CLOSED', filledVolume: '1000', clearingPrice: '2.4', bidCount: 0, closedAt: expect.any(String) });
      expect(closed.allocations.map((x: any) => [x.price, x.volume])).toEqual([['2.4', '600'], ['2.4', '400']]);
      const [ta, tb] = await Promise.all(closed.allocations.map((x: any) => tradeAs(t, district, x.tradeId)));
      expect(ta).toMatchObject({ auctionId: uniform.id, transferId: null, sellerId: district.id, buyerId: a.id, price: '2.4', volume: '600', amount: '1440.00', status: 'PENDING_APPROVAL' });
      expect(tb).toMatchObject({ auctionId: uniform.id, sellerId: district.id, buyerId: b.id, price: '2.4', volume: '400', amount: '960.00', status: 'PENDING_APPROVAL' });
      const bids = byBidder(await bidsAs(t, district, uniform.id));
      expect(bids.get(a.id)).toMatchObject({ status: 'FILLED', filledVolume: '600' });
      expect(bids.get(b.id)).toMatchObject({ status: 'PARTIALLY_FILLED', filledVolume: '400' });
      expect(bids.get(c.id)).toMatchObject({ status: 'UNFILLED', filledVolume: '0' });
      const [announced] = await sql(t, `SELECT data FROM announcements WHERE type = 'AUCTION_CLOSED' AND data->>'auctionId' = $1`, [uniform.id]);
      expect(announced.data).toEqual({ auctionId: uniform.id, marketId: market, side: 'SELL', filledVolume: '1000', clearingPrice: '2.4' });
    });

    it('PAY_AS_BID: A at 2.50 (1 500.00), B at 2.40 (960.00); no clearing price; closed by the operator', async () => {
      const closed = await closeAuction(t, operator, payAsBid);
      expect(closed).toMatchObject({ status: 'CLOSED', filledVolume: '1000', clearingPrice: null });
      expect(closed.allocations.map((x: any) => [x.price, x.volume])).toEqual([['2.5', '600'], ['2.4', '400']]);
      const trades = await Promise.all(closed.allocations.map((x: any) => tradeAs(t, district, x.tradeId)));
      expect(trades.map((x) => [x.buyerId, x.amount])).toEqual([[a.id, '1500.00'], [b.id, '960.00']]);
    });

    it('releases every unused lock: only the four trades\' escrow stays locked', async () => {
      // A: 1 440.00 + 1 500.00 in escrow; B: 960.00 twice; C: nothing.
      expect((await balances(t, a)).cash).toEqual({ available: '7060.00', locked: '2940.00' });
      expect((await balances(t, b)).cash).toEqual({ available: '8080.00', locked: '1920.00' });
      expect((await balances(t, c)).cash).toEqual({ available: '10000.00', locked: '0.00' });
      expect((await balances(t, district)).quota(market)).toEqual({ available: '3000', locked: '2000' });
    });

    it('the trades go through approval like any other and settle', async () => {
      const closed = await Promise.all([uniform.id, payAsBid.id].map((id) => auctionAs(t, district, id)));
      const tradeIds = closed.flatMap((x) => x.allocations.map((y: any) => y.tradeId));
      const queue = expectStatus(await client(t, city.apiKey).get('/v1/approvals?limit=500'), 200).body.items.map((x: any) => x.id);
      expect(queue).toEqual(expect.arrayContaining(tradeIds));
      for (const id of tradeIds) expect(expectStatus(await client(t, city.apiKey).post(`/v1/trades/${id}/approve`, {}), 200).body).toMatchObject({ status: 'SETTLED', auctionId: expect.any(String) });
      expect((await balances(t, district)).cash).toEqual({ available: '4860.00', locked: '0.00' });
      expect((await balances(t, district)).quota(market)).toEqual({ available: '3000', locked: '0' });
      expect((await balances(t, a)).quota(market)).toEqual({ available: '1200', locked: '0' });
      expect((await balances(t, b)).quota(market)).toEqual({ available: '800', locked: '0' });
      expect((await balances(t, a)).cash).toEqual({ available: '7060.00', locked: '0.00' });
    });
  });

  describe('in a filing market (灌溉用水户水权交易, 备案)', () => {
    it('files every allocation at once, with fees, and returns what each lock did not need', async () => {
      const filing = (await openMarket(t, { regionCode: '150422', feeRate: '0.005', approvalMode: 'FILING' })).id;
      const [seller, w1, w2] = await Promise.all([
        createParticipant(t, 'IRRIGATION_DISTRICT', '150422'),
        createParticipant(t, 'WATER_USER', '150422'),
        createParticipant(t, 'WATER_USER', '150422'),
      ]);
      await fundQuota(t, city.apiKey, seller, '1000', { ...AGRI, regionCode: '150422' });
      await Promise.all([fundCash(t, w1, '2000.00'), fundCash(t, w2, '2000.00')]);
      const listing = await openAuction(t, seller, { marketId: filing, side: 'SELL', volume: '1000', limitPrice: '1.00' });
      await bid(t, w1, listing.id, '1.23', '700'); // locks r2(1.23 × 700 × 1.005) = 865.31
      await bid(t, w2, listing.id, '1.10', '500'); // locks r2(1.10 × 500 × 1.005) = 552.75
      expect((await balances(t, w1)).cash).toEqual({ available: '1134.69', locked: '865.31' });

      const closed = await closeAuction(t, seller, listing);
      expect(closed).toMatchObject({ filledVolume: '1000', clearingPrice: '1.1' });
      const [t1, t2] = await Promise.all(closed.allocations.map((x: any) => tradeAs(t, seller, x.tradeId)));
      expect(t1).toMatchObject({ buyerId: w1.id, volume: '700', amount: '770.00', buyerFee: '3.85', sellerFee: '3.85', status: 'SETTLED', decision: 'FILED', decidedBy: null });
      expect(t2).toMatchObject({ buyerId: w2.id, volume: '300', amount: '330.00', buyerFee: '1.65', sellerFee: '1.65', status: 'SETTLED', decision: 'FILED' });
      expect((await balances(t, w1)).cash).toEqual({ available: '1226.15', locked: '0.00' });
      expect((await balances(t, w2)).cash).toEqual({ available: '1668.35', locked: '0.00' });
      expect((await balances(t, w2)).quota(filing)).toEqual({ available: '300', locked: '0' });
      expect((await balances(t, seller)).cash).toEqual({ available: '1094.50', locked: '0.00' });
      expect((await balances(t, seller)).quota(filing)).toEqual({ available: '0', locked: '0' });
    });
  });
});
