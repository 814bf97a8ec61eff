import { randomUUID } from 'node:crypto';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';
import { TRADING_YEAR } from './support/trading';

describe('contract water-saving: who may see and act on a project', () => {
  let t: TestApp;
  let company: Party;
  let plant: Party;
  let otherEnterprise: Party;
  let otherCompany: Party;
  let county: Party; // 150421, the project's county
  let city: Party; // 150400, above it
  let otherCounty: Party; // 150422, a sibling
  let baotou: Party; // 150200, another city
  let projectId: string;
  let statementId: string;
  let companyProject: string; // registered by the service company, same parties

  const body = (overrides: Record<string, unknown> = {}) => ({
    name: '灌区渠道衬砌',
    model: 'BENEFIT_SHARING',
    serviceCompanyId: company.id,
    waterUserId: plant.id,
    regionCode: '150421',
    source: 'SURFACE',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    waterPrice: '1.20',
    baseline: { method: 'FIXED', volumePerPeriod: '500000' },
    terms: { serviceShare: '0.8' },
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    [company, plant, otherEnterprise, otherCompany, county, city, otherCounty, baotou] = await Promise.all([
      createParticipant(t, 'SERVICE_COMPANY', '150400'),
      createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
      createParticipant(t, 'ENTERPRISE', '150422'), // the sibling county's, water user of the COST_HOSTING project there
      createParticipant(t, 'SERVICE_COMPANY', '150421'),
      createParticipant(t, 'REGULATOR', '150421'),
      createParticipant(t, 'REGULATOR', '150400'),
      createParticipant(t, 'REGULATOR', '150422'),
      createParticipant(t, 'REGULATOR', '150200'),
    ]);
    const p = await client(t, plant.apiKey).post('/v1/projects', body());
    expect(p.status).toBe(201);
    projectId = p.body.id;
    const r = await client(t, plant.apiKey).post(`/v1/projects/${projectId}/readings`, { periodStart: '2026-01-01', periodEnd: '2026-06-30', volume: '400000' });
    statementId = r.body.statementId;
    for (const party of [company, plant]) await client(t, party.apiKey).post(`/v1/projects/${projectId}/statements/${statementId}/confirm`);
  });
  afterAll(() => t.close());

  it('shows the project to its parties, the operator and regulators with jurisdiction', async () => {
    for (const key of [company.apiKey, plant.apiKey, t.adminKey, county.apiKey, city.apiKey]) {
      const res = await client(t, key).get(`/v1/projects/${projectId}`);
      expect(res.status).toBe(200);
      expect(res.body.totals.savedVolume).toBe('100000');
      expect((await client(t, key).get(`/v1/projects/${projectId}/statements`)).status).toBe(200);
      expect((await client(t, key).get(`/v1/projects/${projectId}/readings`)).status).toBe(200);
    }
  });

  it('answers 404 to a stranger, another enterprise or service company, and a regulator outside the region', async () => {
    for (const p of [otherEnterprise, otherCompany, otherCounty, baotou]) {
      for (const path of [`/v1/projects/${projectId}`, `/v1/projects/${projectId}/statements`, `/v1/projects/${projectId}/readings`]) {
        const res = await client(t, p.apiKey).get(path);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
    }
    expect((await client(t, otherEnterprise.apiKey).post(`/v1/projects/${projectId}/readings`, { periodStart: '2026-07-01', periodEnd: '2026-07-31', volume: '1' })).status).toBe(404);
    expect((await client(t, otherCompany.apiKey).post(`/v1/projects/${projectId}/statements/${statementId}/confirm`)).status).toBe(404);
    expect((await client(t).get(`/v1/projects/${projectId}`)).status).toBe(401);
  });

  it('lets only a regulator with jurisdiction certify (403 for everyone else)', async () => {
    for (const p of [otherEnterprise, otherCounty, baotou, plant, company]) {
      const res = await client(t, p.apiKey).post(`/v1/projects/${projectId}/statements/${statementId}/certify`, { year: TRADING_YEAR });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect((await client(t, t.adminKey).post(`/v1/projects/${projectId}/statements/${statementId}/certify`, { year: TRADING_YEAR })).status).toBe(403);
    const byCity = await client(t, city.apiKey).post(`/v1/projects/${projectId}/statements/${statementId}/certify`, { year: TRADING_YEAR });
    expect(byCity.status).toBe(200);
    expect(byCity.body.certifiedBy).toBe(city.id);
  });

  it('keeps readings and confirmations to the parties (403 for regulators and the operator)', async () => {
    for (const key of [county.apiKey, t.adminKey]) {
      expect((await client(t, key).post(`/v1/projects/${projectId}/readings`, { periodStart: '2026-07-01', periodEnd: '2026-07-31', volume: '1' })).status).toBe(403);
      expect((await client(t, key).post(`/v1/projects/${projectId}/statements/${statementId}/confirm`)).status).toBe(403);
    }
  });

  it('lets only one of the two named parties register a project', async () => {
    for (const key of [otherEnterprise.apiKey, otherCompany.apiKey, county.apiKey, t.adminKey]) {
      const res = await client(t, key).post('/v1/projects', body());
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    const res = await client(t, company.apiKey).post('/v1/projects', body());
    expect(res.status).toBe(201);
    companyProject = res.body.id;
  });

  it('answers 404 for an unknown or malformed project or statement id', async () => {
    for (const path of [`/v1/projects/${randomUUID()}`, '/v1/projects/not-a-uuid', `/v1/projects/${randomUUID()}/statements`]) {
      expect((await client(t, county.apiKey).get(path)).status).toBe(404);
    }
    expect((await client(t, plant.apiKey).post(`/v1/projects/${projectId}/statements/${randomUUID()}/confirm`)).status).toBe(404);
    expect((await client(t, county.apiKey).post(`/v1/projects/${projectId}/statements/${randomUUID()}/certify`, { year: TRADING_YEAR })).status).toBe(404);
    expect((await client(t, county.apiKey).post(`/v1/projects/${randomUUID()}/statements/${statementId}/certify`, { year: TRADING_YEAR })).status).toBe(404);
  });

  describe('GET /v1/projects', () => {
    let costHosting: string;

    beforeAll(async () => {
      const res = await client(t, otherCompany.apiKey).post('/v1/projects', body({
        serviceCompanyId: otherCompany.id,
        waterUserId: otherEnterprise.id,
        regionCode: '150422',
        model: 'COST_HOSTING',
        terms: { hostingFeePerPeriod: '10000' },
      }));
      expect(res.status).toBe(201);
      costHosting = res.body.id;
    });

    const ids = async (key: string, query = '') => (await client(t, key).get(`/v1/projects${query}`)).body.items.map((p: any) => p.id);

    it('lists the caller\'s projects as either party, newest first, with totals', async () => {
      const mine = await client(t, plant.apiKey).get('/v1/projects');
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((p: any) => p.id)).toEqual([companyProject, projectId]);
      expect(mine.body.items[1].totals).toMatchObject({ savedVolume: '100000', certifiedVolume: '100000' });
      expect(await ids(otherEnterprise.apiKey)).toEqual([costHosting]);
      expect(await ids(company.apiKey)).toHaveLength(2);
    });

    it('lists a regulator\'s jurisdiction and everything for the operator', async () => {
      expect(await ids(county.apiKey)).toEqual(expect.not.arrayContaining([costHosting]));
      expect(await ids(county.apiKey)).toContain(projectId);
      expect(await ids(otherCounty.apiKey)).toEqual([costHosting]);
      expect(await ids(baotou.apiKey)).toEqual([]);
      expect(await ids(city.apiKey)).toHaveLength(3);
      expect(await ids(t.adminKey)).toHaveLength(3);
    });

    it('filters by model and status and pages with a cursor', async () => {
      expect(await ids(city.apiKey, '?model=COST_HOSTING')).toEqual([costHosting]);
      expect(await ids(city.apiKey, '?model=BENEFIT_SHARING&status=ACTIVE')).toHaveLength(2);
      const first = await client(t, city.apiKey).get('/v1/projects?limit=2');
      expect(first.body.items).toHaveLength(2);
      const second = await client(t, city.apiKey).get(`/v1/projects?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      expect(new Set([...first.body.items, ...second.body.items].map((p: any) => p.id)).size).toBe(3);
    });

    it.each(['?model=SHARING', '?status=CLOSED', '?limit=0', '?cursor=bogus', '?colour=blue'])('refuses %s with 400', async (query) => {
      const res = await client(t, city.apiKey).get(`/v1/projects${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  it('puts a project where its water user is, its region or one within it (400 on regionCode elsewhere)', async () => {
    for (const regionCode of ['150422', '150400', '150200']) {
      const res = await client(t, plant.apiKey).post('/v1/projects', body({ regionCode }));
      expect([regionCode, res.status, res.body.code]).toEqual([regionCode, 400, 'VALIDATION_FAILED']);
      expect(res.body.errors).toEqual([{ field: 'regionCode', message: expect.stringContaining('150421') }]);
    }
    const [cityUser, cityCompany] = await Promise.all([createParticipant(t, 'ENTERPRISE', '150400'), createParticipant(t, 'SERVICE_COMPANY', '150400')]);
    const within = await client(t, cityUser.apiKey).post('/v1/projects', body({ serviceCompanyId: cityCompany.id, waterUserId: cityUser.id, regionCode: '150421' }));
    expect(within.status).toBe(201);
  });
});
