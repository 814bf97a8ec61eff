import { createParticipant, Party } from './support/fixtures';
import { capView, NEXT_YEAR, registerRight, setCap } from './support/long-term';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { auditOf, balances, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash } from './support/trading';

jest.setTimeout(60_000);

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The background jobs of long-term deals: the close of regional trades, and expiry of both kinds past approvalDueAt. */
describe('long-term deals left to the jobs', () => {
  let t: TestApp;
  let county: Party; // 150421
  let otherCounty: Party; // 150422
  let city: Party;

  const statusOf = async (path: string) => expectStatus(await client(t, t.adminKey).get(path), 200).body;
  const settledTo = (path: string, from: string) => waitFor(async () => {
    const body = await statusOf(path);
    return body.status === from ? undefined : body;
  }, `${path} to leave ${from}`);

  beforeAll(async () => {
    ({ t, regulators: [county, otherCounty, city] } = await startTradeScene({
      regulators: ['150421', '150422', '150400'],
      app: { expiryIntervalMs: 200, env: { MIN_NOTICE_SECONDS: '1' } },
    }));
    await setCap(t, '150422', NEXT_YEAR, '1000000');
    await fundCash(t, county, '100000.00');
  });
  afterAll(() => t?.close());

  it('closes a regional trade within moments of closesAt, with the system as actor', async () => {
    const announced = expectStatus(await client(t, otherCounty.apiKey).post('/v1/regional-trades', {
      volumePerYear: '1000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, askingPrice: '1', closesAt: new Date(Date.now() + 2500).toISOString(),
    }), 201).body;
    expectStatus(await client(t, county.apiKey).post(`/v1/regional-trades/${announced.id}/interests`, { price: '1.5' }), 201);
    const closed = await settledTo(`/v1/regional-trades/${announced.id}`, 'ANNOUNCED');
    expect(closed).toMatchObject({ status: 'PENDING_APPROVAL', buyerRegionCode: '150421', amount: '1500.00', approverRegionCode: '150400' });
    const entry = (await auditOf(t, 'regionalTrade', announced.id)).find((e) => e.action === 'regionalTrade.closed');
    expect(entry.actorId).toBeNull();

    // Then the approval deadline passes: the escrow returns, the reservation is released.
    await sql(t, `UPDATE regional_trades SET approval_due_at = now() - interval '1 second' WHERE id = $1`, [announced.id]);
    const expired = await settledTo(`/v1/regional-trades/${announced.id}`, 'PENDING_APPROVAL');
    expect(expired).toMatchObject({ status: 'REJECTED', decision: 'EXPIRED', decidedBy: null, reason: expect.any(String) });
    expect((await balances(t, county)).cash).toEqual({ available: '100000.00', locked: '0.00' });
    expect(await capView(t, '150422', NEXT_YEAR)).toMatchObject({ capReservedOut: '0', headroom: '1000000' });
    expect((await auditOf(t, 'regionalTrade', announced.id)).filter((e) => e.action === 'regionalTrade.expired').map((e) => e.actorId)).toEqual([null]);
  });

  it('closes an announced trade nobody wanted as UNSOLD', async () => {
    const announced = expectStatus(await client(t, otherCounty.apiKey).post('/v1/regional-trades', {
      volumePerYear: '1000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, askingPrice: '1', closesAt: new Date(Date.now() + 1500).toISOString(),
    }), 201).body;
    expect(await settledTo(`/v1/regional-trades/${announced.id}`, 'ANNOUNCED')).toMatchObject({ status: 'UNSOLD' });
    expect(await capView(t, '150422', NEXT_YEAR)).toMatchObject({ capReservedOut: '0' });
  });

  it('expires a transfer of rights past its deadline: the cash returns and the reservation is released', async () => {
    const [district, enterprise] = await Promise.all([createParticipant(t, 'IRRIGATION_DISTRICT', '150421'), createParticipant(t, 'ENTERPRISE', '150422')]);
    await fundCash(t, enterprise, '5000.00');
    const right = await registerRight(t, county, district);
    const proposed = expectStatus(await client(t, district.apiKey).post('/v1/right-transfers', {
      rightId: right.id, buyerId: enterprise.id, volumePerYear: '1000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR + 1, price: '2',
    }), 201).body;
    expectStatus(await client(t, enterprise.apiKey).post(`/v1/right-transfers/${proposed.id}/accept`), 200);
    expect((await balances(t, enterprise)).cash).toEqual({ available: '1000.00', locked: '4000.00' });
    await sql(t, `UPDATE right_transfers SET approval_due_at = now() - interval '1 second' WHERE id = $1`, [proposed.id]);
    const expired = await settledTo(`/v1/right-transfers/${proposed.id}`, 'PENDING_APPROVAL');
    expect(expired).toMatchObject({ status: 'REJECTED', decision: 'EXPIRED', decidedBy: null, newRightId: null });
    expect((await balances(t, enterprise)).cash).toEqual({ available: '5000.00', locked: '0.00' });
    expect((await statusOf(`/v1/rights/${right.id}`)).reservedOut).toEqual([]);
    expect((await auditOf(t, 'rightTransfer', proposed.id)).filter((e) => e.action === 'rightTransfer.expired').map((e) => e.actorId)).toEqual([null]);
    // The city may decide it (both regions in its jurisdiction), and its queue of expired transfers shows it.
    const queue = expectStatus(await client(t, city.apiKey).get('/v1/approvals?type=RIGHT_TRANSFER&status=REJECTED'), 200).body.items;
    expect(queue.map((x: any) => x.id)).toEqual([proposed.id]);
  });
});
