import { Party } from './fixtures';
import { client, TestApp } from './test-app';

/**
 * The exchange's current civil year (Beijing time): the only year whose quota can be
 * allocated, traded and settled without tripping validity checks, whatever the date.
 */
export const TRADING_YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

let permitSeq = 0;
let depositSeq = 0;

const fail = (what: string, res: { status: number; body: unknown }): never => {
  throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
};

export interface QuotaOptions {
  /** Defaults to the holder's own region. */
  regionCode?: string;
  source?: string;
  year?: number;
  useType?: string;
}

/**
 * Gives `party` tradable quota the way a regulator does it: a right in the instrument's
 * region, then one allocation of `volume` for the year. `regulatorKey` needs jurisdiction
 * over that region.
 */
export async function fundQuota(t: TestApp, regulatorKey: string, party: Party, volume: string, options: QuotaOptions = {}): Promise<{ rightId: string; marketId: string }> {
  const regionCode = options.regionCode ?? party.regionCode;
  const source = options.source ?? 'SURFACE';
  const year = options.year ?? TRADING_YEAR;
  const regulator = client(t, regulatorKey);
  const right = await regulator.post('/v1/rights', {
    holderId: party.id,
    regionCode,
    source,
    useType: options.useType ?? 'INDUSTRY',
    annualVolume: volume,
    validFrom: `${year - 1}-01-01`,
    validTo: `${year + 4}-12-31`,
    permitNo: `E2E-${process.pid}-${++permitSeq}`,
  });
  if (right.status !== 201) fail(`registering a right for ${party.id}`, right);
  const allocation = await regulator.post(`/v1/rights/${right.body.id}/allocations`, { year, volume });
  if (allocation.status !== 201) fail(`allocating ${volume} m³ to ${party.id}`, allocation);
  return { rightId: right.body.id, marketId: `${regionCode}-${source}-${year}` };
}

/** Records a bank deposit of `amount` CNY for `party` (operator). */
export async function fundCash(t: TestApp, party: Party, amount: string): Promise<void> {
  const res = await client(t, t.adminKey).post(`/v1/participants/${party.id}/deposits`, { amount, reference: `E2E-${process.pid}-${++depositSeq}` });
  if (res.status !== 201) fail(`depositing ${amount} for ${party.id}`, res);
}

export interface MarketOptions {
  regionCode: string;
  source?: string;
  year?: number;
  feeRate?: string;
  minVolume?: string;
  priceTick?: string;
  approvalMode?: 'APPROVAL' | 'FILING';
  approvalDeadlineDays?: number;
  autoApproveMaxVolume?: string | null;
  /** Who opens it; the operator by default. */
  apiKey?: string;
}

/** Opens a market and returns its view; fails loudly when the service refuses. */
export async function openMarket(t: TestApp, options: MarketOptions): Promise<any> {
  const { apiKey, ...fields } = options;
  const res = await client(t, apiKey ?? t.adminKey).post('/v1/markets', { source: 'SURFACE', year: TRADING_YEAR, ...fields });
  if (res.status !== 201) fail(`opening market ${options.regionCode}`, res);
  return res.body;
}

export interface Balances {
  cash: { available: string; locked: string };
  quota: { marketId: string; regionCode: string; source: string; year: number; available: string; locked: string }[];
}

export async function balancesOf(t: TestApp, party: Party): Promise<Balances> {
  const res = await client(t, party.apiKey).get(`/v1/participants/${party.id}/balances`);
  if (res.status !== 200) fail(`reading balances of ${party.id}`, res);
  return res.body;
}

/** One instrument's quota of a party, zeros when it holds none. */
export async function quotaOf(t: TestApp, party: Party, marketId: string): Promise<{ available: string; locked: string }> {
  const q = (await balancesOf(t, party)).quota.find((e) => e.marketId === marketId);
  return q ? { available: q.available, locked: q.locked } : { available: '0', locked: '0' };
}

/** The operator's ledger verification report. */
export async function ledgerReport(t: TestApp): Promise<{ valid: boolean; problems: unknown[] }> {
  const res = await client(t, t.adminKey).get('/v1/ledger/verify');
  if (res.status !== 200) fail('verifying the ledger', res);
  return res.body;
}

/** Fails with the verifier's problems listed, so a broken invariant names itself. */
export async function expectLedgerValid(t: TestApp): Promise<void> {
  const report = await ledgerReport(t);
  expect(report.problems).toEqual([]);
  expect(report.valid).toBe(true);
}

export async function placeOrder(t: TestApp, party: Party, marketId: string, order: Record<string, unknown>) {
  return client(t, party.apiKey).post(`/v1/markets/${marketId}/orders`, order);
}
