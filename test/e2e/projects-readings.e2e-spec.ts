import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';
import { TRADING_YEAR } from './support/trading';

describe('contract water-saving: readings, corrections and validation', () => {
  let t: TestApp;
  let company: Party;
  let hospital: Party;
  let regulator: Party;

  const body = (overrides: Record<string, unknown> = {}) => ({
    name: '医院节水改造',
    model: 'BENEFIT_SHARING',
    serviceCompanyId: company.id,
    waterUserId: hospital.id,
    regionCode: '150421',
    source: 'RECLAIMED',
    startDate: '2025-01-01',
    endDate: '2025-12-31',
    waterPrice: '4.00',
    baseline: { method: 'FIXED', volumePerPeriod: '1000' },
    terms: { serviceShare: '0.5' },
    ...overrides,
  });

  const newProject = async (overrides: Record<string, unknown> = {}): Promise<string> => {
    const res = await client(t, company.apiKey).post('/v1/projects', body(overrides));
    expect(res.status).toBe(201);
    return res.body.id;
  };

  const record = (projectId: string, reading: Record<string, unknown>, by: Party = hospital) =>
    client(t, by.apiKey).post(`/v1/projects/${projectId}/readings`, reading);

  const statements = async (projectId: string) => (await client(t, company.apiKey).get(`/v1/projects/${projectId}/statements`)).body.items;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    [company, hospital, regulator] = await Promise.all([
      createParticipant(t, 'SERVICE_COMPANY', '150421'),
      createParticipant(t, 'WATER_USER', '150421'),
      createParticipant(t, 'REGULATOR', '150421'),
    ]);
  });
  afterAll(() => t.close());

  describe('periods', () => {
    it('accepts whole-day periods from the first to the last day of the project, and a volume of "0"', async () => {
      const id = await newProject();
      expect((await record(id, { periodStart: '2025-01-01', periodEnd: '2025-01-01', volume: '0' })).status).toBe(201);
      expect((await record(id, { periodStart: '2025-01-02', periodEnd: '2025-12-31', volume: '1000.000' }, company)).body.volume).toBe('1000');
      const [day, rest] = await statements(id);
      expect(day).toMatchObject({ actualVolume: '0', savedVolume: '1000', savedValue: '4000.00' });
      expect(rest).toMatchObject({ savedVolume: '0', savedValue: '0.00' });
    });

    it('refuses a period sharing even one day with another reading with 409 DUPLICATE', async () => {
      const id = await newProject();
      expect((await record(id, { periodStart: '2025-03-01', periodEnd: '2025-03-31', volume: '900' })).status).toBe(201);
      for (const [periodStart, periodEnd] of [['2025-03-31', '2025-04-30'], ['2025-02-01', '2025-03-01'], ['2025-03-10', '2025-03-12'], ['2025-01-01', '2025-12-31']]) {
        const res = await record(id, { periodStart, periodEnd, volume: '900' });
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('DUPLICATE');
      }
      expect((await record(id, { periodStart: '2025-04-01', periodEnd: '2025-04-30', volume: '900' })).status).toBe(201);
      expect((await record(id, { periodStart: '2025-02-01', periodEnd: '2025-02-28', volume: '900' })).status).toBe(201);
    });

    it('accepts exactly one of several readings sharing a day sent at once', async () => {
      const id = await newProject();
      const results = await Promise.all(
        [['2025-05-01', '2025-05-31'], ['2025-04-15', '2025-05-15'], ['2025-05-01', '2025-05-01'], ['2025-04-20', '2025-05-01']].map(([periodStart, periodEnd], i) =>
          record(id, { periodStart, periodEnd, volume: '500' }, i % 2 ? company : hospital),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(await statements(id)).toHaveLength(1);
    });

    it.each([
      ['periodStart', { periodStart: '2024-12-31', periodEnd: '2025-01-31' }],
      ['periodEnd', { periodStart: '2025-12-01', periodEnd: '2027-01-01' }],
      ['periodEnd', { periodStart: '2025-03-02', periodEnd: '2025-03-01' }],
      ['periodStart', { periodStart: '2025-02-30', periodEnd: '2025-03-01' }],
      ['periodEnd', { periodEnd: '2025-03-01T00:00:00Z' }],
      ['volume', { volume: 900 }],
      ['volume', { volume: '-1' }],
      ['volume', { volume: '1.0001' }],
      ['output', { output: 'lots' }],
      ['supersedes', { supersedes: 'yesterday' }],
      ['colour', { colour: 'blue' }],
    ])('refuses a bad %s with 400 naming it (%j)', async (field, override) => {
      const id = await newProject();
      const res = await record(id, { periodStart: '2025-03-01', periodEnd: '2025-03-31', volume: '900', ...override });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('requires output for an INTENSITY baseline', async () => {
      const id = await newProject({ baseline: { method: 'INTENSITY', intensity: '0.35' } });
      const res = await record(id, { periodStart: '2025-03-01', periodEnd: '2025-03-31', volume: '900' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'output', message: expect.any(String) }]);
      const ok = await record(id, { periodStart: '2025-03-01', periodEnd: '2025-03-31', volume: '900', output: '3000' });
      expect(ok.status).toBe(201);
      expect(ok.body.output).toBe('3000');
      expect((await statements(id))[0]).toMatchObject({ baselineVolume: '1050', savedVolume: '150', savedValue: '600.00' });
    });
  });

  describe('corrections', () => {
    it('replaces a reading with a new one for the same period, keeping the old one marked superseded', async () => {
      const id = await newProject();
      const wrong = await record(id, { periodStart: '2025-01-01', periodEnd: '2025-01-31', volume: '100' });
      await client(t, company.apiKey).post(`/v1/projects/${id}/statements/${wrong.body.statementId}/confirm`);
      const fixed = await record(id, { periodStart: '2025-01-01', periodEnd: '2025-01-31', volume: '800', supersedes: wrong.body.id }, company);
      expect(fixed.status).toBe(201);
      expect(fixed.body).toMatchObject({ volume: '800', supersedes: wrong.body.id, supersededBy: null });

      const readings = (await client(t, hospital.apiKey).get(`/v1/projects/${id}/readings`)).body.items;
      expect(readings.map((r: any) => [r.id, r.supersededBy])).toEqual([[wrong.body.id, fixed.body.id], [fixed.body.id, null]]);
      const [old, current] = await statements(id);
      expect(old).toMatchObject({ id: wrong.body.statementId, savedVolume: '900', superseded: true, confirmedBy: [company.id] });
      expect(current).toMatchObject({ id: fixed.body.statementId, savedVolume: '200', superseded: false, status: 'DRAFT', confirmedBy: [] });
      // Only the correction counts.
      expect((await client(t, hospital.apiKey).get(`/v1/projects/${id}`)).body.totals).toMatchObject({ savedVolume: '200', savedValue: '800.00' });

      const confirmOld = await client(t, hospital.apiKey).post(`/v1/projects/${id}/statements/${old.id}/confirm`);
      expect(confirmOld.status).toBe(409);
      expect(confirmOld.body.code).toBe('INVALID_STATE');
      const again = await record(id, { periodStart: '2025-01-01', periodEnd: '2025-01-31', volume: '700', supersedes: wrong.body.id });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INVALID_STATE');

      const audit = await client(t, regulator.apiKey).get(`/v1/audit?entityType=reading&entityId=${wrong.body.id}`);
      expect(audit.body.items.map((e: any) => e.action)).toEqual(['reading.recorded', 'reading.superseded']);
    });

    it('refuses to supersede a reading whose statement is certified', async () => {
      const id = await newProject();
      const r = await record(id, { periodStart: '2025-02-01', periodEnd: '2025-02-28', volume: '600' });
      for (const p of [company, hospital]) await client(t, p.apiKey).post(`/v1/projects/${id}/statements/${r.body.statementId}/confirm`);
      expect((await client(t, regulator.apiKey).post(`/v1/projects/${id}/statements/${r.body.statementId}/certify`, { year: TRADING_YEAR })).status).toBe(200);
      const res = await record(id, { periodStart: '2025-02-01', periodEnd: '2025-02-28', volume: '650', supersedes: r.body.id });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_STATE');
      expect(await statements(id)).toHaveLength(1);
    });

    it('refuses a correction of another period, or naming no reading of the project, with 400', async () => {
      const id = await newProject();
      const r = await record(id, { periodStart: '2025-02-01', periodEnd: '2025-02-28', volume: '600' });
      const other = await newProject();
      const foreign = await record(other, { periodStart: '2025-02-01', periodEnd: '2025-02-28', volume: '600' });
      for (const [reading, supersedes] of [[{ periodStart: '2025-02-01', periodEnd: '2025-02-27' }, r.body.id], [{ periodStart: '2025-02-01', periodEnd: '2025-02-28' }, foreign.body.id]]) {
        const res = await record(id, { ...(reading as object), volume: '1', supersedes });
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: any) => e.field)).toEqual(['supersedes']);
      }
    });

    it('refuses a certification of a superseded statement', async () => {
      const id = await newProject();
      const r = await record(id, { periodStart: '2025-03-01', periodEnd: '2025-03-31', volume: '600' });
      for (const p of [company, hospital]) await client(t, p.apiKey).post(`/v1/projects/${id}/statements/${r.body.statementId}/confirm`);
      expect((await record(id, { periodStart: '2025-03-01', periodEnd: '2025-03-31', volume: '650', supersedes: r.body.id })).status).toBe(201);
      const res = await client(t, regulator.apiKey).post(`/v1/projects/${id}/statements/${r.body.statementId}/certify`, { year: TRADING_YEAR });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_STATE');
    });
  });

  describe('project validation', () => {
    it.each([
      ['name', { name: '' }],
      ['model', { model: 'ENERGY_SAVING' }],
      ['serviceCompanyId', { serviceCompanyId: 'acme' }],
      ['regionCode', { regionCode: '1504' }],
      ['source', { source: 'SEAWATER' }],
      ['startDate', { startDate: '2025-02-30' }],
      ['endDate', { endDate: '2024-12-31' }],
      ['waterPrice', { waterPrice: 4 }],
      ['waterPrice', { waterPrice: '0' }],
      ['waterPrice', { waterPrice: '4.00001' }],
      ['baseline', { baseline: 'FIXED' }],
      ['baseline.method', { baseline: { method: 'AVERAGE', volumePerPeriod: '1000' } }],
      ['baseline.volumePerPeriod', { baseline: { method: 'FIXED' } }],
      ['baseline.volumePerPeriod', { baseline: { method: 'FIXED', volumePerPeriod: '0' } }],
      ['baseline.intensity', { baseline: { method: 'FIXED', volumePerPeriod: '1000', intensity: '2' } }],
      ['baseline.intensity', { baseline: { method: 'INTENSITY' } }],
      ['baseline.intensity', { baseline: { method: 'INTENSITY', intensity: '0.0000001' } }],
      ['baseline.colour', { baseline: { method: 'FIXED', volumePerPeriod: '1000', colour: 'blue' } }],
      ['terms', { terms: undefined }],
      ['terms.serviceShare', { terms: {} }],
      ['terms.serviceShare', { terms: { serviceShare: '0' } }],
      ['terms.serviceShare', { terms: { serviceShare: '1.5' } }],
      ['terms.serviceShare', { terms: { serviceShare: 0.5 } }],
      ['terms.guaranteedSaving', { model: 'GUARANTEED_SAVING', terms: { shortfallPrice: '4' } }],
      ['terms.shortfallPrice', { model: 'GUARANTEED_SAVING', terms: { guaranteedSaving: '0.15' } }],
      ['terms.guaranteedSaving', { model: 'GUARANTEED_SAVING', terms: { guaranteedSaving: '1', shortfallPrice: '4' } }],
      ['terms.excessServiceShare', { model: 'GUARANTEED_SAVING', terms: { guaranteedSaving: '0.15', shortfallPrice: '4', excessServiceShare: '1.1' } }],
      ['terms.hostingFeePerPeriod', { model: 'COST_HOSTING', terms: {} }],
      ['terms.hostingFeePerPeriod', { model: 'COST_HOSTING', terms: { hostingFeePerPeriod: '10.001' } }],
      ['terms.colour', { terms: { serviceShare: '0.5', colour: 'blue' } }],
      ['colour', { colour: 'blue' }],
    ])('refuses a bad %s with 400 naming it (%j)', async (field, override) => {
      const res = await client(t, company.apiKey).post('/v1/projects', body(override));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('lists every missing term of the model at once', async () => {
      const res = await client(t, company.apiKey).post('/v1/projects', body({ model: 'GUARANTEED_SAVING', terms: {} }));
      expect(res.body.errors.map((e: any) => e.field).sort()).toEqual(['terms.guaranteedSaving', 'terms.shortfallPrice']);
    });

    it('refuses parties of the wrong kind and regions that do not exist', async () => {
      const cases: Array<[string, Record<string, unknown>]> = [
        ['serviceCompanyId', { serviceCompanyId: hospital.id }],
        ['waterUserId', { waterUserId: company.id }],
        ['waterUserId', { waterUserId: regulator.id }],
        ['regionCode', { regionCode: '159999' }],
      ];
      for (const [field, override] of cases) {
        const res = await client(t, company.apiKey).post('/v1/projects', body(override));
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: any) => e.field)).toEqual([field]);
      }
    });

    it('accepts terms another model would need and a single-day project', async () => {
      const res = await client(t, hospital.apiKey).post('/v1/projects', body({ startDate: '2025-05-01', endDate: '2025-05-01', terms: { serviceShare: '1', hostingFeePerPeriod: '0' } }));
      expect(res.status).toBe(201);
      expect(res.body.terms).toMatchObject({ serviceShare: '1', hostingFeePerPeriod: '0.00' });
    });
  });
});
