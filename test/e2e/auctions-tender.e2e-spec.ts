import { createParticipant, Party } from './support/fixtures';
import { auctionApp, auctionAs, bid, bidsAs, closeAuction, openAuction, tradeAs } from './support/auctions';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { AGRI, balances, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, openMarket } from './support/trading';

jest.setTimeout(60_000);

const byBidder = (bids: any[]) => new Map(bids.map((b) => [b.bidderId, b]));

/**
 * A reserve's buy-back tender (收储/回购): the 赤峰市 reserve buys 3 000 m³ of 阿鲁科尔沁旗
 * quota up to a hidden 1.50, irrigation districts' saved water first, paying each offer
 * its own price; then releases what it stored with a listing of its own (投放).
 */
describe('a reserve\'s buy-back tender (收储/回购)', () => {
  let t: TestApp;
  let operator: Party;
  let county: Party; // 150421
  let city: Party; // 150400
  let market: string;
  let reserve: Party;
  let d1: Party;
  let d2: Party;
  let e1: Party;
  let e2: Party;
  let e3: Party;
  let tender: any;

  beforeAll(async () => {
    ({ t, operator, regulators: [county, city] } = await startTradeScene({ regulators: ['150421', '150400'], app: auctionApp() }));
    market = (await openMarket(t, { regionCode: '150421' })).id;
    reserve = await createParticipant(t, 'RESERVE', '150400');
    [d1, d2, e1, e2, e3] = await Promise.all([
      createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
      createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
    ]);
    await Promise.all([d1, d2].map((p) => fundQuota(t, county.apiKey, p, '2000', AGRI)));
    await Promise.all([e1, e2, e3].map((p) => fundQuota(t, county.apiKey, p, '2000')));
    await fundCash(t, reserve, '10000.00');

    tender = await openAuction(t, reserve, {
      marketId: market, side: 'BUY', volume: '3000', limitPrice: '1.50', priorityKinds: ['IRRIGATION_DISTRICT'], note: '2026 收储',
    });
    // Enterprises offer first and cheaper; the districts' tier still ranks ahead of them.
    await bid(t, e1, tender.id, '1.00', '1500');
    await bid(t, e2, tender.id, '1.20', '1000');
    await bid(t, e3, tender.id, '1.60', '1000'); // above the hidden limit: accepted, can never win
    await bid(t, d1, tender.id, '1.40', '1000');
    await bid(t, d2, tender.id, '1.45', '1500');
  });
  afterAll(() => t.close());

  it('pays as bid by default and locks the reserve\'s cash at its limit; the limit is shown to nobody else', async () => {
    expect(tender).toMatchObject({ side: 'BUY', pricing: 'PAY_AS_BID', priorityKinds: ['IRRIGATION_DISTRICT'], limitPrice: '1.5', volume: '3000' });
    expect((await balances(t, reserve)).cash).toEqual({ available: '5500.00', locked: '4500.00' });
    expect(await auctionAs(t, operator, tender.id)).toMatchObject({ limitPrice: '1.5', bidCount: 5 });
    for (const reader of [d1, e1, county, city]) expect(await auctionAs(t, reader, tender.id)).toMatchObject({ limitPrice: null, bidCount: 5 });
    const listed = expectStatus(await client(t, e1.apiKey).get(`/v1/auctions?marketId=${market}&side=BUY`), 200).body.items;
    expect(listed.map((x: any) => [x.id, x.limitPrice])).toEqual([[tender.id, null]]);
    const [announced] = await sql(t, `SELECT data FROM announcements WHERE data->>'auctionId' = $1`, [tender.id]);
    expect(announced.data).toMatchObject({ side: 'BUY', volume: '3000', limitPrice: null });
    // Offers lock the sellers' quota.
    expect((await balances(t, e3)).quota(market)).toEqual({ available: '1000', locked: '1000' });
  });

  it('ranks the districts\' tier first, then price; drops the offer above the limit; fills the last in part', async () => {
    const closed = await closeAuction(t, reserve, tender);
    expect(closed).toMatchObject({ status: 'CLOSED', filledVolume: '3000', clearingPrice: null, limitPrice: '1.5' });
    const trades = await Promise.all(closed.allocations.map((x: any) => tradeAs(t, reserve, x.tradeId)));
    expect(trades.map((x) => [x.sellerId, x.buyerId, x.price, x.volume, x.amount])).toEqual([
      [d1.id, reserve.id, '1.4', '1000', '1400.00'],
      [d2.id, reserve.id, '1.45', '1500', '2175.00'],
      [e1.id, reserve.id, '1', '500', '500.00'],
    ]);
    const bids = byBidder(await bidsAs(t, reserve, tender.id));
    expect([d1, d2, e1, e2, e3].map((p) => [bids.get(p.id).status, bids.get(p.id).filledVolume])).toEqual([
      ['FILLED', '1000'], ['FILLED', '1500'], ['PARTIALLY_FILLED', '500'], ['UNFILLED', '0'], ['UNFILLED', '0'],
    ]);
    // A seller sees its own offer only, even after the close; the reserve's limit stays its own.
    expect((await bidsAs(t, e2, tender.id)).map((x) => x.bidderId)).toEqual([e2.id]);
    expect(await auctionAs(t, e2, tender.id)).toMatchObject({ limitPrice: null, status: 'CLOSED' });
  });

  it('returns the reserve\'s cash beyond the three escrows, and every unsold offer', async () => {
    expect((await balances(t, reserve)).cash).toEqual({ available: '5925.00', locked: '4075.00' });
    expect((await balances(t, e1)).quota(market)).toEqual({ available: '1500', locked: '500' });
    expect((await balances(t, e2)).quota(market)).toEqual({ available: '2000', locked: '0' });
    expect((await balances(t, e3)).quota(market)).toEqual({ available: '2000', locked: '0' });
  });

  it('approved, the reserve holds the water and releases it with a listing of its own (投放)', async () => {
    const closed = await auctionAs(t, reserve, tender.id);
    for (const x of closed.allocations) expectStatus(await client(t, city.apiKey).post(`/v1/trades/${x.tradeId}/approve`, {}), 200);
    expect((await balances(t, reserve)).quota(market)).toEqual({ available: '3000', locked: '0' });
    expect((await balances(t, reserve)).cash).toEqual({ available: '5925.00', locked: '0.00' });

    const release = await openAuction(t, reserve, { marketId: market, side: 'SELL', volume: '3000', limitPrice: '1.60' });
    const buyer = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundCash(t, buyer, '6000.00');
    await bid(t, buyer, release.id, '1.80', '3000');
    const sold = await closeAuction(t, reserve, release);
    expect(sold).toMatchObject({ filledVolume: '3000', clearingPrice: '1.8' });
    expect(await tradeAs(t, buyer, sold.allocations[0].tradeId)).toMatchObject({ sellerId: reserve.id, buyerId: buyer.id, amount: '5400.00', auctionId: release.id });
  });

  describe('UNIFORM, all-or-none and a creator short by rounding', () => {
    let small: string;

    beforeAll(async () => {
      small = (await openMarket(t, { regionCode: '150422', minVolume: '0.5' })).id;
    });

    it('UNIFORM: every offer at the highest winning one, no seller paid less than it asked; an all-or-none offer that does not fit is skipped', async () => {
      const sellers = await Promise.all([0, 1, 2, 3].map(() => createParticipant(t, 'WATER_USER', '150421')));
      await Promise.all(sellers.map((p) => fundQuota(t, county.apiKey, p, '1000', AGRI)));
      const uniform = await openAuction(t, reserve, { marketId: market, side: 'BUY', volume: '1000', limitPrice: '1.50', pricing: 'UNIFORM' });
      await bid(t, sellers[0], uniform.id, '1.10', '400');
      await bid(t, sellers[1], uniform.id, '1.30', '400');
      await bid(t, sellers[2], uniform.id, '1.15', '700', { allOrNone: true }); // 600 left for it: skipped
      await bid(t, sellers[3], uniform.id, '1.20', '400');
      const closed = await closeAuction(t, operator, uniform);
      expect(closed).toMatchObject({ filledVolume: '1000', clearingPrice: '1.3' });
      const trades = await Promise.all(closed.allocations.map((x: any) => tradeAs(t, reserve, x.tradeId)));
      expect(trades.map((x) => [x.sellerId, x.price, x.volume, x.amount])).toEqual([
        [sellers[0].id, '1.3', '400', '520.00'],
        [sellers[3].id, '1.3', '400', '520.00'],
        [sellers[1].id, '1.3', '200', '260.00'],
      ]);
      const outcome = byBidder(await bidsAs(t, reserve, uniform.id));
      expect(outcome.get(sellers[2].id)).toMatchObject({ allOrNone: true, status: 'UNFILLED' });
      for (const x of closed.allocations) expectStatus(await client(t, city.apiKey).post(`/v1/trades/${x.tradeId}/reject`, { reason: '收储计划调整' }), 200);
    });

    it('tops up the reserve\'s lock from its available cash when rounding each trade needs more (DOMAIN.md: 2 @ 0.01 as 1.5 + 0.5)', async () => {
      const [x, y] = await Promise.all([createParticipant(t, 'WATER_USER', '150422'), createParticipant(t, 'WATER_USER', '150422')]);
      await Promise.all([x, y].map((p) => fundQuota(t, city.apiKey, p, '10', { ...AGRI, regionCode: '150422' })));
      const before = (await balances(t, reserve)).cash;
      const tender2 = await openAuction(t, reserve, { marketId: small, side: 'BUY', volume: '2', limitPrice: '0.01' });
      await bid(t, x, tender2.id, '0.01', '1.5');
      await bid(t, y, tender2.id, '0.01', '0.5');
      expect((await balances(t, reserve)).cash.locked).toBe('0.02');
      const closed = await closeAuction(t, reserve, tender2);
      const trades = await Promise.all(closed.allocations.map((a: any) => tradeAs(t, reserve, a.tradeId)));
      expect(trades.map((tr) => [tr.volume, tr.amount])).toEqual([['1.5', '0.02'], ['0.5', '0.01']]);
      const after = (await balances(t, reserve)).cash;
      expect(after.locked).toBe('0.03');
      expect(Number(before.available) - Number(after.available)).toBeCloseTo(0.03, 10);
      for (const a of closed.allocations) expectStatus(await client(t, city.apiKey).post(`/v1/trades/${a.tradeId}/reject`, { reason: 'test' }), 200);
    });

    it('skips the offer the creator cannot fund when its available cash cannot cover the rounding', async () => {
      const poor = await createParticipant(t, 'RESERVE', '150400');
      await fundCash(t, poor, '0.02');
      const [x, y] = await Promise.all([createParticipant(t, 'WATER_USER', '150422'), createParticipant(t, 'WATER_USER', '150422')]);
      await Promise.all([x, y].map((p) => fundQuota(t, city.apiKey, p, '10', { ...AGRI, regionCode: '150422' })));
      const tender3 = await openAuction(t, poor, { marketId: small, side: 'BUY', volume: '2', limitPrice: '0.01' });
      await bid(t, x, tender3.id, '0.01', '1.5');
      await bid(t, y, tender3.id, '0.01', '0.5');
      const closed = await closeAuction(t, poor, tender3);
      expect(closed).toMatchObject({ filledVolume: '1.5' });
      expect(byBidder(await bidsAs(t, poor, tender3.id)).get(y.id)).toMatchObject({ status: 'UNFILLED' });
      expect((await balances(t, poor)).cash).toEqual({ available: '0.00', locked: '0.02' });
      expect((await balances(t, y)).quota(small)).toEqual({ available: '10', locked: '0' });
    });
  });
});
