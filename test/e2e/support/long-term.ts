import { bidCommitment } from '../../../src/core/sealed-bids';
import { Party } from './fixtures';
import { sql } from './sql';
import { client, TestApp } from './test-app';
import { expectStatus } from './trade-scene';
import { TRADING_YEAR } from './trading';

/** Long-term deals start no earlier than the current year: the suites trade the years after it. */
export const NEXT_YEAR = TRADING_YEAR + 1;

let permitSeq = 0;
export const permitNo = (prefix: string) => `${prefix}-${process.pid}-${++permitSeq}`;

/** A right registered by `regulator` for `holder`, valid from the current year for `years` years. */
export async function registerRight(t: TestApp, regulator: Party, holder: Party, fields: Record<string, unknown> = {}) {
  const res = await client(t, regulator.apiKey).post('/v1/rights', {
    holderId: holder.id,
    regionCode: holder.regionCode,
    source: 'SURFACE',
    useType: 'AGRICULTURE',
    annualVolume: '1000000',
    validFrom: `${TRADING_YEAR}-01-01`,
    validTo: `${TRADING_YEAR + 9}-12-31`,
    permitNo: permitNo('LT'),
    ...fields,
  });
  return expectStatus(res, 201).body;
}

export async function allocate(t: TestApp, regulator: Party, rightId: string, year: number, volume: string) {
  return client(t, regulator.apiKey).post(`/v1/rights/${rightId}/allocations`, { year, volume });
}

export async function capView(t: TestApp, code: string, year: number) {
  return expectStatus(await client(t, t.adminKey).get(`/v1/regions/${code}/caps/${year}`), 200).body;
}

export async function setCap(t: TestApp, code: string, year: number, totalCap: string) {
  return expectStatus(await client(t, t.adminKey).put(`/v1/regions/${code}/caps/${year}`, { totalCap }), 200).body;
}

/** Every audit entry, oldest first (the operator's view), through the API. */
export async function wholeAuditLog(t: TestApp): Promise<any[]> {
  const entries: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = expectStatus(await client(t, t.adminKey).get(`/v1/audit?limit=500${cursor ? `&cursor=${cursor}` : ''}`), 200).body;
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

/** Ends a regional trade's notice period now: the test's stand-in for waiting days. */
export async function endNotice(t: TestApp, regionalTradeId: string): Promise<void> {
  await sql(t, `UPDATE regional_trades SET closes_at = now() - interval '1 millisecond' WHERE id = $1`, [regionalTradeId]);
}

/** A commitment recomputed from a published bid, as anyone reading the audit log would. */
export const commitmentOf = (bid: { bidderId: string; price: string; volume: string; salt: string }) => bidCommitment(bid);

export const inHours = (hours: number) => new Date(Date.now() + hours * 3600 * 1000).toISOString();
