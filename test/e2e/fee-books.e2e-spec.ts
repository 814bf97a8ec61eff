import Decimal from 'decimal.js';
import { eventually } from '../support/eventually';
import { createParticipant, Party } from './support/fixtures';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { AGRI, auditOf, balances, cross, expectStatus, startTradeScene } from './support/trade-scene';
import { expectLedgerValid, fundCash, fundQuota, openMarket } from './support/trading';

jest.setTimeout(60_000);

/** A market's fee book, as the database holds it (null before its first fee). */
const feeBook = async (t: TestApp, marketId: string): Promise<string | null> =>
  (await sql<{ balance: string }>(t, `SELECT balance::numeric(24,2)::text AS balance FROM ledger_accounts WHERE system_name = $1`, [`FEES:${marketId}`]))[0]?.balance ?? null;

/** The operator's own cash account, without the fee books. */
const operatorOwn = async (t: TestApp, operatorId: string): Promise<string> =>
  (await sql<{ balance: string }>(t, `SELECT balance::numeric(24,2)::text AS balance FROM ledger_accounts WHERE owner_id = $1 AND asset = 'CNY' AND bucket = 'AVAILABLE'`, [operatorId]))[0]?.balance ?? '0.00';

// Fees collect in each market's own book (docs/domain.md, Fees): settling a trade locks no
// row that every market shares, and the operator's cash still shows every fee at once.
describe('market fee books', () => {
  let t: TestApp;
  let operator: Party;
  let county: Party;
  let north: string;
  let south: string;

  beforeAll(async () => {
    // This instance's jobs run once an hour, so nothing is swept unless a test asks for it.
    ({ t, operator, regulators: [county] } = await startTradeScene({ regulators: ['150421'], app: { env: { FEE_SWEEP_INTERVAL_MS: '3600000' } } }));
    north = (await openMarket(t, { regionCode: '150421', feeRate: '0.005', approvalMode: 'FILING' })).id;
    south = (await openMarket(t, { regionCode: '150421', source: 'GROUNDWATER', feeRate: '0.01', approvalMode: 'FILING' })).id;
  });
  afterAll(() => t.close());

  const pair = async (marketId: string, source?: string) => {
    const [seller, buyer] = await Promise.all([createParticipant(t, 'WATER_USER', '150421'), createParticipant(t, 'IRRIGATION_DISTRICT', '150421')]);
    await fundQuota(t, county.apiKey, seller, '10000', { ...AGRI, ...(source ? { source } : {}) });
    await fundCash(t, buyer, '10000.00');
    return { seller, buyer, marketId };
  };

  it('credits a settled trade\'s fees to its market\'s book, and counts them in the operator\'s cash at once', async () => {
    const before = (await balances(t, operator)).cash;
    const ownBefore = await operatorOwn(t, operator.id);
    const n = await pair(north);
    const trade = await cross(t, north, n.seller, n.buyer, '1.00', '2000'); // 2000.00, 10.00 a side
    expect(trade).toMatchObject({ status: 'SETTLED', buyerFee: '10.00', sellerFee: '10.00' });
    const s = await pair(south, 'GROUNDWATER');
    const other = await cross(t, south, s.seller, s.buyer, '0.50', '1000'); // 500.00, 5.00 a side
    expect(other).toMatchObject({ status: 'SETTLED', buyerFee: '5.00', sellerFee: '5.00' });

    expect(await feeBook(t, north)).toBe('20.00');
    expect(await feeBook(t, south)).toBe('10.00');
    expect(await operatorOwn(t, operator.id)).toBe(ownBefore);
    const after = (await balances(t, operator)).cash;
    expect(after).toEqual({ available: new Decimal(before.available).plus(30).toFixed(2), locked: '0.00' });

    // The trade's fee posting names the book; the operator's ledger has no line for it yet.
    const posted = (await auditOf(t, 'trade', trade.id)).filter((e) => e.action === 'trade.posted').flatMap((e) => e.after.legs);
    expect(posted).toContainEqual({ feesOf: north, amount: '20.00', reason: 'FEE' });
    const entries = expectStatus(await client(t, t.adminKey).get(`/v1/participants/${operator.id}/ledger`), 200).body.items;
    expect(entries.filter((e: any) => e.refId === trade.id)).toEqual([]);
    await expectLedgerValid(t);
  });

  it('sweeps every book into the operator\'s own cash before the operator withdraws', async () => {
    const n = await pair(north);
    await cross(t, north, n.seller, n.buyer, '1.00', '1000'); // 5.00 a side
    const available = (await balances(t, operator)).cash.available;
    expect(await feeBook(t, north)).toBe('30.00');

    const res = await client(t, t.adminKey).post(`/v1/participants/${operator.id}/withdrawals`, { amount: available });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ reason: 'WITHDRAWAL', delta: `-${available}`, balanceAfter: '0.00' });
    expect(await feeBook(t, north)).toBe('0.00');
    expect(await feeBook(t, south)).toBe('0.00');
    expect((await balances(t, operator)).cash).toEqual({ available: '0.00', locked: '0.00' });

    // The sweep is one FEE line of its own on the operator's ledger, before the withdrawal.
    const [withdrawal, sweep] = expectStatus(await client(t, t.adminKey).get(`/v1/participants/${operator.id}/ledger?limit=2`), 200).body.items;
    expect(withdrawal).toMatchObject({ reason: 'WITHDRAWAL', refType: 'withdrawal' });
    expect(sweep).toMatchObject({ reason: 'FEE', refType: 'feeSweep', asset: 'CNY', account: 'AVAILABLE', balanceAfter: available });
    const audit = await auditOf(t, 'feeSweep', sweep.refId);
    expect(audit).toEqual([expect.objectContaining({ action: 'feeSweep.swept', actorId: null, after: expect.objectContaining({ operatorId: operator.id, amount: sweep.delta }) })]);
    await expectLedgerValid(t);
  });

  it('is swept by the job of a second instance, without changing what the operator is shown', async () => {
    const n = await pair(north);
    await cross(t, north, n.seller, n.buyer, '2.00', '1000'); // 2000.00, 10.00 a side
    const shown = (await balances(t, operator)).cash;
    const own = await operatorOwn(t, operator.id);
    expect(await feeBook(t, north)).toBe('20.00');

    const second = await startTestApp({ dbUrl: t.dbUrl, env: { FEE_SWEEP_INTERVAL_MS: '200' } });
    try {
      expect(await eventually(async () => (await feeBook(t, north)) === '0.00', 10_000, 100)).toBe(true);
    } finally {
      await second.close();
    }
    expect(await operatorOwn(t, operator.id)).toBe(new Decimal(own).plus(20).toFixed(2));
    expect((await balances(t, operator)).cash).toEqual(shown);
    // Nothing is left to sweep, so the job writes nothing more.
    const sweeps = await sql(t, `SELECT 1 FROM ledger_postings WHERE ref_type = 'feeSweep' AND account_id = (SELECT id FROM ledger_accounts WHERE system_name = $1)`, [`FEES:${north}`]);
    expect(sweeps).toHaveLength(2);
    await expectLedgerValid(t);
  });

  it('refuses to take a fee book below zero, even from SQL', async () => {
    await expect(sql(t, `UPDATE ledger_accounts SET balance = -0.01 WHERE system_name = $1`, [`FEES:${north}`])).rejects.toMatchObject({ code: '23514' });
    await expect(sql(t, `INSERT INTO ledger_accounts (system_name, asset, bucket) VALUES ($1, $2, 'AVAILABLE')`, [`FEES:${south}`, south])).rejects.toMatchObject({ code: '23514' });
  });
});
