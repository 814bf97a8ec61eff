import { randomUUID } from 'node:crypto';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { expectProblem } from './support/problem';
import { balancesOf, expectLedgerValid, quotaOf, TRADING_YEAR as Y } from './support/trading';
import { client, startTestApp, TestApp } from './support/test-app';

/**
 * The books hold less than 10^15 of each asset in all (docs/domain.md, Ledger): the
 * largest figure a contract decimal carries. This suite fills its own database to the
 * ceiling, so it shares it with no other.
 */
describe('what the books may hold in all: under 10^15 CNY, and 10^15 m³ of each instrument', () => {
  let t: TestApp;
  let county: Party; // 150421
  let rich: Party;
  let other: Party;

  const op = () => client(t, t.adminKey);
  const deposit = (p: Party, amount: string, reference = `BANK-${randomUUID()}`) =>
    op().post(`/v1/participants/${p.id}/deposits`, { amount, reference });
  const expectRefusedAtCeiling = (res: Parameters<typeof expectProblem>[0], unit: string) => {
    expectProblem(res, 409, 'CHECK_FAILED');
    expect(res.body.detail).toContain(`10^15 ${unit} or more in all`);
  };

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    [county, rich, other] = await Promise.all([
      createParticipant(t, 'REGULATOR', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
    ]);
  });
  afterAll(() => t.close());

  it('credits cash up to the last fen under 10^15 CNY in all, refuses the fen past it, and writes nothing for the refusal', async () => {
    expect((await deposit(rich, '999999999999999.99')).status).toBe(201);
    expect((await balancesOf(t, rich)).cash.available).toBe('999999999999999.99');

    const refused = await deposit(other, '0.01', 'BANK-OVER-1');
    expectRefusedAtCeiling(refused, 'CNY');
    expect((await balancesOf(t, other)).cash).toEqual({ available: '0.00', locked: '0.00' });
    const ledger = await op().get(`/v1/participants/${other.id}/ledger`);
    expect(ledger.body.items).toEqual([]);

    // Money paid out makes room again; the refused line was never recorded, so its reference is free.
    expect((await client(t, rich.apiKey).post(`/v1/participants/${rich.id}/withdrawals`, { amount: '0.05' })).status).toBe(201);
    expect((await deposit(other, '0.01', 'BANK-OVER-1')).status).toBe(201);
    expect((await balancesOf(t, other)).cash.available).toBe('0.01');
    await expectLedgerValid(t);
  });

  it('lets exactly as many concurrent deposits through as fit under the ceiling', async () => {
    // 0.04 CNY of room is left after the case above (0.05 paid out, 0.01 credited).
    const results = await Promise.all(Array.from({ length: 10 }, () => deposit(other, '0.01')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expectRefusedAtCeiling(r, 'CNY');
    expect((await balancesOf(t, other)).cash.available).toBe('0.05');
    await expectLedgerValid(t);
  });

  it('issues an instrument\'s quota up to the ceiling over several rights, and refuses the allocation past it', async () => {
    const right = async (permitNo: string) => {
      const res = await client(t, county.apiKey).post('/v1/rights', {
        holderId: rich.id, regionCode: '150421', source: 'SURFACE', useType: 'INDUSTRY', annualVolume: '999999999999999',
        validFrom: `${Y}-01-01`, validTo: `${Y}-12-31`, permitNo,
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const allocate = (rightId: string, volume: string) => client(t, county.apiKey).post(`/v1/rights/${rightId}/allocations`, { year: Y, volume });
    const [first, second] = [await right(`CEIL-${process.pid}-1`), await right(`CEIL-${process.pid}-2`)];
    const marketId = `150421-SURFACE-${Y}`;

    expect((await allocate(first, '600000000000000')).status).toBe(201);
    expectRefusedAtCeiling(await allocate(second, '400000000000000'), 'm³');
    const quota = async () => (await quotaOf(t, rich, marketId)).available;
    expect(await quota()).toBe('600000000000000');
    // The refused allocation counted nowhere: the right's year still has its whole volume, and the instrument its last litre.
    expect((await allocate(second, '399999999999999.999')).status).toBe(201);
    expect(await quota()).toBe('999999999999999.999');
    // Another instrument has a ceiling of its own.
    const reclaimed = await client(t, county.apiKey).post('/v1/rights', {
      holderId: rich.id, regionCode: '150421', source: 'RECLAIMED', useType: 'INDUSTRY', annualVolume: '1000',
      validFrom: `${Y}-01-01`, validTo: `${Y}-12-31`, permitNo: `CEIL-${process.pid}-3`,
    });
    expect(reclaimed.status).toBe(201);
    expect((await allocate(reclaimed.body.id, '1000')).status).toBe(201);
    await expectLedgerValid(t);
  });
});
