import Decimal from 'decimal.js';
import { createParticipant, Party } from './support/fixtures';
import { counter } from './support/metrics';
import { sql, withDb } from './support/sql';
import { client, TestApp } from './support/test-app';
import { AGRI, balances, expectStatus, startTradeScene } from './support/trade-scene';
import { expectLedgerValid, fundCash, fundQuota, openMarket, placeOrder } from './support/trading';

jest.setTimeout(120_000);

const ROUNDS = 25;

/** Deadlocks PostgreSQL detected in the suite's database (its statistics, read fresh). */
async function deadlocks(t: TestApp): Promise<number> {
  // The cumulative statistics are flushed by each backend within a second of its work.
  await new Promise((ok) => setTimeout(ok, 1500));
  const [row] = await sql<{ deadlocks: string }>(t, 'SELECT pg_stat_clear_snapshot(), deadlocks::text FROM pg_stat_database WHERE datname = current_database()');
  return Number(row.deadlocks);
}

/**
 * Issue 10, lock order: two participants trading with each other in opposite directions in
 * two markets that settle trades as they open, so each placement moves value between the
 * same two participants' accounts the other way round; and approvals racing allocations on
 * the same cap rows. Every path takes its account locks for the whole transaction in one
 * id-ordered statement (decision 0021), so PostgreSQL never has a deadlock to break and the
 * service never retries one.
 */
describe('crossing trades take their locks in one order: no deadlock, no retry, no 503', () => {
  let t: TestApp;
  let operator: Party;
  let city: Party;
  let a: Party;
  let b: Party;
  let m1: string;
  let m2: string;
  let approval: string;
  let w1: string;
  let w2: string;
  const cashIn = new Decimal('100000.00');
  const allocated = new Map<string, Decimal>();
  let deadlocksBefore: number;

  const fund = async (p: Party, regionCode: string, volume: string, source = 'SURFACE') => {
    const { marketId } = await fundQuota(t, city.apiKey, p, volume, { ...AGRI, regionCode, source });
    allocated.set(marketId, (allocated.get(marketId) ?? new Decimal(0)).plus(volume));
  };

  beforeAll(async () => {
    ({ t, operator, regulators: [city] } = await startTradeScene({ regulators: ['150400'] }));
    m1 = (await openMarket(t, { regionCode: '150421', feeRate: '0.005', approvalMode: 'FILING' })).id;
    m2 = (await openMarket(t, { regionCode: '150422', feeRate: '0.005', approvalMode: 'FILING' })).id;
    approval = (await openMarket(t, { regionCode: '150421', source: 'GROUNDWATER', feeRate: '0.003', approvalMode: 'APPROVAL', autoApproveMaxVolume: null })).id;
    // Markets whose trades wait for approval, one per county: there a sweep locks only what it may move.
    w1 = (await openMarket(t, { regionCode: '150421', source: 'RECLAIMED', feeRate: '0.005', approvalMode: 'APPROVAL', autoApproveMaxVolume: null })).id;
    w2 = (await openMarket(t, { regionCode: '150422', source: 'RECLAIMED', feeRate: '0.005', approvalMode: 'APPROVAL', autoApproveMaxVolume: null })).id;
    [a, b] = await Promise.all([createParticipant(t, 'WATER_USER', '150421'), createParticipant(t, 'IRRIGATION_DISTRICT', '150421')]);
    for (const p of [a, b]) {
      await fundCash(t, p, cashIn.toFixed(2));
      await fund(p, '150421', '100000');
      await fund(p, '150422', '100000');
      await fund(p, '150421', '100000', 'RECLAIMED');
      await fund(p, '150422', '100000', 'RECLAIMED');
    }
    deadlocksBefore = await deadlocks(t);
  });
  afterAll(() => t?.close());

  /**
   * ROUNDS rounds in two markets: A's counterparty in the first is B and B's in the second is
   * A, in opposite directions. Even rounds: BUY takers meet resting SELLs; odd rounds: SELL
   * takers meet resting BUYs. The statuses of the takers' answers, each 201 checked against
   * the trade it should report.
   */
  const crossRounds = async (first: string, second: string, trade: Record<string, unknown>): Promise<number[]> => {
    const statuses: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const price = (1 + (round % 5) / 100).toFixed(2);
      const volume = String(10 + round);
      const takerSide = round % 2 === 0 ? 'BUY' : 'SELL';
      const makerSide = takerSide === 'BUY' ? 'SELL' : 'BUY';
      const [firstMaker, firstTaker] = takerSide === 'BUY' ? [a, b] : [b, a];
      const [secondMaker, secondTaker] = takerSide === 'BUY' ? [b, a] : [a, b];
      expectStatus(await placeOrder(t, firstMaker, first, { side: makerSide, price, volume }), 201);
      expectStatus(await placeOrder(t, secondMaker, second, { side: makerSide, price, volume }), 201);
      const answers = await Promise.all([
        placeOrder(t, firstTaker, first, { side: takerSide, price, volume }),
        placeOrder(t, secondTaker, second, { side: takerSide, price, volume }),
      ]);
      for (const res of answers) {
        statuses.push(res.status);
        if (res.status === 201) expect(res.body.trades).toEqual([expect.objectContaining({ ...trade, volume })]);
      }
    }
    return statuses;
  };

  it('A sells to B in one auto-settling market while B sells to A in the other, the maker on either side, round after round', async () => {
    const statuses = await crossRounds(m1, m2, { status: 'SETTLED', decision: 'FILED' });
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
  });

  it('approvals of trades in both directions race allocations to the same participants on the same cap rows', async () => {
    const trades: string[] = [];
    for (let i = 0; i < 10; i++) {
      const [seller, buyer] = i % 2 === 0 ? [a, b] : [b, a];
      const volume = String(5 + i);
      await fund(seller, '150421', volume, 'GROUNDWATER');
      expectStatus(await placeOrder(t, seller, approval, { side: 'SELL', price: '1.00', volume }), 201);
      const buy = expectStatus(await placeOrder(t, buyer, approval, { side: 'BUY', price: '1.00', volume }), 201);
      expect(buy.body.trades).toEqual([expect.objectContaining({ status: 'PENDING_APPROVAL' })]);
      trades.push(buy.body.trades[0].id);
    }
    const answers = await Promise.all([
      ...trades.map((id) => client(t, city.apiKey).post(`/v1/trades/${id}/approve`, {})),
      // fund() fails loudly on any refusal, so each of these is an answered allocation.
      ...Array.from({ length: 10 }, (_, i) => fund(i % 2 === 0 ? b : a, '150421', String(7 + i), i % 3 === 0 ? 'SURFACE' : 'GROUNDWATER').then(() => ({ status: 201 }))),
    ]);
    expect(answers.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
    for (const id of trades) expect(expectStatus(await client(t, city.apiKey).get(`/v1/trades/${id}`), 200).body.status).toBe('SETTLED');
  });

  it('the same crossing in two markets whose trades wait for approval: every placement answered, every trade pending', async () => {
    const statuses = await crossRounds(w1, w2, { status: 'PENDING_APPROVAL' });
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
  });

  it('where trades wait for approval, a BUY sweep does not lock the sellers it meets: it fills while a seller\'s accounts are held elsewhere', async () => {
    expectStatus(await placeOrder(t, a, w1, { side: 'SELL', price: '1.20', volume: '3' }), 201);
    await withDb(t, async (held) => {
      await held.query('BEGIN');
      // Every account of the seller, locked by another transaction for as long as the BUY takes.
      await held.query('SELECT id FROM ledger_accounts WHERE owner_id = $1 FOR UPDATE', [a.id]);
      try {
        const buy = await Promise.race([
          placeOrder(t, b, w1, { side: 'BUY', price: '1.20', volume: '3' }),
          new Promise<null>((ok) => setTimeout(() => ok(null), 5000)),
        ]);
        expect(buy).not.toBeNull();
        expect(expectStatus(buy!, 201).body.trades).toEqual([expect.objectContaining({ status: 'PENDING_APPROVAL', volume: '3' })]);
      } finally {
        await held.query('ROLLBACK');
      }
    });
  });

  it('PostgreSQL detected no deadlock and the service retried nothing', async () => {
    expect(await counter(t, 'db_transaction_retries_total')).toBe(0);
    // Placements queue in their market's group; the time they waited there is on /metrics.
    expect(await counter(t, 'request_stage_seconds_count{stage="group_queue"}')).toBeGreaterThanOrEqual(ROUNDS);
    expect(await deadlocks(t)).toBe(deadlocksBefore);
  });

  it('conserves cash to the fen and quota to the litre', async () => {
    const [ba, bb, bo] = await Promise.all([balances(t, a), balances(t, b), balances(t, operator)]);
    const cash = [ba, bb].reduce((s, x) => s.plus(x.cash.available).plus(x.cash.locked), new Decimal(0));
    expect(cash.plus(bo.cash.available).plus(bo.cash.locked).toFixed(2)).toBe(cashIn.times(2).toFixed(2));
    expect(new Decimal(bo.cash.available).gt(0)).toBe(true);
    for (const [marketId, volume] of allocated) {
      const held = [ba, bb].reduce((s, x) => s.plus(x.quota(marketId).available).plus(x.quota(marketId).locked), new Decimal(0));
      expect({ marketId, held: held.toString() }).toEqual({ marketId, held: volume.toString() });
    }
    await expectLedgerValid(t);
  });
});
