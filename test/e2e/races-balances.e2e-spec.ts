import { fen, litres } from '../support/load/units';
import { createParticipant, Party } from './support/fixtures';
import { registerRight, setCap } from './support/long-term';
import { expectConserved, expectLosers, tally, together } from './support/races';
import { countRows, sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { expectStatus, startTradeScene } from './support/trade-scene';
import { balancesOf, fundCash, fundQuota, openMarket, placeOrder, quotaOf, TRADING_YEAR } from './support/trading';

/**
 * Many requests at once against one balance, one headroom or one Idempotency-Key: each
 * race ends in exactly the outcome a serial run allows, and the books prove it.
 */
describe('races on one balance', () => {
  let t: TestApp;
  let city: Party;
  beforeAll(async () => {
    ({ t, regulators: [city] } = await startTradeScene({ regulators: ['150400'] }));
  });
  afterAll(() => t.close());
  afterEach(() => expectConserved(t));

  it('24 concurrent SELLs of 70 m³ against 1 000 m³ rest 14 orders and refuse 10, never overselling', async () => {
    const market = await openMarket(t, { regionCode: '150421' });
    const seller = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundQuota(t, city.apiKey, seller, '1000');
    const answers = await together(Array.from({ length: 24 }, (_, i) => () => placeOrder(t, seller, market.id, { side: 'SELL', price: `3.${10 + i}`, volume: '70' })));
    expect(tally(answers)).toEqual({ 201: 14, 409: 10 });
    expectLosers(answers, 201, 'INSUFFICIENT_QUOTA');
    expect(await quotaOf(t, seller, market.id)).toEqual({ available: '20', locked: '980' });
    expect(await countRows(t, `orders WHERE participant_id = '${seller.id}'`)).toBe(14);
  });

  it('12 concurrent withdrawals of 90.00 against 1 000.00 pay out 11 and refuse one', async () => {
    const user = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundCash(t, user, '1000.00');
    const answers = await together(Array.from({ length: 12 }, () => () => client(t, user.apiKey).post(`/v1/participants/${user.id}/withdrawals`, { amount: '90.00' })));
    expect(tally(answers)).toEqual({ 201: 11, 409: 1 });
    expectLosers(answers, 201, 'INSUFFICIENT_FUNDS');
    expect((await balancesOf(t, user)).cash).toEqual({ available: '10.00', locked: '0.00' });
    expect(await countRows(t, `withdrawals WHERE participant_id = '${user.id}'`)).toBe(11);
  });

  it('withdrawals racing a BUY order for the same cash: what is locked plus what is paid out never exceeds the deposit', async () => {
    const market = await openMarket(t, { regionCode: '150421', source: 'RECLAIMED' });
    const user = await createParticipant(t, 'ENTERPRISE', '150421');
    await fundCash(t, user, '500.00');
    const answers = await together([
      ...Array.from({ length: 4 }, () => () => client(t, user.apiKey).post(`/v1/participants/${user.id}/withdrawals`, { amount: '100.00' })),
      ...Array.from({ length: 4 }, () => () => placeOrder(t, user, market.id, { side: 'BUY', price: '1.00', volume: '100' })),
    ]);
    const accepted = answers.filter((a) => a.status === 201).length;
    expect(accepted).toBe(5);
    for (const a of answers.filter((x) => x.status !== 201)) expect([a.status, a.body.code]).toEqual([409, 'INSUFFICIENT_FUNDS']);
    const cash = (await balancesOf(t, user)).cash;
    const [{ paid }] = await sql<{ paid: string }>(t, `SELECT coalesce(sum(amount), 0)::text AS paid FROM withdrawals WHERE participant_id = $1`, [user.id]);
    expect(fen(cash.available) + fen(cash.locked) + fen(paid)).toBe(fen('500.00'));
    expect(fen(cash.available)).toBe(0n);
  });

  it('allocations racing for one region\'s headroom: exactly as many fit as the cap allows, and headroom never goes below zero', async () => {
    await setCap(t, '150422', TRADING_YEAR, '1000');
    const holders = await Promise.all(Array.from({ length: 6 }, () => createParticipant(t, 'ENTERPRISE', '150422')));
    const rights = [];
    for (const h of holders) rights.push(await registerRight(t, city, h, { annualVolume: '300', useType: 'INDUSTRY'}));
    const answers = await together(rights.map((r) => () => client(t, city.apiKey).post(`/v1/rights/${r.id}/allocations`, { year: TRADING_YEAR, volume: '300' })));
    expect(tally(answers)).toEqual({ 201: 3, 409: 3 });
    expectLosers(answers, 201, 'CAP_EXCEEDED');
    const cap = expectStatus(await client(t, city.apiKey).get(`/v1/regions/150422/caps/${TRADING_YEAR}`), 200).body;
    expect([litres(cap.allocated), litres(cap.headroom)]).toEqual([litres('900'), litres('100')]);
  });

  it('allocations racing for one right\'s annual volume: the right is never allocated beyond it', async () => {
    const holder = await createParticipant(t, 'ENTERPRISE', '150421');
    const right = await registerRight(t, city, holder, { annualVolume: '500', useType: 'INDUSTRY' });
    const answers = await together(Array.from({ length: 8 }, () => () => client(t, city.apiKey).post(`/v1/rights/${right.id}/allocations`, { year: TRADING_YEAR, volume: '120' })));
    expect(tally(answers)).toEqual({ 201: 4, 409: 4 });
    expectLosers(answers, 201, 'CAP_EXCEEDED');
    const [{ total }] = await sql<{ total: string }>(t, `SELECT sum(volume)::text AS total FROM allocations WHERE right_id = $1`, [right.id]);
    expect(total).toBe('480.000');
  });

  describe('the same Idempotency-Key sent 8 times at once', () => {
    const duplicates = (send: () => Promise<{ status: number; body: any; headers: Record<string, string> }>) => together(Array.from({ length: 8 }, () => send));

    /** One effect, one first answer and seven replays of it, byte for byte. */
    function expectOneEffect(answers: Array<{ status: number; body: any; headers: Record<string, string> }>, status: number) {
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(status));
      for (const a of answers) expect(a.body).toEqual(answers[0].body);
      expect(answers.filter((a) => a.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    }

    it('records one deposit', async () => {
      const user = await createParticipant(t, 'ENTERPRISE', '150421');
      const answers = await duplicates(() => client(t, t.adminKey).post(`/v1/participants/${user.id}/deposits`, { amount: '250.00', reference: `RACE-DUP-${user.id}` }, { 'Idempotency-Key': `dep-${user.id}` }));
      expectOneEffect(answers, 201);
      expect(await countRows(t, `deposits WHERE participant_id = '${user.id}'`)).toBe(1);
      expect((await balancesOf(t, user)).cash.available).toBe('250.00');
    });

    it('pays out one withdrawal', async () => {
      const user = await createParticipant(t, 'ENTERPRISE', '150421');
      await fundCash(t, user, '100.00');
      const answers = await duplicates(() => client(t, user.apiKey).post(`/v1/participants/${user.id}/withdrawals`, { amount: '60.00' }, { 'Idempotency-Key': `wd-${user.id}` }));
      expectOneEffect(answers, 201);
      expect(await countRows(t, `withdrawals WHERE participant_id = '${user.id}'`)).toBe(1);
      expect((await balancesOf(t, user)).cash.available).toBe('40.00');
    });

    it('places one order, and replays a refusal the same way', async () => {
      const market = await openMarket(t, { regionCode: '150421', source: 'MINE_WATER' });
      const user = await createParticipant(t, 'ENTERPRISE', '150421');
      await fundCash(t, user, '100.00');
      const placed = await duplicates(() => client(t, user.apiKey).post(`/v1/markets/${market.id}/orders`, { side: 'BUY', price: '0.50', volume: '100' }, { 'Idempotency-Key': `ord-${user.id}` }));
      expectOneEffect(placed, 201);
      expect(await countRows(t, `orders WHERE participant_id = '${user.id}'`)).toBe(1);
      const refused = await duplicates(() => client(t, user.apiKey).post(`/v1/markets/${market.id}/orders`, { side: 'BUY', price: '5.00', volume: '100' }, { 'Idempotency-Key': `ord2-${user.id}` }));
      expectOneEffect(refused, 409);
      expect(refused[0].body.code).toBe('INSUFFICIENT_FUNDS');
      expect(await countRows(t, `orders WHERE participant_id = '${user.id}'`)).toBe(1);
    });
  });
});
