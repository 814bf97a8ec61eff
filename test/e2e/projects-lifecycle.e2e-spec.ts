import { Client } from 'pg';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { expectProblem } from './support/problem';
import { client, startTestApp, TestApp } from './support/test-app';

/** Markets refuse a year already past; the exchange's year is Beijing time. */
const YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
// Readings measure periods of the year before, which have ended whatever today's date.
const MEASURED = YEAR - 1;

describe('contract water-saving: from a reading to saved water on the market (合同节水 + 水权交易)', () => {
  let t: TestApp;
  let company: Party; // 节水服务企业
  let plant: Party; // the water user, 用水户
  let county: Party; // 阿鲁科尔沁旗 regulator
  let city: Party; // 赤峰市 regulator

  const project = (overrides: Record<string, unknown> = {}) => ({
    name: '热电厂循环水节水改造',
    model: 'BENEFIT_SHARING',
    serviceCompanyId: company.id,
    waterUserId: plant.id,
    regionCode: '150421',
    source: 'SURFACE',
    startDate: `${MEASURED}-01-01`,
    endDate: `${YEAR + 2}-12-31`,
    waterPrice: '4.00',
    baseline: { method: 'FIXED', volumePerPeriod: '100000' },
    terms: { serviceShare: '0.70', investment: '1200000' },
    ...overrides,
  });

  /** A project with one statement both parties confirmed, ready for a regulator. */
  const confirmedStatement = async (reading: Record<string, unknown>, overrides: Record<string, unknown> = {}, user: Party = plant) => {
    const p = await client(t, company.apiKey).post('/v1/projects', project({ waterUserId: user.id, ...overrides }));
    expect(p.status).toBe(201);
    const r = await client(t, user.apiKey).post(`/v1/projects/${p.body.id}/readings`, reading);
    expect(r.status).toBe(201);
    for (const party of [company, user]) {
      expect((await client(t, party.apiKey).post(`/v1/projects/${p.body.id}/statements/${r.body.statementId}/confirm`)).status).toBe(200);
    }
    return { projectId: p.body.id as string, statementId: r.body.statementId as string };
  };

  const certify = (regulator: Party, projectId: string, statementId: string, year = YEAR) =>
    client(t, regulator.apiKey).post(`/v1/projects/${projectId}/statements/${statementId}/certify`, { year });

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    [company, plant, county, city] = await Promise.all([
      createParticipant(t, 'SERVICE_COMPANY', '150400'),
      createParticipant(t, 'ENTERPRISE', '150421'),
      createParticipant(t, 'REGULATOR', '150421'),
      createParticipant(t, 'REGULATOR', '150400'),
    ]);
  });
  afterAll(() => t.close());

  it('takes a project from creation to a SELL order for its certified savings', async () => {
    const created = await client(t, company.apiKey).post('/v1/projects', project());
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: '热电厂循环水节水改造',
      model: 'BENEFIT_SHARING',
      serviceCompanyId: company.id,
      waterUserId: plant.id,
      regionCode: '150421',
      source: 'SURFACE',
      startDate: `${MEASURED}-01-01`,
      endDate: `${YEAR + 2}-12-31`,
      waterPrice: '4',
      baseline: { method: 'FIXED', volumePerPeriod: '100000', intensity: null },
      terms: { serviceShare: '0.7', guaranteedSaving: null, shortfallPrice: null, excessServiceShare: null, hostingFeePerPeriod: null, investment: '1200000.00' },
      status: 'ACTIVE',
      createdBy: company.id,
      createdAt: expect.any(String),
      totals: { savedVolume: '0', savedValue: '0.00', serviceCompanyAmount: '0.00', waterUserAmount: '0.00', compensation: '0.00', certifiedVolume: '0' },
    });
    const id = created.body.id;

    const reading = await client(t, plant.apiKey).post(`/v1/projects/${id}/readings`, { periodStart: `${MEASURED}-01-01`, periodEnd: `${MEASURED}-03-31`, volume: '80000' });
    expect(reading.status).toBe(201);
    expect(reading.body).toMatchObject({ periodStart: `${MEASURED}-01-01`, periodEnd: `${MEASURED}-03-31`, volume: '80000', output: null, statementId: expect.any(String), supersedes: null, supersededBy: null });
    const second = await client(t, company.apiKey).post(`/v1/projects/${id}/readings`, { periodStart: `${MEASURED}-04-01`, periodEnd: `${MEASURED}-06-30`, volume: '110000' });
    expect(second.status).toBe(201);

    const statements = await client(t, plant.apiKey).get(`/v1/projects/${id}/statements`);
    expect(statements.status).toBe(200);
    expect(statements.body.nextCursor).toBeNull();
    expect(statements.body.items.map((s: any) => s.readingId)).toEqual([reading.body.id, second.body.id]);
    const [first, loss] = statements.body.items;
    expect(first).toMatchObject({
      id: reading.body.statementId,
      periodStart: `${MEASURED}-01-01`,
      periodEnd: `${MEASURED}-03-31`,
      baselineVolume: '100000',
      actualVolume: '80000',
      savedVolume: '20000',
      savedValue: '80000.00',
      serviceCompanyAmount: '56000.00',
      waterUserAmount: '24000.00',
      shortfallVolume: '0',
      compensation: '0.00',
      status: 'DRAFT',
      confirmedBy: [],
      certifiedVolume: null,
      certifiedYear: null,
      superseded: false,
    });
    // A period that used more than the baseline is reported as it is, and nobody is paid.
    expect(loss).toMatchObject({ savedVolume: '-10000', savedValue: '0.00', serviceCompanyAmount: '0.00', waterUserAmount: '0.00' });

    const byCompany = await client(t, company.apiKey).post(`/v1/projects/${id}/statements/${first.id}/confirm`);
    expect(byCompany.status).toBe(200);
    expect(byCompany.body).toMatchObject({ status: 'DRAFT', confirmedBy: [company.id] });
    const byPlant = await client(t, plant.apiKey).post(`/v1/projects/${id}/statements/${first.id}/confirm`);
    expect(byPlant.body).toMatchObject({ status: 'CONFIRMED', confirmedBy: [company.id, plant.id] });

    const certified = await certify(county, id, first.id);
    expect(certified.status).toBe(200);
    expect(certified.body).toMatchObject({ status: 'CERTIFIED', certifiedVolume: '20000', certifiedYear: YEAR, certifiedBy: county.id, savedVolume: '20000' });

    const balances = await client(t, plant.apiKey).get(`/v1/participants/${plant.id}/balances`);
    expect(balances.body.quota).toEqual([{ marketId: `150421-SURFACE-${YEAR}`, regionCode: '150421', source: 'SURFACE', year: YEAR, available: '20000', locked: '0' }]);
    const ledger = await client(t, plant.apiKey).get(`/v1/participants/${plant.id}/ledger?asset=150421-SURFACE-${YEAR}`);
    expect(ledger.body.items).toEqual([expect.objectContaining({ delta: '20000', reason: 'CERTIFICATION', refType: 'statement', refId: first.id })]);

    const totals = (await client(t, county.apiKey).get(`/v1/projects/${id}`)).body.totals;
    expect(totals).toEqual({ savedVolume: '20000', savedValue: '80000.00', serviceCompanyAmount: '56000.00', waterUserAmount: '24000.00', compensation: '0.00', certifiedVolume: '20000' });

    expect((await client(t, t.adminKey).post('/v1/markets', { regionCode: '150421', source: 'SURFACE', year: YEAR })).status).toBe(201);
    const order = await client(t, plant.apiKey).post(`/v1/markets/150421-SURFACE-${YEAR}/orders`, { side: 'SELL', price: '5.20', volume: '20000' });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ side: 'SELL', volume: '20000', status: 'OPEN' });
    const after = await client(t, plant.apiKey).get(`/v1/participants/${plant.id}/balances`);
    expect(after.body.quota[0]).toMatchObject({ available: '0', locked: '20000' });
  });

  it('records every step in the audit chain, in the transaction of the change', async () => {
    const { projectId, statementId } = await confirmedStatement({ periodStart: `${MEASURED}-01-01`, periodEnd: `${MEASURED}-01-31`, volume: '99000' });
    expect((await certify(county, projectId, statementId)).status).toBe(200);
    const audit = client(t, t.adminKey);
    const actions = async (type: string, id: string) => (await audit.get(`/v1/audit?entityType=${type}&entityId=${id}`)).body.items.map((e: any) => e.action);
    expect(await actions('project', projectId)).toEqual(['project.created']);
    expect(await actions('statement', statementId)).toEqual(['statement.drafted', 'statement.confirmed', 'statement.confirmed', 'statement.issued', 'statement.certified']);
    const certifiedEntry = (await audit.get(`/v1/audit?entityType=statement&entityId=${statementId}`)).body.items.at(-1);
    expect(certifiedEntry).toMatchObject({ actorId: county.id, before: { status: 'CONFIRMED' }, after: { status: 'CERTIFIED', certifiedVolume: '1000' } });
    expect((await audit.get('/v1/audit/verify')).body.valid).toBe(true);
  });

  it('certifies a statement at most once, however many regulators try at the same time', async () => {
    const { projectId, statementId } = await confirmedStatement({ periodStart: `${MEASURED}-02-01`, periodEnd: `${MEASURED}-02-28`, volume: '99500' });
    const results = await Promise.all([county, city, county, city].map((r) => certify(r, projectId, statementId)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('INVALID_STATE');
    const again = await certify(county, projectId, statementId);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_STATE');
    expect((await client(t, plant.apiKey).get(`/v1/projects/${projectId}`)).body.totals.certifiedVolume).toBe('500');
  });

  it('refuses to certify savings into a year that has ended (409 INVALID_STATE), issuing nothing', async () => {
    const { projectId, statementId } = await confirmedStatement({ periodStart: `${MEASURED}-05-01`, periodEnd: `${MEASURED}-05-31`, volume: '99000' });
    const refused = await certify(county, projectId, statementId, YEAR - 1);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('INVALID_STATE');
    const statement = (await client(t, plant.apiKey).get(`/v1/projects/${projectId}/statements`)).body.items[0];
    expect(statement).toMatchObject({ status: 'CONFIRMED', certifiedVolume: null, certifiedYear: null });
    expect((await client(t, t.adminKey).get(`/v1/participants/${plant.id}/ledger?asset=150421-SURFACE-${YEAR - 1}`)).body.items).toEqual([]);
    expect((await certify(county, projectId, statementId, YEAR)).status).toBe(200);
  });

  it('refuses a reading of a period that has not ended (400 naming periodEnd)', async () => {
    const p = await client(t, company.apiKey).post('/v1/projects', project());
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    for (const periodEnd of [today, `${YEAR + 1}-06-30`]) {
      const res = await client(t, plant.apiKey).post(`/v1/projects/${p.body.id}/readings`, { periodStart: today, periodEnd, volume: '1' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'periodEnd', message: `must be a day that has ended (before ${today})` }]);
    }
    expect((await client(t, company.apiKey).get(`/v1/projects/${p.body.id}/readings`)).body.items).toEqual([]);
  });

  it('refuses a reading whose statement would be worth 10^15 CNY or more (400 naming volume), recording nothing', async () => {
    const p = await client(t, company.apiKey).post('/v1/projects', project({ waterPrice: '99999999.9999', baseline: { method: 'FIXED', volumePerPeriod: '999999999999999' } }));
    expect(p.status).toBe(201);
    const res = await client(t, plant.apiKey).post(`/v1/projects/${p.body.id}/readings`, { periodStart: `${MEASURED}-01-01`, periodEnd: `${MEASURED}-01-31`, volume: '0' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'volume', message: expect.stringMatching(/10\^15 CNY/) }]);
    expect((await client(t, company.apiKey).get(`/v1/projects/${p.body.id}/readings`)).body.items).toEqual([]);
    // Within the contract's digits, the same project records its readings.
    const small = await client(t, company.apiKey).post('/v1/projects', project({ waterPrice: '9.99', baseline: { method: 'FIXED', volumePerPeriod: '99999999999999' } }));
    const ok = await client(t, plant.apiKey).post(`/v1/projects/${small.body.id}/readings`, { periodStart: `${MEASURED}-01-01`, periodEnd: `${MEASURED}-01-31`, volume: '0' });
    expect(ok.status).toBe(201);
  });

  it('refuses to certify a statement until both parties have confirmed it', async () => {
    const p = await client(t, plant.apiKey).post('/v1/projects', project());
    const r = await client(t, company.apiKey).post(`/v1/projects/${p.body.id}/readings`, { periodStart: `${MEASURED}-03-01`, periodEnd: `${MEASURED}-03-31`, volume: '90000' });
    const draft = await certify(county, p.body.id, r.body.statementId);
    expect(draft.status).toBe(409);
    expect(draft.body.code).toBe('INVALID_STATE');
    // Confirming twice by one party is answered with the statement as it stands and still needs the other party.
    for (let i = 0; i < 2; i++) {
      const res = await client(t, company.apiKey).post(`/v1/projects/${p.body.id}/statements/${r.body.statementId}/confirm`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'DRAFT', confirmedBy: [company.id] });
    }
    expect((await certify(county, p.body.id, r.body.statementId)).body.code).toBe('INVALID_STATE');
    const audit = await client(t, t.adminKey).get(`/v1/audit?entityType=statement&entityId=${r.body.statementId}`);
    expect(audit.body.items.map((e: any) => e.action)).toEqual(['statement.drafted', 'statement.confirmed']);
  });

  it('certifies a period without savings as zero, issuing nothing', async () => {
    const { projectId, statementId } = await confirmedStatement({ periodStart: `${MEASURED}-04-01`, periodEnd: `${MEASURED}-04-30`, volume: '100500' });
    const res = await certify(county, projectId, statementId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'CERTIFIED', savedVolume: '-500', certifiedVolume: '0', certifiedYear: YEAR });
    const ledger = await client(t, t.adminKey).get(`/v1/participants/${plant.id}/ledger`);
    expect(ledger.body.items.filter((e: any) => e.refId === statementId)).toEqual([]);
  });

  describe('caps (用水总量控制): certified savings count as allocated', () => {
    let capped: Party;
    let cappedUser: Party;
    let linxiUser: Party; // 林西县, where no county cap is set

    beforeAll(async () => {
      const op = client(t, t.adminKey);
      expect((await op.put('/v1/regions/150423', { name: '巴林右旗', parentCode: '150400' })).status).toBe(201);
      expect((await op.put('/v1/regions/150424', { name: '林西县', parentCode: '150400' })).status).toBe(201);
      [capped, cappedUser, linxiUser] = await Promise.all([
        createParticipant(t, 'REGULATOR', '150423'), createParticipant(t, 'IRRIGATION_DISTRICT', '150423'), createParticipant(t, 'IRRIGATION_DISTRICT', '150424'),
      ]);
    });

    const cappedProject = (regionCode = '150423') =>
      project({ waterUserId: cappedUser.id, regionCode, baseline: { method: 'FIXED', volumePerPeriod: '50000' }, source: 'GROUNDWATER' });

    it('refuses a certification beyond the county\'s headroom with 409 CAP_EXCEEDED and issues nothing', async () => {
      expect((await client(t, t.adminKey).put(`/v1/regions/150423/caps/${YEAR}`, { totalCap: '10000' })).status).toBe(200);
      const reading = { periodStart: `${MEASURED}-01-01`, periodEnd: `${MEASURED}-01-31`, volume: '39999.5' };
      const big = await (async () => {
        const p = await client(t, company.apiKey).post('/v1/projects', cappedProject());
        const r = await client(t, cappedUser.apiKey).post(`/v1/projects/${p.body.id}/readings`, reading);
        for (const party of [company, cappedUser]) await client(t, party.apiKey).post(`/v1/projects/${p.body.id}/statements/${r.body.statementId}/confirm`);
        return { projectId: p.body.id, statementId: r.body.statementId };
      })();
      const refused = await certify(capped, big.projectId, big.statementId);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('CAP_EXCEEDED');
      expect(refused.body.detail).toContain('150423');
      expect((await client(t, t.adminKey).get(`/v1/participants/${cappedUser.id}/balances`)).body.quota).toEqual([]);
      expect((await client(t, plant.apiKey).get(`/v1/projects/${big.projectId}/statements`)).status).toBe(404);
      expect((await client(t, cappedUser.apiKey).get(`/v1/projects/${big.projectId}/statements`)).body.items[0].status).toBe('CONFIRMED');

      // Raised just enough, the same statement fits exactly and the cap views up the tree count it.
      const cityAllocated = async () => Number((await client(t, city.apiKey).get(`/v1/regions/150400/caps/${YEAR}`)).body.allocated);
      const cityBefore = await cityAllocated();
      await client(t, t.adminKey).put(`/v1/regions/150423/caps/${YEAR}`, { totalCap: '10000.5' });
      expect((await certify(capped, big.projectId, big.statementId)).status).toBe(200);
      const cap = await client(t, capped.apiKey).get(`/v1/regions/150423/caps/${YEAR}`);
      expect(cap.body).toMatchObject({ allocated: '10000.5', headroom: '0' });
      expect(await cityAllocated()).toBe(cityBefore + 10000.5);
    });

    it('refuses a certification beyond a capped region above the project\'s county', async () => {
      // 林西县 has no cap of its own; 赤峰市 above it does.
      const cityHeadroom = 15000;
      const cityCap = await client(t, t.adminKey).get(`/v1/regions/150400/caps/${YEAR}`);
      await client(t, t.adminKey).put(`/v1/regions/150400/caps/${YEAR}`, { totalCap: String(Number(cityCap.body.allocated) + cityHeadroom) });
      const { projectId, statementId } = await confirmedStatement(
        { periodStart: `${MEASURED}-01-01`, periodEnd: `${MEASURED}-01-31`, volume: '34999' },
        { regionCode: '150424', baseline: { method: 'FIXED', volumePerPeriod: '50000' } },
        linxiUser,
      );
      const refused = await certify(city, projectId, statementId);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('CAP_EXCEEDED');
      expect(refused.body.detail).toContain('150400');
      // The county regulator has no jurisdiction over 林西县.
      expect((await certify(capped, projectId, statementId)).status).toBe(403);
      // Into a year without caps it fits.
      expect((await certify(city, projectId, statementId, YEAR + 1)).status).toBe(200);
    });
  });

  it('records one cap issuance per certified statement with savings', async () => {
    const db = new Client({ connectionString: t.dbUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM quota_issuances WHERE origin_type = 'certification'`);
      const certified = await db.query(`SELECT count(*)::int AS n FROM statements WHERE status = 'CERTIFIED' AND certified_volume > 0`);
      expect(rows[0].n).toBe(certified.rows[0].n);
    } finally {
      await db.end();
    }
  });
});
