import { closingIn } from './support/auctions';
import { createParticipant, Party } from './support/fixtures';
import { inHours, NEXT_YEAR, registerRight, setCap } from './support/long-term';
import { expectProblem, fieldsOf } from './support/problem';
import { client, TestApp } from './support/test-app';
import { balances, expectStatus, startTradeScene } from './support/trade-scene';
import { expectLedgerValid, fundCash, fundQuota, openMarket, placeOrder, quotaOf } from './support/trading';

jest.setTimeout(60_000);

const DUST = 'is worth less than half a fen; nothing could be paid for it';
const BEYOND = 'is worth 10^15 CNY or more, beyond what an amount may be';
/** The most a price may be (PRICE_CEILING), and 10^7 m³: worth exactly 10^15 CNY together. */
const TOP_PRICE = '100000000';
const TEN_MILLION = '10000000';
/** Enough for the enterprise's tender lock (0.01 × 10^7 m³ and its fee). */
const ENTERPRISE_CASH = '1000000.00';
/** All the cash the books may hold (docs/domain.md, Ledger): the county's interest at the ceiling needs nearly all of it. */
const MOST_CASH = '999999999999999.99';

/**
 * What every priced deal must be worth (docs/domain.md, Markets): at least half a fen, and
 * less than 10^15 CNY, or a 400 naming the field to change. Orders, negotiated transfers,
 * auctions and bids, transfers of rights, regional trades and their interests alike.
 */
describe('what a deal must be worth', () => {
  let t: TestApp;
  let county: Party; // 阿鲁科尔沁旗 150421
  let otherCounty: Party; // 巴林左旗 150422
  let district: Party;
  let enterprise: Party;
  let marketId: string;

  /** A 400 VALIDATION_FAILED naming exactly `field`, with `message` said of it. */
  const expectRefused = (res: any, field: string, message: string) => {
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual([field]);
    expect(res.body.errors[0].message).toContain(message);
  };

  beforeAll(async () => {
    ({ t, regulators: [county, otherCounty] } = await startTradeScene({ regulators: ['150421', '150422', '150400'], app: { env: { MIN_NOTICE_SECONDS: '1' } } }));
    [district, enterprise] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
    marketId = (await openMarket(t, { regionCode: '150421', priceTick: '0.0001', minVolume: '0.001', feeRate: '0.005' })).id;
    await fundQuota(t, county.apiKey, district, TEN_MILLION, { regionCode: '150421' });
    await fundCash(t, enterprise, ENTERPRISE_CASH);
  });
  afterAll(() => t?.close());

  describe('orders and negotiated transfers', () => {
    it('refuses a BUY worth 10^18 CNY on its volume, not as a value the database cannot store', async () => {
      const res = await placeOrder(t, enterprise, marketId, { side: 'BUY', price: TOP_PRICE, volume: '10000000000' });
      expectRefused(res, 'volume', `price × volume ${BEYOND}`);
      expect((await balances(t, enterprise)).cash).toEqual({ available: ENTERPRISE_CASH, locked: '0.00' });
    });

    it('refuses a SELL worth exactly 10^15 CNY and rests one a litre less', async () => {
      expectRefused(await placeOrder(t, district, marketId, { side: 'SELL', price: TOP_PRICE, volume: TEN_MILLION }), 'volume', `price × volume ${BEYOND}`);
      expect(await quotaOf(t, district, marketId)).toEqual({ available: TEN_MILLION, locked: '0' });
      const below = expectStatus(await placeOrder(t, district, marketId, { side: 'SELL', price: TOP_PRICE, volume: '9999999.999' }), 201).body;
      expect(below).toMatchObject({ status: 'OPEN', remainingVolume: '9999999.999' });
      expectStatus(await client(t, district.apiKey).delete(`/v1/orders/${below.id}`), 200);
    });

    it('refuses a negotiated transfer worth 10^15 CNY or more', async () => {
      const res = await client(t, district.apiKey).post('/v1/transfers', { marketId, buyerId: enterprise.id, volume: TEN_MILLION, price: TOP_PRICE });
      expectRefused(res, 'volume', `price × volume ${BEYOND}`);
    });
  });

  describe('auctions and bids', () => {
    const create = (p: Party, body: Record<string, unknown>) => client(t, p.apiKey).post('/v1/auctions', { marketId, closesAt: closingIn(60_000), ...body });

    it.each(['SELL', 'BUY'])('refuses a %s auction whose limitPrice × volume is worth 10^15 CNY or more', async (side) => {
      const creator = side === 'SELL' ? district : enterprise;
      expectRefused(await create(creator, { side, volume: TEN_MILLION, limitPrice: TOP_PRICE }), 'volume', `price × volume ${BEYOND}`);
    });

    it('refuses a listing worth less than half a fen, though its seller locks quota, not cash', async () => {
      expectRefused(await create(district, { side: 'SELL', volume: '10', limitPrice: '0.0001' }), 'volume', `price × volume ${DUST}`);
      expect(await quotaOf(t, district, marketId)).toEqual({ available: TEN_MILLION, locked: '0' });
    });

    it('refuses an offer on a tender worth 10^15 CNY or more, or less than half a fen; takes one between', async () => {
      const tender = expectStatus(await create(enterprise, { side: 'BUY', volume: TEN_MILLION, limitPrice: '0.01' }), 201).body;
      const offer = (price: string, volume: string) => client(t, district.apiKey).post(`/v1/auctions/${tender.id}/bids`, { price, volume });
      expectRefused(await offer(TOP_PRICE, TEN_MILLION), 'volume', `price × volume ${BEYOND}`);
      expectRefused(await offer('0.0001', '10'), 'volume', `price × volume ${DUST}`);
      expect(await quotaOf(t, district, marketId)).toEqual({ available: TEN_MILLION, locked: '0' });
      expectStatus(await offer('0.0001', '50'), 201);
      expectStatus(await client(t, enterprise.apiKey).post(`/v1/auctions/${tender.id}/cancel`, {}), 200);
    });
  });

  describe('transfers of rights', () => {
    let right: any;
    const propose = (body: Record<string, unknown>) =>
      client(t, district.apiKey).post('/v1/right-transfers', { rightId: right.id, buyerId: enterprise.id, fromYear: NEXT_YEAR, toYear: NEXT_YEAR, ...body });

    beforeAll(async () => {
      right = await registerRight(t, county, district, { annualVolume: TEN_MILLION });
    });

    it('refuses price × volumePerYear × years worth 10^15 CNY or more', async () => {
      expectRefused(await propose({ volumePerYear: TEN_MILLION, price: TOP_PRICE }), 'volumePerYear', `price × volumePerYear × years ${BEYOND}`);
    });

    it('refuses a term worth less than half a fen, and counts every year: 0.0001 × 10 × 5 rounds up to 0.01', async () => {
      expectRefused(await propose({ volumePerYear: '10', price: '0.0001', toYear: NEXT_YEAR + 3 }), 'volumePerYear', `price × volumePerYear × years ${DUST}`);
      const five = expectStatus(await propose({ volumePerYear: '10', price: '0.0001', toYear: NEXT_YEAR + 4 }), 201).body;
      expect(five).toMatchObject({ years: 5, amount: '0.01', status: 'PROPOSED' });
      expectStatus(await client(t, district.apiKey).post(`/v1/right-transfers/${five.id}/cancel`), 200);
    });
  });

  describe('regional trades', () => {
    const announce = (body: Record<string, unknown>) =>
      client(t, otherCounty.apiKey).post('/v1/regional-trades', { volumePerYear: TEN_MILLION, fromYear: NEXT_YEAR, toYear: NEXT_YEAR, askingPrice: '0.01', closesAt: inHours(1), ...body });

    beforeAll(async () => {
      await setCap(t, '150422', NEXT_YEAR, '100000000');
      // The books hold less than 10^15 CNY in all: the enterprise's cash leaves so that the county can hold the most there may be.
      expectStatus(await client(t, enterprise.apiKey).post(`/v1/participants/${enterprise.id}/withdrawals`, { amount: ENTERPRISE_CASH }), 201);
      await fundCash(t, county, MOST_CASH);
    });

    it('refuses a close after the end of fromYear in Beijing (16:00 UTC on 31 December), and takes one just before', async () => {
      const end = `${NEXT_YEAR}-12-31T16:00:00.000Z`;
      for (const closesAt of [end, `${NEXT_YEAR + 8}-01-01T00:00:00Z`]) {
        expectRefused(await announce({ closesAt }), 'closesAt', `must be before the end of fromYear ${NEXT_YEAR} (${end})`);
      }
      const last = expectStatus(await announce({ closesAt: `${NEXT_YEAR}-12-31T15:59:59Z` }), 201).body;
      expectStatus(await client(t, otherCounty.apiKey).post(`/v1/regional-trades/${last.id}/withdraw`), 200);
    });

    it('refuses a trade worth less than half a fen at its asking price: 0.01 × 0.001 × 1 would close at 0.00', async () => {
      expectRefused(await announce({ volumePerYear: '0.001' }), 'volumePerYear', `price × volumePerYear × years ${DUST}`);
    });

    it('refuses a trade worth 10^15 CNY or more at its asking price', async () => {
      expectRefused(await announce({ askingPrice: TOP_PRICE }), 'volumePerYear', `price × volumePerYear × years ${BEYOND}`);
    });

    it('refuses an interest worth 10^15 CNY or more on its price, and takes one a fen per m³ below', async () => {
      const trade = expectStatus(await announce({}), 201).body;
      const interest = (price: string) => client(t, county.apiKey).post(`/v1/regional-trades/${trade.id}/interests`, { price });
      expectRefused(await interest(TOP_PRICE), 'price', `price × volumePerYear × years ${BEYOND}`);
      expect((await balances(t, county)).cash).toEqual({ available: MOST_CASH, locked: '0.00' });
      const placed = expectStatus(await interest('99999999.99'), 201).body;
      expect((await balances(t, county)).cash).toEqual({ available: '99999.99', locked: '999999999900000.00' });
      expectStatus(await client(t, county.apiKey).delete(`/v1/regional-trades/${trade.id}/interests/${placed.id}`), 200);
      expectStatus(await client(t, otherCounty.apiKey).post(`/v1/regional-trades/${trade.id}/withdraw`), 200);
    });
  });

  it('leaves the ledger valid', async () => {
    await expectLedgerValid(t);
  });
});
