import { createParticipant, Party } from './support/fixtures';
import { NEXT_YEAR, registerRight } from './support/long-term';
import { at, dueAt, expectConserved, tally, together, untilDecided } from './support/races';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { auditOf, balances, cross, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, openMarket, placeOrder } from './support/trading';


/**
 * Decisions that race each other: a cancel against the fill that ends the order; approve,
 * reject and the expiry job on one trade; approve against reject on a transfer of rights.
 * Each object ends in exactly one outcome, recorded once in the audit log.
 */
describe('races between decisions', () => {
  let t: TestApp;
  let city: Party;
  let province: Party;
  beforeAll(async () => {
    ({ t, regulators: [city, province] } = await startTradeScene({ regulators: ['150400', '150000'], app: { expiryIntervalMs: 100 } }));
  });
  afterAll(() => t.close());
  afterEach(() => expectConserved(t));

  it('10 cancels racing 10 crossing IOC buys: each sell is either cancelled untouched or filled, never both', async () => {
    const market = await openMarket(t, { regionCode: '150421', approvalMode: 'FILING' });
    const seller = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
    const buyers = await Promise.all(Array.from({ length: 10 }, () => createParticipant(t, 'IRRIGATION_DISTRICT', '150421')));
    await fundQuota(t, city.apiKey, seller, '100', { useType: 'AGRICULTURE' });
    for (const b of buyers) await fundCash(t, b, '20.00');
    const sells = [];
    for (let i = 0; i < 10; i++) sells.push(expectStatus(await placeOrder(t, seller, market.id, { side: 'SELL', price: '1.00', volume: '10' }), 201).body);
    const answers = await together([
      ...sells.map((s) => () => client(t, seller.apiKey).delete(`/v1/orders/${s.id}`)),
      ...buyers.map((b) => () => placeOrder(t, b, market.id, { side: 'BUY', price: '1.00', volume: '10', timeInForce: 'IOC' })),
    ]);
    const cancels = answers.slice(0, 10);
    const buys = answers.slice(10);
    for (const b of buys) expect(b.status).toBe(201);
    let cancelled = 0;
    for (const [i, sell] of sells.entries()) {
      const after = expectStatus(await client(t, seller.apiKey).get(`/v1/orders/${sell.id}`), 200).body;
      if (cancels[i].status === 200) {
        cancelled++;
        expect([after.status, after.filledVolume, after.trades]).toEqual(['CANCELLED', '0', []]);
      } else {
        expect([cancels[i].status, cancels[i].body.code, after.status, after.trades.length]).toEqual([409, 'INVALID_STATE', 'FILLED', 1]);
      }
    }
    // Every buy filled what the cancels left, no more: the IOCs that missed were cancelled whole.
    const filled = buys.filter((b) => b.body.status === 'FILLED').length;
    expect(filled).toBe(10 - cancelled);
    expect(buys.filter((b) => b.body.status !== 'FILLED').every((b) => b.body.status === 'CANCELLED' && b.body.trades.length === 0)).toBe(true);
    const book = expectStatus(await client(t, seller.apiKey).get(`/v1/markets/${market.id}/book`), 200).body;
    expect([book.bids, book.asks]).toEqual([[], []]);
    expect((await balances(t, seller)).quota(market.id)).toEqual({ available: String(100 - 10 * filled), locked: '0' });
  });

  it('approve, reject and the expiry job racing on 8 trades: each ends once, approved, rejected or expired', async () => {
    const market = await openMarket(t, { regionCode: '150422', feeRate: '0.005' });
    const seller = await createParticipant(t, 'ENTERPRISE', '150422');
    const buyer = await createParticipant(t, 'ENTERPRISE', '150422');
    await fundQuota(t, city.apiKey, seller, '80');
    await fundCash(t, buyer, '200.00');
    const trades = [];
    for (let i = 0; i < 8; i++) trades.push(await cross(t, market.id, seller, buyer, '1.50', '10'));
    // The decisions leave at `start`; the trades fall due from a little before it to well after: the job runs every 100 ms.
    const start = Date.now() + 400;
    await dueAt(t, 'trades', trades.map((x) => x.id), trades.map((_, i) => start + (i - 2) * 120));
    const rounds = await Promise.all(trades.map((trade, i) => at(start, () => {
      const decisions = [
        () => client(t, city.apiKey).post(`/v1/trades/${trade.id}/approve`, {}),
        () => client(t, city.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: 'race' }),
        () => client(t, province.apiKey).post(`/v1/trades/${trade.id}/approve`, {}),
        () => client(t, province.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: 'race' }),
      ];
      // Each trade sees the decisions sent in another order, so either kind may arrive first.
      return together([...decisions.slice(i % 4), ...decisions.slice(0, i % 4)]);
    })));
    const outcomes: string[] = [];
    for (const [i, trade] of trades.entries()) {
      const answers = rounds[i];
      // Whatever no decision took, the job expires.
      const after = await untilDecided(t, `/v1/trades/${trade.id}`);
      const won = answers.filter((a) => a.status === 200);
      for (const a of answers.filter((x) => x.status !== 200)) expect([a.status, a.body.code]).toEqual([409, 'INVALID_STATE']);
      expect(won.length).toBeLessThanOrEqual(1);
      if (won.length === 1) expect([won[0].body.status, won[0].body.decision]).toEqual([after.status, after.decision]);
      else expect([after.status, after.decision]).toEqual(['REJECTED', 'EXPIRED']);
      const decided = (await auditOf(t, 'trade', trade.id)).filter((e) => ['trade.settled', 'trade.rejected', 'trade.expired'].includes(e.action));
      expect(decided).toHaveLength(1);
      outcomes.push(after.decision);
    }
    const settled = outcomes.filter((d) => d === 'APPROVED').length;
    // No escrow is left behind: the seller holds what it did not sell, the buyer what it did not pay.
    const s = await balances(t, seller);
    const b = await balances(t, buyer);
    expect([s.quota(market.id).locked, b.cash.locked]).toEqual(['0', '0.00']);
    expect(s.quota(market.id).available).toBe(String(80 - 10 * settled));
    expect(b.quota(market.id).available).toBe(String(10 * settled));
  });

  it('a transfer of rights approved and rejected at once by two regulators: one decision, one new right at most', async () => {
    const district = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
    const factory = await createParticipant(t, 'ENTERPRISE', '150422');
    await fundCash(t, factory, '10000.00');
    const right = await registerRight(t, city, district, { annualVolume: '50000' });
    const rounds = [];
    for (let i = 0; i < 4; i++) {
      const proposed = expectStatus(await client(t, district.apiKey).post('/v1/right-transfers', { rightId: right.id, buyerId: factory.id, volumePerYear: '1000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, price: '0.50' }), 201).body;
      expectStatus(await client(t, factory.apiKey).post(`/v1/right-transfers/${proposed.id}/accept`), 200);
      rounds.push({ id: proposed.id, answers: await together([
        () => client(t, city.apiKey).post(`/v1/right-transfers/${proposed.id}/approve`, {}),
        () => client(t, province.apiKey).post(`/v1/right-transfers/${proposed.id}/reject`, { reason: 'race' }),
        () => client(t, province.apiKey).post(`/v1/right-transfers/${proposed.id}/approve`, { comment: 'race' }),
        () => client(t, city.apiKey).post(`/v1/right-transfers/${proposed.id}/reject`, { reason: 'race' }),
      ]) });
    }
    let approved = 0;
    for (const { id, answers } of rounds) {
      expect(tally(answers)).toEqual({ 200: 1, 409: 3 });
      for (const a of answers.filter((x) => x.status !== 200)) expect(a.body.code).toBe('INVALID_STATE');
      const after = expectStatus(await client(t, t.adminKey).get(`/v1/right-transfers/${id}`), 200).body;
      const winner = answers.find((a) => a.status === 200)!.body;
      expect([after.status, after.decision]).toEqual([winner.status, winner.decision]);
      if (after.decision === 'APPROVED') approved++;
      expect(after.newRightId === null).toBe(after.decision !== 'APPROVED');
    }
    const [{ children }] = await sql<{ children: string }>(t, `SELECT count(*)::text AS children FROM rights WHERE parent_right_id = $1`, [right.id]);
    expect(Number(children)).toBe(approved);
    const cash = (await balances(t, factory)).cash;
    expect([cash.available, cash.locked]).toEqual([(10000 - 500 * approved).toFixed(2), '0.00']);
  });
});
