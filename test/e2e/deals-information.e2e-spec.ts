import { parse } from 'csv-parse/sync';
import { buildDealsScene, DEALS_ENV, DealsScene } from './support/deals-scene';
import { Party } from './support/fixtures';
import { buildInformationScene, InformationScene, parties } from './support/information-scene';
import { NEXT_YEAR } from './support/long-term';
import { allPages, anonymous } from './support/public-pages';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectStatus } from './support/trade-scene';
import { TRADING_YEAR } from './support/trading';

/**
 * Information out for the v1.1 deals (support/deals-scene.ts): the regulators' report of
 * long-term deals against sums worked out by hand, the public announcements of auctions,
 * regional trades and transfers of rights, and auctioned and transferred trades in the
 * public tape, the price index and the trades report ("settled trades (matched,
 * transferred or auctioned)"). Transfers of rights and regional trades are no trades of a
 * market: they are counted in their own report and announced, never in a market's figures.
 */

const YEAR = TRADING_YEAR;

describe('information out for auctions and long-term deals', () => {
  let t: TestApp;
  let s: InformationScene;
  let d: DealsScene;

  const report = (who: Party, path: string) => client(t, who.apiKey).get(`/v1/reports/${path}`);
  const longTerm = async (who: Party, regionCode: string, year = YEAR) => expectStatus(await report(who, `long-term?regionCode=${regionCode}&year=${year}`), 200).body.items;

  beforeAll(async () => {
    t = await startTestApp({ env: DEALS_ENV });
    s = await buildInformationScene(t);
    d = await buildDealsScene(t, s);
  }, 180_000);
  afterAll(() => t.close());

  describe('GET /v1/reports/long-term', () => {
    // By hand, amount = price × volumePerYear × years:
    //   transfer of rights 1, right in 150421:   0.80 × 30 000 × 3 =  72 000.00
    //   transfer of rights 2, right in 150422:   1.10 × 10 000 × 5 =  55 000.00
    //   regional trade 1, 150421 → 150200:       0.62 × 100 000 × 2 = 124 000.00
    //   regional trade 2, 150422 → 150200:       0.45 × 50 000 × 1 =  22 500.00
    // The proposed transfer and the announced regional trade have not settled: they count nowhere.
    const RT1 = { deals: 1, volumePerYear: '30000', amount: '72000.00' };
    const RT2 = { deals: 1, volumePerYear: '10000', amount: '55000.00' };
    const RG1 = { deals: 1, volumePerYear: '100000', amount: '124000.00' };
    const RG2 = { deals: 1, volumePerYear: '50000', amount: '22500.00' };

    it('sums the deals settled in the year whose right\'s region, or either regional-trade region, is in the subtree', async () => {
      expect(d.rightTransfers.map((x) => x.amount)).toEqual(['72000.00', '55000.00']);
      expect(d.regionalTrades.map((x) => x.amount)).toEqual(['124000.00', '22500.00']);
      expect(await longTerm(s.county, '150421')).toEqual([{ type: 'RIGHT_TRANSFER', ...RT1 }, { type: 'REGIONAL_TRADE', ...RG1 }]);
      expect(await longTerm(d.otherCounty, '150422')).toEqual([{ type: 'RIGHT_TRANSFER', ...RT2 }, { type: 'REGIONAL_TRADE', ...RG2 }]);
      const both = [
        { type: 'RIGHT_TRANSFER', deals: 2, volumePerYear: '40000', amount: '127000.00' },
        { type: 'REGIONAL_TRADE', deals: 2, volumePerYear: '150000', amount: '146500.00' },
      ];
      expect(await longTerm(s.city, '150400')).toEqual(both);
      // Both regions of each regional trade are in the province: each deal counts once.
      expect(await longTerm(s.province, '150000')).toEqual(both);
      expect(await longTerm(s.operator, '150000')).toEqual(both);
    });

    it('leaves out a type without deals, and regions outside the subtree', async () => {
      // 包头市 bought both regional trades' cap; the transfer of rights it bought is of a right in 150422, not its own.
      expect(await longTerm(s.baotou, '150200')).toEqual([{ type: 'REGIONAL_TRADE', deals: 2, volumePerYear: '150000', amount: '146500.00' }]);
      expect(await longTerm(s.province, '150000', NEXT_YEAR)).toEqual([]);
      expect(await longTerm(s.operator, '150400', YEAR - 1)).toEqual([]);
    });

    it('answers CSV that parses back to the JSON', async () => {
      for (const [who, code] of [[s.city, '150400'], [s.baotou, '150200'], [s.province, '150000']] as const) {
        const json = await longTerm(who, code, code === '150000' ? NEXT_YEAR : YEAR);
        const csv = await report(who, `long-term?regionCode=${code}&year=${code === '150000' ? NEXT_YEAR : YEAR}`).set('Accept', 'text/csv');
        expect([code, csv.status, csv.headers['content-type']]).toEqual([code, 200, expect.stringContaining('text/csv')]);
        expect(csv.text.split('\n')[0]).toBe('type,deals,volumePerYear,amount');
        expect(parse(csv.text, { columns: true, skip_empty_lines: true })).toEqual(json.map((i: any) => ({ ...i, deals: String(i.deals) })));
      }
      expect((await report(s.city, `long-term?regionCode=150400&year=${YEAR}`).set('Accept', 'text/csv')).text.trim().split('\n')).toEqual([
        'type,deals,volumePerYear,amount', 'RIGHT_TRANSFER,2,40000,127000.00', 'REGIONAL_TRADE,2,150000,146500.00',
      ]);
    });

    it('is for the operator and regulators whose jurisdiction holds the region', async () => {
      expect((await report(s.county, `long-term?regionCode=150400&year=${YEAR}`)).status).toBe(403);
      expect((await report(s.baotou, `long-term?regionCode=150421&year=${YEAR}`)).status).toBe(403);
      expect((await report(s.district, `long-term?regionCode=150421&year=${YEAR}`)).status).toBe(403);
      expect((await report(s.city, 'long-term?regionCode=150400')).status).toBe(400);
    });
  });

  describe('public announcements', () => {
    let all: any[];
    beforeAll(async () => {
      all = await allPages(t, '/v1/public/announcements');
    });
    const ofType = (type: string) => all.filter((a) => a.type === type).reverse();

    it('announces every auction as it opens: a listing with its reserve, a tender with its limit withheld', async () => {
      const auctions = [d.listing, d.tender, d.roundingTender, d.openListing, d.openTender];
      expect(ofType('AUCTION_OPENED').map((a) => a.data)).toEqual(auctions.map((a) => ({
        auctionId: a.id, marketId: a.marketId, side: a.side, volume: a.volume, limitPrice: a.side === 'SELL' ? a.limitPrice : null, closesAt: a.closesAt,
      })));
      expect(ofType('AUCTION_OPENED').map((a) => a.data.limitPrice)).toEqual(['1.5', null, null, '1.6', null]);
    });

    it('announces every close: volume filled and the clearing price (UNIFORM) or null (PAY_AS_BID)', async () => {
      expect(ofType('AUCTION_CLOSED').map((a) => a.data)).toEqual([
        { auctionId: d.listing.id, marketId: s.surface, side: 'SELL', filledVolume: '1000', clearingPrice: '1.7' },
        { auctionId: d.tender.id, marketId: s.surface, side: 'BUY', filledVolume: '600', clearingPrice: null },
        { auctionId: d.roundingTender.id, marketId: s.groundwater, side: 'BUY', filledVolume: '3', clearingPrice: null },
      ]);
    });

    it('announces regional trades as they are announced and as they settle, by region', async () => {
      const [rg1, rg2] = d.regionalTrades;
      expect(ofType('REGIONAL_TRADE_ANNOUNCED').map((a) => a.data)).toEqual([rg1, rg2, d.openRegionalTrade].map((x) => ({
        regionalTradeId: x.id, sellerRegionCode: x.sellerRegionCode, volumePerYear: x.volumePerYear, fromYear: x.fromYear, toYear: x.toYear, askingPrice: x.askingPrice, closesAt: expect.any(String),
      })));
      expect(ofType('REGIONAL_TRADE_ANNOUNCED')[2].data.closesAt).toBe(d.openRegionalTrade.closesAt);
      expect(ofType('REGIONAL_TRADE_SETTLED').map((a) => a.data)).toEqual([
        { regionalTradeId: rg1.id, sellerRegionCode: '150421', buyerRegionCode: '150200', volumePerYear: '100000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR + 1, price: '0.62' },
        { regionalTradeId: rg2.id, sellerRegionCode: '150422', buyerRegionCode: '150200', volumePerYear: '50000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, price: '0.45' },
      ]);
    });

    it('announces transfers of rights as they settle, by the right\'s region and source', async () => {
      const [rt1, rt2] = d.rightTransfers;
      expect(ofType('RIGHT_TRANSFER_SETTLED').map((a) => a.data)).toEqual([
        { rightTransferId: rt1.id, regionCode: '150421', source: 'SURFACE', volumePerYear: '30000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR + 2, price: '0.8' },
        { rightTransferId: rt2.id, regionCode: '150422', source: 'SURFACE', volumePerYear: '10000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR + 4, price: '1.1' },
      ]);
      expect(all.find((a) => a.data.rightTransferId === d.proposedRightTransfer.id)).toBeUndefined();
    });

    it('carries exactly the fields of its type, newest first, each with an id, a time and a title; ?type= selects one type', async () => {
      const fields: Record<string, string[]> = {
        AUCTION_OPENED: ['auctionId', 'closesAt', 'limitPrice', 'marketId', 'side', 'volume'],
        AUCTION_CLOSED: ['auctionId', 'clearingPrice', 'filledVolume', 'marketId', 'side'],
        REGIONAL_TRADE_ANNOUNCED: ['askingPrice', 'closesAt', 'fromYear', 'regionalTradeId', 'sellerRegionCode', 'toYear', 'volumePerYear'],
        REGIONAL_TRADE_SETTLED: ['buyerRegionCode', 'fromYear', 'price', 'regionalTradeId', 'sellerRegionCode', 'toYear', 'volumePerYear'],
        RIGHT_TRANSFER_SETTLED: ['fromYear', 'price', 'regionCode', 'rightTransferId', 'source', 'toYear', 'volumePerYear'],
        SAVINGS_CERTIFIED: ['projectId', 'regionCode', 'source', 'volume', 'year'],
      };
      for (const a of all) {
        expect([a.type, Object.keys(a).sort(), Object.keys(a.data).sort()]).toEqual([a.type, ['at', 'data', 'id', 'title', 'type'], fields[a.type]]);
        expect(a.title.length).toBeGreaterThan(0);
      }
      expect(all.map((a) => a.at)).toEqual([...all.map((a) => a.at)].sort().reverse());
      expect(all.map((a) => a.type).sort()).toEqual([
        ...Array(5).fill('AUCTION_OPENED'), ...Array(3).fill('AUCTION_CLOSED'), ...Array(3).fill('REGIONAL_TRADE_ANNOUNCED'),
        ...Array(2).fill('REGIONAL_TRADE_SETTLED'), ...Array(2).fill('RIGHT_TRANSFER_SETTLED'), 'SAVINGS_CERTIFIED',
      ].sort());
      for (const type of Object.keys(fields)) expect([type, await allPages(t, `/v1/public/announcements?type=${type}`)]).toEqual([type, all.filter((a) => a.type === type)]);
    });

    it('never shows a participant\'s id or name, nor a tender\'s limit, on any public page', async () => {
      const people = await Promise.all([...parties(s), d.otherCounty].map(async (p) => (await client(t, t.adminKey).get(`/v1/participants/${p.id}`)).body));
      const secrets = people.flatMap((p) => [p.id, p.name]);
      expect(secrets.filter((x) => typeof x !== 'string' || x.length < 8)).toEqual([]);
      const paths = [
        '/v1/public/markets', `/v1/public/markets/${s.surface}/trades`, `/v1/public/markets/${s.groundwater}/trades`, '/v1/public/announcements?limit=500',
        ...['AUCTION_OPENED', 'AUCTION_CLOSED', 'REGIONAL_TRADE_ANNOUNCED', 'REGIONAL_TRADE_SETTLED', 'RIGHT_TRANSFER_SETTLED'].map((type) => `/v1/public/announcements?type=${type}`),
        '/v1/public/price-index', '/v1/public/price-index?interval=DAY', '/v1/public/price-index?regionCode=150421&interval=DAY',
      ];
      for (const path of paths) {
        const text = (await anonymous(t, path)).text;
        for (const secret of secrets) expect([path, secret, text.includes(secret)]).toEqual([path, secret, false]);
        // The tenders' hidden limits (1.37, 1.0051 and 2.22) and the locks they make.
        for (const limit of ['"1.37"', '"2.22"', '"1554"', '"1554.00"', '"1370"', '"1370.00"']) expect([path, limit, text.includes(limit)]).toEqual([path, limit, false]);
      }
    });
  });

  describe('settled trades of markets: matched, transferred or auctioned', () => {
    // One Beijing day for every settled trade, so one period holds them all: 15 June, 12:00 (UTC+8).
    const SETTLED_AT = `${YEAR}-06-15T04:00:00.000Z`;
    let settled: any[];

    beforeAll(async () => {
      await sql(t, `UPDATE trades SET decided_at = $1 WHERE status = 'SETTLED'`, [SETTLED_AT]);
      settled = expectStatus(await client(t, t.adminKey).get('/v1/trades?status=SETTLED&limit=500'), 200).body.items;
    });

    it('settles the auctioned and transferred trades beside the matched ones', () => {
      const ids = new Set(settled.map((x) => x.id));
      for (const id of [...d.auctionTradeIds, d.transferTradeId]) expect(ids.has(id)).toBe(true);
      expect(settled.filter((x) => x.auctionId !== null).map((x) => x.id).sort()).toEqual([...d.auctionTradeIds].sort());
      expect(settled).toHaveLength(3 + 6 + 1);
    });

    it('shows them in the public tape: price, volume and settlement time, paged through ties', async () => {
      const tape = (marketId: string) => settled.filter((x) => x.marketId === marketId).map((x) => ({ price: x.price, volume: x.volume, at: SETTLED_AT }));
      // The surface market: 1.25 × 1000, 1.10 × 2000 (matched), 1.70 × 600 and × 400 (listing), 1.20 × 600 (tender), 1.20 × 100 (transferred).
      const surface = await allPages(t, `/v1/public/markets/${s.surface}/trades`);
      expect(surface).toHaveLength(6);
      expect([...surface].sort(byFigures)).toEqual(tape(s.surface).sort(byFigures));
      expect(surface.map((x) => `${x.price}×${x.volume}`).sort()).toEqual(['1.1×2000', '1.2×100', '1.2×600', '1.25×1000', '1.7×400', '1.7×600'].sort());
      // Groundwater: 3.3333 × 300 (matched) and the tender's three single m³ at 1.0051.
      const groundwater = await allPages(t, `/v1/public/markets/${s.groundwater}/trades`);
      expect(groundwater.map((x) => `${x.price}×${x.volume}`).sort()).toEqual(['1.0051×1', '1.0051×1', '1.0051×1', '3.3333×300']);
    });

    it('counts them in the price index, by hand: Σ amount / Σ volume to 4 decimals', async () => {
      const index = async (q: string) => expectStatus(await anonymous(t, `/v1/public/price-index?${q}`), 200).body.items;
      const day = `${YEAR}-06-15`;
      // Surface: 1250.00 + 2200.00 + 1020.00 + 680.00 + 720.00 + 120.00 = 5990.00 for 4700 m³ → 1.27446… → 1.2745.
      expect(await index(`interval=DAY&regionCode=150421&from=${day}&to=${day}`)).toEqual([{ period: day, trades: 6, volume: '4700', amount: '5990.00', vwap: '1.2745' }]);
      // Groundwater: 999.99 + 3 × 1.01 = 1003.02 for 303 m³ → 3.31029… → 3.3103.
      expect(await index('interval=DAY&source=GROUNDWATER')).toEqual([{ period: day, trades: 4, volume: '303', amount: '1003.02', vwap: '3.3103' }]);
      // Everything: 6993.02 for 5003 m³ → 1.39776… → 1.3978.
      expect(await index('')).toEqual([{ period: `${YEAR}-06`, trades: 10, volume: '5003', amount: '6993.02', vwap: '1.3978' }]);
    });

    it('counts them in the regulators\' trades report, by hand', async () => {
      const items = async (groupBy: string) => expectStatus(await report(s.city, `trades?regionCode=150400&year=${YEAR}&groupBy=${groupBy}`), 200).body.items;
      // 农转非: the district (AGRICULTURE) sold the factory (INDUSTRY) 1000 (matched) + 600 (listing) + 100 (transferred); the reserve has no use.
      expect(await items('source')).toEqual([
        { key: 'GROUNDWATER', trades: 4, volume: '303', amount: '1003.02', vwap: '3.3103', fromAgricultureVolume: '0' },
        { key: 'SURFACE', trades: 6, volume: '4700', amount: '5990.00', vwap: '1.2745', fromAgricultureVolume: '1700' },
      ]);
      // Buyers: INDUSTRY — the factory 1000 + 600 + 100 and the bystander 300: 3389.99 for 2000 → 1.695;
      // NONE — the reserve 2000 + 400 + 600 + 3 × 1: 3603.03 for 3003 → 1.19981… → 1.1998.
      expect(await items('useType')).toEqual([
        { key: 'INDUSTRY', trades: 4, volume: '2000', amount: '3389.99', vwap: '1.695', fromAgricultureVolume: '1700' },
        { key: 'NONE', trades: 6, volume: '3003', amount: '3603.03', vwap: '1.1998', fromAgricultureVolume: '0' },
      ]);
      expect(await items('month')).toEqual([{ key: `${YEAR}-06`, trades: 10, volume: '5003', amount: '6993.02', vwap: '1.3978', fromAgricultureVolume: '1700' }]);
    });

    it('keeps transfers of rights and regional trades out of every market figure: they are no trades of a market', async () => {
      const marketIds = new Set(settled.map((x) => x.marketId));
      expect([...marketIds].sort()).toEqual([s.groundwater, s.surface].sort());
      const published = expectStatus(await anonymous(t, '/v1/public/markets'), 200).body.items.map((m: any) => m.id);
      expect(published.sort()).toEqual([s.groundwater, s.surface].sort());
    });
  });

  it('counts a long-term deal in the year it settled in Beijing time', async () => {
    const [rt1, rt2] = d.rightTransfers;
    const [, rg2] = d.regionalTrades;
    // 1 January, 00:00 in Beijing is next year; a second earlier is this year.
    await sql(t, 'UPDATE right_transfers SET decided_at = $2 WHERE id = $1', [rt2.id, `${YEAR}-12-31T16:00:00Z`]);
    await sql(t, 'UPDATE regional_trades SET decided_at = $2 WHERE id = $1', [rg2.id, `${YEAR}-12-31T15:59:59.999Z`]);
    await sql(t, 'UPDATE right_transfers SET decided_at = $2 WHERE id = $1', [rt1.id, `${YEAR - 1}-12-31T16:00:00Z`]);
    expect(await longTerm(s.province, '150000')).toEqual([
      { type: 'RIGHT_TRANSFER', deals: 1, volumePerYear: '30000', amount: '72000.00' },
      { type: 'REGIONAL_TRADE', deals: 2, volumePerYear: '150000', amount: '146500.00' },
    ]);
    expect(await longTerm(s.province, '150000', NEXT_YEAR)).toEqual([{ type: 'RIGHT_TRANSFER', deals: 1, volumePerYear: '10000', amount: '55000.00' }]);
  });
});

const byFigures = (a: { price: string; volume: string }, b: { price: string; volume: string }) => `${a.price}×${a.volume}`.localeCompare(`${b.price}×${b.volume}`);
