import { inParallel, fen, litres } from './units';
import { Target } from './target';

/** The exchange's current civil year (Beijing time), the one whose quota trades today. */
export const TRADING_YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

/** 内蒙古 → 赤峰市 → its counties: one market per county. */
export const CITY = '150400';
const COUNTIES: [string, string][] = [
  ['150421', '阿鲁科尔沁旗'], ['150422', '巴林左旗'], ['150423', '巴林右旗'], ['150424', '林西县'],
  ['150425', '克什克腾旗'], ['150426', '翁牛特旗'], ['150428', '喀喇沁旗'], ['150429', '宁城县'],
];

export interface Party {
  id: string;
  apiKey: string;
  regionCode: string;
}

export interface MarketSpec {
  feeRate?: string;
  approvalMode?: 'APPROVAL' | 'FILING';
  autoApproveMaxVolume?: string | null;
}

export interface WorldSpec {
  /** One market per county, in the order of the list above (at most eight). */
  markets: MarketSpec[];
  traders: number;
  /** Quota each trader is allocated in every market (m³). */
  quota: string;
  /** Cash each trader deposits (CNY). */
  cash: string;
  /** Requests in flight while seeding. */
  width?: number;
  /** A cap (m³) on the province, the city and each county, as 用水总量控制 has everywhere; none if absent. */
  caps?: string;
}

export interface World {
  adminKey: string;
  operatorId: string;
  /** The city's regulator: it may decide every trade between the counties. */
  regulator: Party;
  marketIds: string[];
  traders: Party[];
  /** What the seeding put in, in fen and litres (per market), for the conservation checks. */
  depositedFen: bigint;
  allocatedLitres: Map<string, bigint>;
}

/** Builds a small exchange through the public API only, as its users would. */
export async function seedWorld(target: Target, adminKey: string, spec: WorldSpec): Promise<World> {
  if (spec.markets.length > COUNTIES.length) throw new Error(`at most ${COUNTIES.length} markets`);
  const width = spec.width ?? 8;
  const op = (method: 'POST' | 'PUT', path: string, body: unknown) => target.must({ method, path, apiKey: adminKey, body });
  await op('PUT', '/v1/regions/150000', { name: '内蒙古自治区' });
  await op('PUT', `/v1/regions/${CITY}`, { name: '赤峰市', parentCode: '150000' });
  for (const [code, name] of COUNTIES.slice(0, spec.markets.length)) await op('PUT', `/v1/regions/${code}`, { name, parentCode: CITY });
  if (spec.caps !== undefined) {
    for (const code of ['150000', CITY, ...COUNTIES.slice(0, spec.markets.length).map(([c]) => c)]) {
      await op('PUT', `/v1/regions/${code}/caps/${TRADING_YEAR}`, { totalCap: spec.caps });
    }
  }
  const me = await target.must({ method: 'GET', path: '/v1/participants/me', apiKey: adminKey });
  const reg = await op('POST', '/v1/participants', { name: '赤峰市水利局', kind: 'REGULATOR', regionCode: CITY });
  const regulator = { id: reg.id, apiKey: reg.apiKey, regionCode: CITY };
  const markets = await inParallel(spec.markets, width, (m, i) =>
    op('POST', '/v1/markets', { regionCode: COUNTIES[i][0], source: 'SURFACE', year: TRADING_YEAR, ...m }));
  const home = COUNTIES[0][0];
  const traders = await inParallel(Array.from({ length: spec.traders }, (_, i) => i), width, async (i) => {
    const p = await op('POST', '/v1/participants', { name: `trader ${i}`, kind: 'ENTERPRISE', regionCode: home });
    return { id: p.id as string, apiKey: p.apiKey as string, regionCode: home };
  });
  const grants = traders.flatMap((t, i) => markets.map((m: any) => ({ t, i, m })));
  await inParallel(grants, width, async ({ t, i, m }) => {
    const right = await target.must({
      method: 'POST', path: '/v1/rights', apiKey: regulator.apiKey,
      body: { holderId: t.id, regionCode: m.regionCode, source: 'SURFACE', useType: 'INDUSTRY', annualVolume: spec.quota,
        validFrom: `${TRADING_YEAR}-01-01`, validTo: `${TRADING_YEAR}-12-31`, permitNo: `SEED-${i}-${m.regionCode}` },
    });
    await target.must({ method: 'POST', path: `/v1/rights/${right.id}/allocations`, apiKey: regulator.apiKey, body: { year: TRADING_YEAR, volume: spec.quota } });
  });
  await inParallel(traders, width, (t, i) => op('POST', `/v1/participants/${t.id}/deposits`, { amount: spec.cash, reference: `SEED-${i}` }));
  return {
    adminKey,
    operatorId: me.id,
    regulator,
    marketIds: markets.map((m: any) => m.id),
    traders,
    depositedFen: fen(spec.cash) * BigInt(traders.length),
    allocatedLitres: new Map(markets.map((m: any) => [m.id, litres(spec.quota) * BigInt(traders.length)])),
  };
}
