import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { Party } from './support/fixtures';
import { buildInformationScene, InformationScene } from './support/information-scene';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectStatus } from './support/trade-scene';
import { TRADING_YEAR } from './support/trading';

/**
 * 统计: reports for the operator and regulators within their jurisdiction, checked against
 * sums computed here from the trades themselves (in fen and litres, integers only), and as
 * CSV that parses back to the JSON.
 */

const YEAR = TRADING_YEAR;

/** A decimal string in integer units of 10^-scale. */
const units = (value: string, scale: number): bigint => {
  const [whole, frac = ''] = value.split('.');
  return BigInt(whole) * 10n ** BigInt(scale) + BigInt((frac + '0'.repeat(scale)).slice(0, scale));
};
/** Integer units back to the contract's shortest decimal string (amounts keep 2 decimals). */
const decimal = (n: bigint, scale: number, keep = 0): string => {
  const s = n.toString().padStart(scale + 1, '0');
  let frac = s.slice(s.length - scale);
  while (frac.length > keep && frac.endsWith('0')) frac = frac.slice(0, -1);
  return frac ? `${s.slice(0, s.length - scale)}.${frac}` : s.slice(0, s.length - scale);
};

interface Sold {
  month: string;
  source: string;
  buyerUse: string;
  sellerUse: string | null;
  region: string;
  litres: bigint;
  fen: bigint;
}

function expectedItems(trades: Sold[], key: (t: Sold) => string) {
  const groups = new Map<string, Sold[]>();
  for (const t of trades) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
  return [...groups.keys()].sort().map((k) => {
    const g = groups.get(k)!;
    const litres = g.reduce((s, t) => s + t.litres, 0n);
    const fen = g.reduce((s, t) => s + t.fen, 0n);
    // vwap = fen/100 ÷ litres/1000, to 4 decimals, half up.
    const scaled = fen * 10n * 10_000n;
    const vwap = scaled / litres + (2n * (scaled % litres) >= litres ? 1n : 0n);
    const converted = g.filter((t) => t.sellerUse === 'AGRICULTURE' && t.buyerUse !== 'NONE' && t.buyerUse !== 'AGRICULTURE').reduce((s, t) => s + t.litres, 0n);
    return { key: k, trades: g.length, volume: decimal(litres, 3), amount: decimal(fen, 2, 2), vwap: decimal(vwap, 4), fromAgricultureVolume: decimal(converted, 3) };
  });
}

describe('reports for regulators', () => {
  let t: TestApp;
  let s: InformationScene;
  let sold: Sold[];

  const report = (who: Party, path: string) => client(t, who.apiKey).get(path);

  beforeAll(async () => {
    t = await startTestApp();
    s = await buildInformationScene(t);
    const [t1, t2, t3] = s.settledTradeIds;
    for (const [id, at] of [[t1, `${YEAR}-03-31T15:59:59Z`], [t2, `${YEAR}-03-31T16:00:00Z`], [t3, `${YEAR}-04-20T02:00:00Z`]]) {
      await sql(t, 'UPDATE trades SET decided_at = $2 WHERE id = $1', [id, at]);
    }
    const useOf = async (id: string) => (await client(t, t.adminKey).get(`/v1/participants/${id}`)).body.useType ?? 'NONE';
    const trades = (await client(t, t.adminKey).get('/v1/trades?status=SETTLED&limit=500')).body.items;
    sold = await Promise.all(trades.map(async (x: any) => {
      const market = (await client(t, t.adminKey).get(`/v1/markets/${x.marketId}`)).body;
      const beijing = new Date(new Date(x.decidedAt).getTime() + 8 * 3600 * 1000).toISOString();
      return {
        month: beijing.slice(0, 7), source: market.source, buyerUse: await useOf(x.buyerId), sellerUse: await useOf(x.sellerId),
        region: market.regionCode, litres: units(x.volume, 3), fen: units(x.amount, 2),
      };
    }));
  }, 120_000);
  afterAll(() => t.close());

  it('sums the settled trades of the region\'s markets by month, source, buyer use and child region', async () => {
    const groupings: Record<string, (x: Sold) => string> = { month: (x) => x.month, source: (x) => x.source, useType: (x) => x.buyerUse, region: (x) => x.region };
    for (const [groupBy, key] of Object.entries(groupings)) {
      const body = expectStatus(await report(s.city, `/v1/reports/trades?regionCode=150400&year=${YEAR}&groupBy=${groupBy}`), 200).body;
      expect([groupBy, body.items]).toEqual([groupBy, expectedItems(sold, key)]);
    }
    expect((await report(s.city, `/v1/reports/trades?regionCode=150400&year=${YEAR}`)).body.items.map((i: any) => i.key)).toEqual([`${YEAR}-03`, `${YEAR}-04`]);
    // 31 March 23:59:59 in Beijing is March; a second later is April.
    expect((await report(s.city, `/v1/reports/trades?regionCode=150400&year=${YEAR}`)).body.items.map((i: any) => i.trades)).toEqual([1, 2]);
    const surface = sold.filter((x) => x.region === '150421');
    expect((await report(s.county, `/v1/reports/trades?regionCode=150421&year=${YEAR}&groupBy=region`)).body.items).toEqual(expectedItems(surface, () => '150421'));
    expect((await report(s.province, `/v1/reports/trades?regionCode=150000&year=${YEAR}&groupBy=region`)).body.items.map((i: any) => i.key)).toEqual(['150400']);
    expect((await report(s.operator, `/v1/reports/trades?regionCode=150400&year=${YEAR + 1}`)).body.items).toEqual([]);
    // The 农转非 figure: 1000 m³ from the district (AGRICULTURE) to the factory (INDUSTRY); none to the reserve (no use).
    expect((await report(s.city, `/v1/reports/trades?regionCode=150400&year=${YEAR}&groupBy=source`)).body.items.find((i: any) => i.key === 'SURFACE').fromAgricultureVolume).toBe('1000');
  });

  it('reports caps: the region\'s cap view first, then each child\'s by code', async () => {
    expectStatus(await client(t, s.province.apiKey).put(`/v1/regions/150400/caps/${YEAR}`, { totalCap: '900000' }), 200);
    expectStatus(await client(t, s.city.apiKey).put(`/v1/regions/150421/caps/${YEAR}`, { totalCap: '400000' }), 200);
    const items = expectStatus(await report(s.city, `/v1/reports/caps?regionCode=150400&year=${YEAR}`), 200).body.items;
    const views = await Promise.all(['150400', '150421', '150422'].map(async (code) => (await client(t, s.bystander.apiKey).get(`/v1/regions/${code}/caps/${YEAR}`)).body));
    expect(items).toEqual(views);
    expect(items.map((i: any) => i.totalCap)).toEqual(['900000', '400000', null]);
  });

  it('reports savings by contract model: projects, the year\'s statements and what was certified', async () => {
    expectStatus(await client(t, s.company.apiKey).post('/v1/projects', {
      name: '工业节水', model: 'GUARANTEED_SAVING', serviceCompanyId: s.company.id, waterUserId: s.factory.id, regionCode: '150422', source: 'GROUNDWATER',
      startDate: `${YEAR}-01-01`, endDate: `${YEAR}-12-31`, waterPrice: '3.00', baseline: { method: 'FIXED', volumePerPeriod: '10000' },
      terms: { guaranteedSaving: '0.1', shortfallPrice: '3.00' },
    }), 201);
    // The scene's statement measured December of the year before and was certified into this year.
    expect(expectStatus(await report(s.city, `/v1/reports/savings?regionCode=150400&year=${YEAR - 1}`), 200).body.items).toEqual([
      { model: 'BENEFIT_SHARING', projects: 1, statements: 1, savedVolume: '20000', savedValue: '80000.00', certifiedVolume: '0' },
      { model: 'GUARANTEED_SAVING', projects: 1, statements: 0, savedVolume: '0', savedValue: '0.00', certifiedVolume: '0' },
    ]);
    expect(expectStatus(await report(s.city, `/v1/reports/savings?regionCode=150400&year=${YEAR}`), 200).body.items).toEqual([
      { model: 'BENEFIT_SHARING', projects: 1, statements: 0, savedVolume: '0', savedValue: '0.00', certifiedVolume: '20000' },
      { model: 'GUARANTEED_SAVING', projects: 1, statements: 0, savedVolume: '0', savedValue: '0.00', certifiedVolume: '0' },
    ]);
    expect((await report(s.county, `/v1/reports/savings?regionCode=150421&year=${YEAR + 1}`)).body.items).toEqual([
      { model: 'BENEFIT_SHARING', projects: 1, statements: 0, savedVolume: '0', savedValue: '0.00', certifiedVolume: '0' },
    ]);
  });

  it('reports no long-term deals while there are none', async () => {
    expect(expectStatus(await report(s.operator, `/v1/reports/long-term?regionCode=150400&year=${YEAR}`), 200).body).toEqual({ items: [] });
  });

  it('answers CSV with Accept: text/csv, a header of the item\'s field names, that parses back to the JSON', async () => {
    for (const path of [`trades?regionCode=150400&year=${YEAR}&groupBy=source`, `caps?regionCode=150400&year=${YEAR}`, `savings?regionCode=150400&year=${YEAR}`, `long-term?regionCode=150400&year=${YEAR}`]) {
      const json = (await report(s.city, `/v1/reports/${path}`)).body.items;
      const csv = await report(s.city, `/v1/reports/${path}`).set('Accept', 'text/csv');
      expect([path, csv.status, csv.headers['content-type']]).toEqual([path, 200, expect.stringContaining('text/csv')]);
      const rows = parse(csv.text, { columns: true, skip_empty_lines: true });
      expect(rows).toEqual(json.map((item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v === null ? '' : String(v)]))));
      const header = csv.text.split('\n')[0];
      expect(header).toBe(json.length ? Object.keys(json[0]).join(',') : 'type,deals,volumePerYear,amount');
    }
  });

  it('answers CSV to every spelling of the CSV media type, parameters included, and JSON to anything else', async () => {
    const path = `/v1/reports/caps?regionCode=150400&year=${YEAR}`;
    const csv = (await report(s.city, path).set('Accept', 'text/csv')).text;
    for (const accept of ['text/csv; charset=utf-8', 'text/csv;charset=UTF-8', 'TEXT/CSV', 'text/csv; header=present', 'text/*', 'application/json;q=0.5, text/csv']) {
      const res = await report(s.city, path).set('Accept', accept);
      expect([accept, res.status, res.headers['content-type'], res.text]).toEqual([accept, 200, 'text/csv; charset=utf-8', csv]);
    }
    for (const accept of ['application/json', '*/*', 'application/*']) {
      const res = await report(s.city, path).set('Accept', accept);
      expect([accept, res.status, res.headers['content-type']]).toEqual([accept, 200, expect.stringContaining('application/json')]);
    }
  });

  it('documents each report\'s CSV in the OpenAPI document with the header the service sends', async () => {
    const doc = (await request(t.http).get('/docs-json')).body;
    for (const [name, q] of [['trades', `regionCode=150400&year=${YEAR}&groupBy=source`], ['caps', `regionCode=150400&year=${YEAR}`], ['savings', `regionCode=150400&year=${YEAR}`], ['long-term', `regionCode=150400&year=${YEAR}`]]) {
      const example: string = doc.paths[`/v1/reports/${name}`].get.responses['200'].content['text/csv'].example;
      const csv = await report(s.city, `/v1/reports/${name}?${q}`).set('Accept', 'text/csv');
      expect([name, example.split('\n')[0]]).toEqual([name, csv.text.split('\n')[0]]);
    }
  });

  it('is for the operator and regulators whose jurisdiction holds the region (403), with regionCode and year required (400)', async () => {
    const status = async (who: Party, q: string) => (await report(who, `/v1/reports/trades?${q}`)).status;
    expect(await status(s.operator, `regionCode=150400&year=${YEAR}`)).toBe(200);
    expect(await status(s.province, `regionCode=150400&year=${YEAR}`)).toBe(200);
    expect(await status(s.county, `regionCode=150421&year=${YEAR}`)).toBe(200);
    expect(await status(s.county, `regionCode=150400&year=${YEAR}`)).toBe(403);
    expect(await status(s.baotou, `regionCode=150400&year=${YEAR}`)).toBe(403);
    expect(await status(s.factory, `regionCode=150422&year=${YEAR}`)).toBe(403);
    expect(await status(s.city, 'regionCode=150400')).toBe(400);
    expect(await status(s.city, `year=${YEAR}`)).toBe(400);
    expect(await status(s.city, `regionCode=150400&year=${YEAR}&groupBy=week`)).toBe(400);
    expect(await status(s.operator, `regionCode=999999&year=${YEAR}`)).toBe(404);
    for (const kind of ['caps', 'savings', 'long-term']) {
      expect([kind, (await report(s.district, `/v1/reports/${kind}?regionCode=150421&year=${YEAR}`)).status]).toEqual([kind, 403]);
    }
  });
});
