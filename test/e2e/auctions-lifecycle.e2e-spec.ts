import { createParticipant, Party } from './support/fixtures';
import { auctionApp, auctionAs, bid, bidsAs, closeAuction, closingIn, openAuction, placeBid, sleep, waitPast } from './support/auctions';
import { expectProblem, fieldsOf } from './support/problem';
import { client, TestApp } from './support/test-app';
import { AGRI, auditOf, balances, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, openMarket, TRADING_YEAR } from './support/trading';

jest.setTimeout(90_000);

/**
 * Every refusal API.md names for auctions, with its status and code; cancellation by the
 * creator and by a supervisor; withdrawal; a close racing late bids; halts.
 */
describe('auctions: refusals, cancellation, withdrawal and the close', () => {
  let t: TestApp;
  let operator: Party;
  let county: Party; // 150421
  let baotou: Party; // 150200
  let market: string;
  let district: Party;
  let reserve: Party;
  let a: Party;
  let b: Party;

  const listing = (body: Record<string, unknown> = {}) => ({ marketId: market, side: 'SELL', volume: '1000', limitPrice: '2.00', closesAt: closingIn(3000), ...body });
  const create = (by: Party, body: Record<string, unknown> = {}) => client(t, by.apiKey).post('/v1/auctions', listing(body));

  beforeAll(async () => {
    ({ t, operator, regulators: [county, baotou] } = await startTradeScene({ regulators: ['150421', '150200'], app: auctionApp() }));
    market = (await openMarket(t, { regionCode: '150421', priceTick: '0.05', minVolume: '10' })).id;
    [district, reserve, a, b] = await Promise.all([
      createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
      createParticipant(t, 'RESERVE', '150400'),
      createParticipant(t, 'ENTERPRISE', '150421'),
      createParticipant(t, 'WATER_USER', '150421'),
    ]);
    await fundQuota(t, county.apiKey, district, '10000', AGRI);
    await fundQuota(t, county.apiKey, b, '500', AGRI);
    await Promise.all([fundCash(t, a, '5000.00'), fundCash(t, reserve, '3000.00')]);
  });
  afterAll(() => t.close());

  describe('creating', () => {
    it('is for traders only (403)', async () => {
      expectProblem(await create(county), 403, 'FORBIDDEN');
      expectProblem(await create(operator), 403, 'FORBIDDEN');
    });

    it('follows the market\'s tick and minimum, the notice period and the market\'s year (400, each field named)', async () => {
      const offTick = await create(district, { limitPrice: '2.02' });
      expectProblem(offTick, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(offTick)).toEqual(['limitPrice']);
      expect(fieldsOf(await create(district, { volume: '9.999' }))).toEqual(['volume']);
      expect(fieldsOf(await create(district, { closesAt: closingIn(200) }))).toEqual(['closesAt']);
      expect(fieldsOf(await create(district, { closesAt: `${TRADING_YEAR + 1}-01-01T00:00:00+08:00` }))).toEqual(['closesAt']);
      expect(fieldsOf(await create(district, { closesAt: `${TRADING_YEAR}-12-31T15:59:59.999Z`, limitPrice: '2.03', volume: '1' }))).toEqual(['limitPrice', 'volume']);
      expect(fieldsOf(await create(district, { priorityKinds: ['IRRIGATION_DISTRICT'] }))).toEqual(['priorityKinds']);
      expect(fieldsOf(await create(reserve, { side: 'BUY', priorityKinds: ['REGULATOR'] }))).toEqual(['priorityKinds']);
      expect(fieldsOf(await create(reserve, { side: 'BUY', priorityKinds: ['WATER_USER', 'WATER_USER'] }))).toEqual(['priorityKinds']);
      expect(fieldsOf(await create(district, { marketId: '150421-GROUNDWATER-2031' }))).toEqual(['marketId']);
      for (const body of [{ volume: 1000 }, { limitPrice: '-2' }, { closesAt: 'tomorrow' }, { pricing: 'DUTCH' }, { note: null }, { side: 'HOLD' }, { extra: 1 }]) {
        expectProblem(await create(district, body), 400, 'VALIDATION_FAILED');
      }
      expect((await balances(t, district)).quota(market)).toEqual({ available: '10000', locked: '0' });
    });

    it('locks the creator\'s quota (SELL) or cash (BUY), or refuses (409)', async () => {
      expectProblem(await create(district, { volume: '10000.001' }), 409, 'INSUFFICIENT_QUOTA');
      expectProblem(await create(a), 409, 'INSUFFICIENT_QUOTA');
      expectProblem(await create(reserve, { side: 'BUY', volume: '1500', limitPrice: '2.05' }), 409, 'INSUFFICIENT_FUNDS');
      const tender = expectStatus(await create(reserve, { side: 'BUY', volume: '1500', limitPrice: '2.00', priorityKinds: ['IRRIGATION_DISTRICT', 'WATER_USER'] }), 201).body;
      expect(tender).toMatchObject({ pricing: 'PAY_AS_BID', priorityKinds: ['IRRIGATION_DISTRICT', 'WATER_USER'] });
      expect((await balances(t, reserve)).cash).toEqual({ available: '0.00', locked: '3000.00' });
      expectStatus(await client(t, reserve.apiKey).post(`/v1/auctions/${tender.id}/cancel`, {}), 200);
      expect((await balances(t, reserve)).cash).toEqual({ available: '3000.00', locked: '0.00' });
    });

    it('is refused in a halted market (409 MARKET_HALTED)', async () => {
      expectStatus(await client(t, county.apiKey).post(`/v1/markets/${market}/halt`, {}), 200);
      try {
        expectProblem(await create(district), 409, 'MARKET_HALTED');
      } finally {
        expectStatus(await client(t, county.apiKey).post(`/v1/markets/${market}/resume`, {}), 200);
      }
    });
  });

  describe('bidding and withdrawing', () => {
    let auction: any;
    let tender: any;

    beforeAll(async () => {
      auction = await openAuction(t, district, listing({ closesAt: closingIn(5000) }));
      tender = await openAuction(t, reserve, { marketId: market, side: 'BUY', volume: '400', limitPrice: '1.00', closesAt: auction.closesAt });
    });

    it('refuses the creator (403), callers that are not traders (403) and unknown auctions (404)', async () => {
      expectProblem(await placeBid(t, district, auction.id, { price: '2.00', volume: '100' }), 403, 'FORBIDDEN');
      expectProblem(await placeBid(t, county, auction.id, { price: '2.00', volume: '100' }), 403, 'FORBIDDEN');
      expectProblem(await placeBid(t, operator, auction.id, { price: '2.00', volume: '100' }), 403, 'FORBIDDEN');
      expectProblem(await placeBid(t, a, '00000000-0000-4000-8000-000000000000', { price: '2.00', volume: '100' }), 404, 'NOT_FOUND');
    });

    it('follows the tick, the minimum, the auction\'s volume and the reserve (400)', async () => {
      expect(fieldsOf(await placeBid(t, a, auction.id, { price: '2.01', volume: '100' }))).toEqual(['price']);
      expect(fieldsOf(await placeBid(t, a, auction.id, { price: '2.00', volume: '9' }))).toEqual(['volume']);
      expect(fieldsOf(await placeBid(t, a, auction.id, { price: '2.00', volume: '1000.001' }))).toEqual(['volume']);
      expect(fieldsOf(await placeBid(t, a, auction.id, { price: '1.95', volume: '100' }))).toEqual(['price']);
      for (const body of [{ price: 2, volume: '100' }, { price: '2.00' }, { price: '2.00', volume: '100', allOrNone: 'yes' }, { price: '2.00', volume: '100', x: 1 }]) {
        expectProblem(await placeBid(t, a, auction.id, body), 400, 'VALIDATION_FAILED');
      }
    });

    it('locks cash (a SELL auction\'s bid) or quota (a BUY tender\'s offer), or refuses (409)', async () => {
      expectProblem(await placeBid(t, a, auction.id, { price: '5.05', volume: '1000' }), 409, 'INSUFFICIENT_FUNDS');
      expectProblem(await placeBid(t, a, tender.id, { price: '0.50', volume: '100' }), 409, 'INSUFFICIENT_QUOTA');
      // An offer above the hidden limit is accepted (refusing it would reveal the limit); it simply cannot win.
      const dear = await bid(t, b, tender.id, '1.50', '400');
      expect((await balances(t, b)).quota(market)).toEqual({ available: '100', locked: '400' });
      expectStatus(await client(t, b.apiKey).delete(`/v1/auctions/${tender.id}/bids/${dear.id}`), 200);
      expect((await balances(t, b)).quota(market)).toEqual({ available: '500', locked: '0' });
    });

    it('lets a bidder withdraw its own bid only; anyone else\'s is not found (404)', async () => {
      const mine = await bid(t, a, auction.id, '2.50', '400');
      expect((await balances(t, a)).cash).toEqual({ available: '4000.00', locked: '1000.00' });
      for (const other of [b, district, operator, county]) {
        expectProblem(await client(t, other.apiKey).delete(`/v1/auctions/${auction.id}/bids/${mine.id}`), 404, 'NOT_FOUND');
      }
      expectProblem(await client(t, a.apiKey).delete(`/v1/auctions/${tender.id}/bids/${mine.id}`), 404, 'NOT_FOUND');
      const withdrawn = expectStatus(await client(t, a.apiKey).delete(`/v1/auctions/${auction.id}/bids/${mine.id}`), 200).body;
      expect(withdrawn).toMatchObject({ id: mine.id, status: 'WITHDRAWN', filledVolume: '0' });
      expect((await balances(t, a)).cash).toEqual({ available: '5000.00', locked: '0.00' });
      expectProblem(await client(t, a.apiKey).delete(`/v1/auctions/${auction.id}/bids/${mine.id}`), 409, 'INVALID_STATE');
      expect(await auctionAs(t, a, auction.id)).toMatchObject({ bidCount: 0 });
    });

    it('refuses bids in a halted market (409 MARKET_HALTED); withdrawing still works', async () => {
      const mine = await bid(t, a, auction.id, '2.00', '100');
      expectStatus(await client(t, operator.apiKey).post(`/v1/markets/${market}/halt`, {}), 200);
      try {
        expectProblem(await placeBid(t, a, auction.id, { price: '2.00', volume: '100' }), 409, 'MARKET_HALTED');
        expectStatus(await client(t, a.apiKey).delete(`/v1/auctions/${auction.id}/bids/${mine.id}`), 200);
      } finally {
        expectStatus(await client(t, operator.apiKey).post(`/v1/markets/${market}/resume`, {}), 200);
      }
    });

    it('at or after closesAt, refuses bids and withdrawals (409 INVALID_STATE), before any close', async () => {
      const late = await bid(t, a, auction.id, '2.00', '100');
      await waitPast(auction.closesAt);
      expectProblem(await placeBid(t, a, auction.id, { price: '2.00', volume: '100' }), 409, 'INVALID_STATE');
      expectProblem(await client(t, a.apiKey).delete(`/v1/auctions/${auction.id}/bids/${late.id}`), 409, 'INVALID_STATE');
      expect(await auctionAs(t, a, auction.id)).toMatchObject({ status: 'OPEN', bidCount: 1 });
      // Done: the listing closes (its one trade rejected) and the tender closes unfilled, so later cases start with every lock free.
      const closed = expectStatus(await client(t, operator.apiKey).post(`/v1/auctions/${auction.id}/close`), 200).body;
      expectStatus(await client(t, county.apiKey).post(`/v1/trades/${closed.allocations[0].tradeId}/reject`, { reason: 'test' }), 200);
      expect(expectStatus(await client(t, reserve.apiKey).post(`/v1/auctions/${tender.id}/close`), 200).body).toMatchObject({ filledVolume: '0' });
    });
  });

  describe('closing', () => {
    it('is for the creator or the operator (403), at or after closesAt (409), once (409)', async () => {
      const auction = await openAuction(t, district, listing());
      const mine = await bid(t, a, auction.id, '2.00', '100');
      for (const other of [a, county, reserve]) expectProblem(await client(t, other.apiKey).post(`/v1/auctions/${auction.id}/close`), 403, 'FORBIDDEN');
      expectProblem(await client(t, district.apiKey).post(`/v1/auctions/${auction.id}/close`), 409, 'INVALID_STATE');
      expectProblem(await client(t, district.apiKey).post(`/v1/auctions/${auction.id}/close`, { now: true }), 400, 'VALIDATION_FAILED');
      expectProblem(await client(t, district.apiKey).post('/v1/auctions/00000000-0000-4000-8000-000000000000/close'), 404, 'NOT_FOUND');
      const closed = await closeAuction(t, district, auction);
      expect(closed).toMatchObject({ status: 'CLOSED', filledVolume: '100', clearingPrice: '2' });
      expectProblem(await client(t, operator.apiKey).post(`/v1/auctions/${auction.id}/close`), 409, 'INVALID_STATE');
      expectProblem(await placeBid(t, b, auction.id, { price: '2.00', volume: '100' }), 409, 'INVALID_STATE');
      expectProblem(await client(t, a.apiKey).delete(`/v1/auctions/${auction.id}/bids/${mine.id}`), 409, 'INVALID_STATE');
      expectProblem(await client(t, district.apiKey).post(`/v1/auctions/${auction.id}/cancel`, {}), 409, 'INVALID_STATE');
      expectProblem(await client(t, operator.apiKey).post(`/v1/auctions/${auction.id}/cancel`, { reason: 'too late' }), 409, 'INVALID_STATE');
      expectStatus(await client(t, county.apiKey).post(`/v1/trades/${closed.allocations[0].tradeId}/reject`, { reason: 'test' }), 200);
    });

    it('with no bid, closes with nothing filled and returns the creator\'s lock', async () => {
      const auction = await openAuction(t, district, listing());
      expect((await balances(t, district)).quota(market).locked).toBe('1000');
      expect(await closeAuction(t, operator, auction)).toMatchObject({ status: 'CLOSED', filledVolume: '0', clearingPrice: null, allocations: [] });
      expect((await balances(t, district)).quota(market)).toEqual({ available: '10000', locked: '0' });
    });

    it('waits while the market is halted (409 MARKET_HALTED), then closes', async () => {
      const auction = await openAuction(t, district, listing());
      await bid(t, a, auction.id, '2.10', '200');
      await waitPast(auction.closesAt);
      expectStatus(await client(t, county.apiKey).post(`/v1/markets/${market}/halt`, {}), 200);
      try {
        expectProblem(await client(t, district.apiKey).post(`/v1/auctions/${auction.id}/close`), 409, 'MARKET_HALTED');
        expect(await auctionAs(t, a, auction.id)).toMatchObject({ status: 'OPEN' });
      } finally {
        expectStatus(await client(t, county.apiKey).post(`/v1/markets/${market}/resume`, {}), 200);
      }
      const closed = expectStatus(await client(t, district.apiKey).post(`/v1/auctions/${auction.id}/close`), 200).body;
      expect(closed).toMatchObject({ filledVolume: '200', clearingPrice: '2.1' });
      expectStatus(await client(t, county.apiKey).post(`/v1/trades/${closed.allocations[0].tradeId}/reject`, { reason: 'test' }), 200);
    });

    it('racing late bids: every bid accepted is ranked and published, every later one refused; nothing is lost', async () => {
      await fundCash(t, b, '2000.00');
      const auction = await openAuction(t, district, listing({ closesAt: closingIn(2500) }));
      const at = Date.parse(auction.closesAt);
      const bids = Array.from({ length: 12 }, (_, i) => (async () => {
        await sleep(Math.max(0, at - 180 + i * 30 - Date.now()));
        return placeBid(t, i % 2 ? a : b, auction.id, { price: (2 + (i % 4) * 0.05).toFixed(2), volume: '50' });
      })());
      const closes = (async () => {
        await sleep(Math.max(0, at - Date.now()));
        for (;;) {
          const res = await client(t, district.apiKey).post(`/v1/auctions/${auction.id}/close`);
          if (res.status === 200) return res.body;
          expect(res.body.code).toBe('INVALID_STATE');
          await sleep(10);
        }
      })();
      const [results, closed] = await Promise.all([Promise.all(bids), closes]);
      const accepted = results.filter((r) => r.status === 201).map((r) => r.body);
      for (const r of results) expect([201, 409]).toContain(r.status);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('INVALID_STATE');
      expect(accepted.length).toBeGreaterThan(0);
      expect(accepted.length).toBeLessThan(results.length);
      for (const x of accepted) expect(Date.parse(x.createdAt)).toBeLessThan(at);
      const decided = await bidsAs(t, district, auction.id);
      expect(decided.map((x) => x.id).sort()).toEqual(accepted.map((x) => x.id).sort());
      expect(decided.every((x) => ['FILLED', 'PARTIALLY_FILLED', 'UNFILLED'].includes(x.status))).toBe(true);
      const [entry] = (await auditOf(t, 'auction', auction.id)).filter((e) => e.action === 'auction.closed');
      expect(entry.after.bids.map((x: any) => x.id).sort()).toEqual(accepted.map((x) => x.id).sort());
      expect(closed.filledVolume).toBe(String(accepted.length * 50));
      for (const x of closed.allocations) expectStatus(await client(t, county.apiKey).post(`/v1/trades/${x.tradeId}/reject`, { reason: 'test' }), 200);
      expect((await balances(t, a)).cash.locked).toBe('0.00');
      expect((await balances(t, b)).cash.locked).toBe('0.00');
    });
  });

  describe('cancelling', () => {
    it('by the creator before closesAt: bids CANCELLED, every lock returned, every bid published', async () => {
      const auction = await openAuction(t, district, listing());
      const x = await bid(t, a, auction.id, '2.20', '300');
      const cancelled = expectStatus(await client(t, district.apiKey).post(`/v1/auctions/${auction.id}/cancel`), 200).body;
      expect(cancelled).toMatchObject({ status: 'CANCELLED', closedAt: expect.any(String), reason: null, bidCount: 0, filledVolume: '0' });
      expect((await bidsAs(t, a, auction.id)).map((y) => y.status)).toEqual(['CANCELLED']);
      expect((await balances(t, a)).cash.locked).toBe('0.00');
      expect((await balances(t, district)).quota(market).locked).toBe('0');
      const [entry] = (await auditOf(t, 'auction', auction.id)).filter((e) => e.action === 'auction.cancelled');
      expect(entry).toMatchObject({ actorId: district.id, after: { status: 'CANCELLED', bids: [{ id: x.id, bidderId: a.id, price: '2.2', volume: '300', salt: x.salt, status: 'CANCELLED' }] } });
      expectProblem(await client(t, district.apiKey).post(`/v1/auctions/${auction.id}/cancel`), 409, 'INVALID_STATE');
    });

    it('by the creator: not at or after closesAt (409)', async () => {
      const auction = await openAuction(t, district, listing({ closesAt: closingIn(1500) }));
      await waitPast(auction.closesAt);
      expectProblem(await client(t, district.apiKey).post(`/v1/auctions/${auction.id}/cancel`, { reason: 'changed my mind' }), 409, 'INVALID_STATE');
      expectStatus(await client(t, operator.apiKey).post(`/v1/auctions/${auction.id}/cancel`, { reason: '公告期内材料有误' }), 200);
    });

    it('by the operator or a regulator with jurisdiction, with a reason (400 without), even past closesAt; others 403', async () => {
      const auction = await openAuction(t, district, listing({ closesAt: closingIn(1500) }));
      await bid(t, a, auction.id, '2.00', '100');
      for (const body of [undefined, {}, { reason: '   ' }]) {
        expectProblem(await client(t, county.apiKey).post(`/v1/auctions/${auction.id}/cancel`, body), 400, 'VALIDATION_FAILED');
      }
      expectProblem(await client(t, operator.apiKey).post(`/v1/auctions/${auction.id}/cancel`, {}), 400, 'VALIDATION_FAILED');
      expectProblem(await client(t, baotou.apiKey).post(`/v1/auctions/${auction.id}/cancel`, { reason: 'not mine' }), 403, 'FORBIDDEN');
      expectProblem(await client(t, a.apiKey).post(`/v1/auctions/${auction.id}/cancel`, { reason: 'bidder' }), 403, 'FORBIDDEN');
      await waitPast(auction.closesAt);
      const cancelled = expectStatus(await client(t, county.apiKey).post(`/v1/auctions/${auction.id}/cancel`, { reason: '挂牌水量权属存疑' }), 200).body;
      expect(cancelled).toMatchObject({ status: 'CANCELLED', reason: '挂牌水量权属存疑' });
      const [entry] = (await auditOf(t, 'auction', auction.id)).filter((e) => e.action === 'auction.cancelled');
      expect(entry.actorId).toBe(county.id);
      expect((await balances(t, a)).cash.locked).toBe('0.00');
    });
  });

  describe('reading', () => {
    it('lists auctions newest first with filters and cursor paging; an unknown auction is 404', async () => {
      const all = expectStatus(await client(t, b.apiKey).get(`/v1/auctions?marketId=${market}&limit=500`), 200).body.items;
      expect(all.length).toBeGreaterThan(5);
      const times = all.map((x: any) => Date.parse(x.createdAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      const first = expectStatus(await client(t, b.apiKey).get(`/v1/auctions?marketId=${market}&limit=2`), 200).body;
      const second = expectStatus(await client(t, b.apiKey).get(`/v1/auctions?marketId=${market}&limit=2&cursor=${first.nextCursor}`), 200).body;
      expect([...first.items, ...second.items].map((x: any) => x.id)).toEqual(all.slice(0, 4).map((x: any) => x.id));
      const cancelled = expectStatus(await client(t, b.apiKey).get('/v1/auctions?status=CANCELLED&side=SELL&limit=500'), 200).body.items;
      expect(cancelled.length).toBeGreaterThan(0);
      expect(cancelled.every((x: any) => x.status === 'CANCELLED' && x.side === 'SELL')).toBe(true);
      expectProblem(await client(t, b.apiKey).get('/v1/auctions?status=SOLD'), 400, 'VALIDATION_FAILED');
      expectProblem(await client(t, b.apiKey).get('/v1/auctions/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
      expectProblem(await client(t, b.apiKey).get('/v1/auctions/nope/bids'), 404, 'NOT_FOUND');
      expect((await client(t, '').get('/v1/auctions')).status).toBe(401);
    });
  });
});

describe('the default notice period (MIN_NOTICE_SECONDS unset: five days)', () => {
  it('refuses a closesAt less than 432000 seconds ahead and accepts one beyond', async () => {
    const { t, regulators: [county] } = await startTradeScene({ regulators: ['150421'] });
    try {
      // Next year's market, so five days ahead never crosses its year's end.
      const market = (await openMarket(t, { regionCode: '150421', year: TRADING_YEAR + 1 })).id;
      const district = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
      await fundQuota(t, county.apiKey, district, '1000', { ...AGRI, year: TRADING_YEAR + 1 });
      const body = { marketId: market, side: 'SELL', volume: '100', limitPrice: '1.00' };
      const soon = await client(t, district.apiKey).post('/v1/auctions', { ...body, closesAt: closingIn(432_000_000 - 60_000) });
      expectProblem(soon, 400, 'VALIDATION_FAILED');
      expect(soon.body.errors).toEqual([{ field: 'closesAt', message: 'must be at least 432000 seconds from now' }]);
      expectStatus(await client(t, district.apiKey).post('/v1/auctions', { ...body, closesAt: closingIn(432_000_000 + 60_000) }), 201);
    } finally {
      await t.close();
    }
  });
});
