import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';

const FIGURES = ['baselineVolume', 'actualVolume', 'savedVolume', 'savedValue', 'serviceCompanyAmount', 'waterUserAmount', 'shortfallVolume', 'compensation'] as const;

/** The figures of a statement only, so each case reads like the worked example it checks. */
const figuresOf = (statement: Record<string, unknown>) => Object.fromEntries(FIGURES.map((f) => [f, statement[f]]));

describe('contract water-saving: the worked examples of DOMAIN.md through the API', () => {
  let t: TestApp;
  let company: Party;
  let school: Party;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    [company, school] = await Promise.all([createParticipant(t, 'SERVICE_COMPANY', '150421'), createParticipant(t, 'WATER_USER', '150421')]);
  });
  afterAll(() => t.close());

  /** Registers a project, records one reading and returns its statement and the project's totals. */
  const statementFor = async (terms: Record<string, unknown>, reading: Record<string, unknown>) => {
    const p = await client(t, school.apiKey).post('/v1/projects', {
      name: '学校节水改造',
      serviceCompanyId: company.id,
      waterUserId: school.id,
      regionCode: '150421',
      source: 'SURFACE',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      ...terms,
    });
    expect(p.status).toBe(201);
    const r = await client(t, company.apiKey).post(`/v1/projects/${p.body.id}/readings`, { periodStart: '2026-01-01', periodEnd: '2026-03-31', ...reading });
    expect(r.status).toBe(201);
    const statements = await client(t, school.apiKey).get(`/v1/projects/${p.body.id}/statements`);
    expect(statements.body.items).toHaveLength(1);
    const totals = (await client(t, company.apiKey).get(`/v1/projects/${p.body.id}`)).body.totals;
    return { statement: statements.body.items[0], totals };
  };

  it('1. BENEFIT_SHARING, FIXED 100 000, reading 80 000, price 4.00, share 0.70', async () => {
    const { statement, totals } = await statementFor(
      { model: 'BENEFIT_SHARING', waterPrice: '4.00', baseline: { method: 'FIXED', volumePerPeriod: '100000' }, terms: { serviceShare: '0.70' } },
      { volume: '80000' },
    );
    expect(figuresOf(statement)).toEqual({
      baselineVolume: '100000',
      actualVolume: '80000',
      savedVolume: '20000',
      savedValue: '80000.00',
      serviceCompanyAmount: '56000.00',
      waterUserAmount: '24000.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
    expect(totals).toEqual({ savedVolume: '20000', savedValue: '80000.00', serviceCompanyAmount: '56000.00', waterUserAmount: '24000.00', compensation: '0.00', certifiedVolume: '0' });
  });

  it('2. GUARANTEED_SAVING, FIXED 100 000, guaranteed 0.15, shortfall price 4.00, water price 4.00, reading 90 000', async () => {
    const { statement, totals } = await statementFor(
      {
        model: 'GUARANTEED_SAVING',
        waterPrice: '4.00',
        baseline: { method: 'FIXED', volumePerPeriod: '100000' },
        terms: { guaranteedSaving: '0.15', shortfallPrice: '4.00' },
      },
      { volume: '90000' },
    );
    expect(figuresOf(statement)).toEqual({
      baselineVolume: '100000',
      actualVolume: '90000',
      savedVolume: '10000',
      savedValue: '40000.00',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '40000.00',
      shortfallVolume: '5000',
      compensation: '20000.00',
    });
    expect(totals).toMatchObject({ savedVolume: '10000', compensation: '20000.00', waterUserAmount: '40000.00' });
  });

  it('3. BENEFIT_SHARING, INTENSITY 2.0 m³/unit, output 30 000, reading 50 000, price 3.50, share 0.6', async () => {
    const { statement } = await statementFor(
      { model: 'BENEFIT_SHARING', waterPrice: '3.50', baseline: { method: 'INTENSITY', intensity: '2.0' }, terms: { serviceShare: '0.6' } },
      { volume: '50000', output: '30000' },
    );
    expect(figuresOf(statement)).toEqual({
      baselineVolume: '60000',
      actualVolume: '50000',
      savedVolume: '10000',
      savedValue: '35000.00',
      serviceCompanyAmount: '21000.00',
      waterUserAmount: '14000.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('splits savings beyond the guarantee by excessServiceShare', async () => {
    const { statement } = await statementFor(
      {
        model: 'GUARANTEED_SAVING',
        waterPrice: '4.00',
        baseline: { method: 'FIXED', volumePerPeriod: '100000' },
        terms: { guaranteedSaving: '0.15', shortfallPrice: '4.00', excessServiceShare: '0.5' },
      },
      { volume: '75000' },
    );
    // S 25 000, G 15 000: 10 000 m³ beyond the guarantee, half its value to the company.
    expect(figuresOf(statement)).toMatchObject({ savedVolume: '25000', savedValue: '100000.00', shortfallVolume: '0', compensation: '0.00', serviceCompanyAmount: '20000.00', waterUserAmount: '80000.00' });
  });

  it('reports a cost-hosting loss as a negative amount for the service company', async () => {
    const { statement, totals } = await statementFor(
      { model: 'COST_HOSTING', waterPrice: '4.00', baseline: { method: 'FIXED', volumePerPeriod: '100000' }, terms: { hostingFeePerPeriod: '380000' } },
      { volume: '100000.5' },
    );
    expect(figuresOf(statement)).toEqual({
      baselineVolume: '100000',
      actualVolume: '100000.5',
      savedVolume: '-0.5',
      savedValue: '0.00',
      serviceCompanyAmount: '-20002.00',
      waterUserAmount: '20000.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
    expect(totals).toMatchObject({ savedVolume: '0', serviceCompanyAmount: '-20002.00', waterUserAmount: '20000.00' });
  });

  it('gives an INTENSITY baseline of 0 when nothing was produced, so any use is negative savings', async () => {
    const { statement } = await statementFor(
      { model: 'GUARANTEED_SAVING', waterPrice: '4.00', baseline: { method: 'INTENSITY', intensity: '2.0' }, terms: { guaranteedSaving: '0.15', shortfallPrice: '4.00' } },
      { volume: '120', output: '0' },
    );
    expect(figuresOf(statement)).toEqual({
      baselineVolume: '0',
      actualVolume: '120',
      savedVolume: '-120',
      savedValue: '0.00',
      serviceCompanyAmount: '0.00',
      waterUserAmount: '0.00',
      shortfallVolume: '0',
      compensation: '0.00',
    });
  });

  it('rounds half a fen up', async () => {
    // S 0.001 m³ × 5.0000 CNY = 0.005 → 0.01; the company's 0.5 share of 0.01 → 0.01, the user keeps 0.00.
    const { statement } = await statementFor(
      { model: 'BENEFIT_SHARING', waterPrice: '5', baseline: { method: 'FIXED', volumePerPeriod: '10' }, terms: { serviceShare: '0.5' } },
      { volume: '9.999' },
    );
    expect(figuresOf(statement)).toMatchObject({ savedVolume: '0.001', savedValue: '0.01', serviceCompanyAmount: '0.01', waterUserAmount: '0.00' });
  });
});
