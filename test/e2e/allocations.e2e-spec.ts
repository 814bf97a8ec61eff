import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { TRADING_YEAR as Y } from './support/trading';
import { client, startTestApp, TestApp } from './support/test-app';

let permitSeq = 0;

/**
 * Each case works in its own year (or its own county), so the cap figures it reads are
 * its own doing. Years count from the current one (Y, Beijing), as quota of an ended year
 * is void and cannot be issued; rights are valid from Y − 6 to Y + 9 unless a case says otherwise.
 */
describe('allocations (配水): quota from a right, within the right and every cap above it', () => {
  let t: TestApp;
  let county: Party; // 150421
  let otherCounty: Party; // 150422
  let city: Party; // 150400
  let province: Party; // 150000
  let baotou: Party; // 150200
  let holder: Party;
  let otherHolder: Party;

  const createRight = async (regulator: Party, regionCode: string, overrides: Record<string, unknown> = {}) => {
    const res = await client(t, regulator.apiKey).post('/v1/rights', {
      holderId: holder.id,
      regionCode,
      source: 'SURFACE',
      useType: 'AGRICULTURE',
      annualVolume: '500000',
      validFrom: `${Y - 6}-01-01`,
      validTo: `${Y + 9}-12-31`,
      permitNo: `D-AL-${process.pid}-${++permitSeq}`,
      ...overrides,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; holderId: string; regionCode: string; source: string };
  };

  const allocate = (regulator: Party, rightId: string, year: unknown, volume: unknown, headers: Record<string, string> = {}) =>
    client(t, regulator.apiKey).post(`/v1/rights/${rightId}/allocations`, { year, volume }, headers);

  const capView = async (code: string, year: number) => {
    const res = await client(t, t.adminKey).get(`/v1/regions/${code}/caps/${year}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  const setCap = async (code: string, year: number, totalCap: string) =>
    expect((await client(t, t.adminKey).put(`/v1/regions/${code}/caps/${year}`, { totalCap })).status).toBe(200);

  const verifyLedger = async () => {
    const res = await client(t, t.adminKey).get('/v1/ledger/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, problems: [] });
  };

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    [county, otherCounty, city, province, baotou, holder, otherHolder] = await Promise.all([
      createParticipant(t, 'REGULATOR', '150421'),
      createParticipant(t, 'REGULATOR', '150422'),
      createParticipant(t, 'REGULATOR', '150400'),
      createParticipant(t, 'REGULATOR', '150000'),
      createParticipant(t, 'REGULATOR', '150200'),
      createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
    ]);
  });
  afterAll(() => t.close());

  it('credits the year\'s quota to the holder under the instrument\'s market id', async () => {
    const right = await createRight(county, '150421');
    const res = await allocate(county, right.id, Y, '60000.000');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      rightId: right.id,
      year: Y,
      volume: '60000',
      marketId: `150421-SURFACE-${Y}`,
      createdAt: expect.any(String),
    });

    const balances = await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/balances`);
    expect(balances.status).toBe(200);
    expect(balances.body.quota).toEqual([
      { marketId: `150421-SURFACE-${Y}`, regionCode: '150421', source: 'SURFACE', year: Y, available: '60000', locked: '0' },
    ]);
    expect(balances.body.cash).toEqual({ available: '0.00', locked: '0.00' });

    const ledger = await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger`);
    expect(ledger.body.items).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        asset: `150421-SURFACE-${Y}`,
        account: 'AVAILABLE',
        delta: '60000',
        balanceAfter: '60000',
        reason: 'ALLOCATION',
        refType: 'allocation',
        refId: res.body.id,
      },
    ]);

    // A second allocation of the same instrument adds to the same balance.
    expect((await allocate(city, right.id, Y, '0.5')).status).toBe(201);
    const after = await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/balances`);
    expect(after.body.quota[0]).toMatchObject({ marketId: `150421-SURFACE-${Y}`, available: '60000.5' });
    await verifyLedger();
  });

  it('keeps sources and years apart as separate instruments', async () => {
    const gw = await createRight(county, '150421', { source: 'GROUNDWATER', holderId: otherHolder.id });
    // Y + 9 is no other case's year in this county for this holder and source.
    expect((await allocate(county, gw.id, Y, '100')).body.marketId).toBe(`150421-GROUNDWATER-${Y}`);
    expect((await allocate(county, gw.id, Y + 9, '200')).body.marketId).toBe(`150421-GROUNDWATER-${Y + 9}`);
    const quota = (await client(t, otherHolder.apiKey).get(`/v1/participants/${otherHolder.id}/balances`)).body.quota;
    expect(quota.map((q: any) => [q.marketId, q.available])).toEqual([
      [`150421-GROUNDWATER-${Y}`, '100'],
      [`150421-GROUNDWATER-${Y + 9}`, '200'],
    ]);
  });

  it('raises allocated for the county, its city and its province, and no one else', async () => {
    const year = Y + 1;
    const before = await Promise.all(['150421', '150400', '150000', '150422', '150200'].map((c) => capView(c, year)));
    expect(before.map((v) => v.allocated)).toEqual(['0', '0', '0', '0', '0']);
    const right = await createRight(county, '150421');
    expect((await allocate(county, right.id, year, '1234.567')).status).toBe(201);
    const after = await Promise.all(['150421', '150400', '150000', '150422', '150200'].map((c) => capView(c, year)));
    expect(after.map((v) => v.allocated)).toEqual(['1234.567', '1234.567', '1234.567', '0', '0']);
    // Uncapped regions report the figure with no headroom.
    expect(after[0]).toEqual({ regionCode: '150421', year, totalCap: null, allocated: '1234.567', transferredIn: '0', transferredOut: '0', capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: null });
    await setCap('150400', year, '10000');
    expect(await capView('150400', year)).toMatchObject({ totalCap: '10000', allocated: '1234.567', headroom: '8765.433' });
  });

  it('refuses allocations beyond the right\'s annual volume in a year, to the litre', async () => {
    const right = await createRight(county, '150421', { annualVolume: '1000' });
    expect((await allocate(county, right.id, Y + 2, '600')).status).toBe(201);
    const over = await allocate(county, right.id, Y + 2, '400.001');
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('CAP_EXCEEDED');
    expect(over.body.detail).toContain('400');
    expect((await allocate(county, right.id, Y + 2, '400')).status).toBe(201);
    expect((await allocate(county, right.id, Y + 2, '0.001')).body.code).toBe('CAP_EXCEEDED');
    // Each year has its own annual volume.
    expect((await allocate(county, right.id, Y + 3, '1000')).status).toBe(201);
  });

  it('refuses allocations beyond the county\'s headroom', async () => {
    const year = Y + 4;
    await setCap('150421', year, '1000');
    const a = await createRight(county, '150421');
    const b = await createRight(county, '150421', { holderId: otherHolder.id });
    expect((await allocate(county, a.id, year, '700')).status).toBe(201);
    const over = await allocate(county, b.id, year, '300.001');
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('CAP_EXCEEDED');
    expect(over.body.detail).toContain('150421');
    expect((await allocate(county, b.id, year, '300')).status).toBe(201);
    expect(await capView('150421', year)).toMatchObject({ allocated: '1000', headroom: '0' });
    // A sibling county is not limited by this county's cap.
    const c = await createRight(otherCounty, '150422');
    expect((await allocate(otherCounty, c.id, year, '5000')).status).toBe(201);
  });

  it('refuses allocations beyond a capped city\'s or province\'s headroom, counted across its counties', async () => {
    const year = Y + 5;
    await setCap('150400', year, '1000');
    await setCap('150000', year, '1500');
    const a = await createRight(county, '150421');
    const b = await createRight(otherCounty, '150422');
    expect((await allocate(county, a.id, year, '600')).status).toBe(201);
    const overCity = await allocate(otherCounty, b.id, year, '401');
    expect(overCity.status).toBe(409);
    expect(overCity.body.code).toBe('CAP_EXCEEDED');
    expect(overCity.body.detail).toContain('150400');
    expect((await allocate(otherCounty, b.id, year, '400')).status).toBe(201);

    // 包头 is outside 赤峰's cap but inside the province's, which has 500 left.
    const baotouRight = await createRight(baotou, '150200');
    const overProvince = await allocate(baotou, baotouRight.id, year, '500.001');
    expect(overProvince.status).toBe(409);
    expect(overProvince.body.detail).toContain('150000');
    expect((await allocate(baotou, baotouRight.id, year, '500')).status).toBe(201);
    expect((await capView('150000', year)).headroom).toBe('0');
  });

  it('refuses every allocation once a cap is lowered below what is allocated', async () => {
    const year = Y + 6;
    const right = await createRight(county, '150421');
    expect((await allocate(county, right.id, year, '100')).status).toBe(201);
    await setCap('150421', year, '50');
    expect((await capView('150421', year)).headroom).toBe('-50');
    expect((await allocate(county, right.id, year, '0.001')).body.code).toBe('CAP_EXCEEDED');
  });

  it('refuses a year outside the right\'s validity with 409 INVALID_STATE', async () => {
    const right = await createRight(county, '150421', { validFrom: `${Y}-07-01`, validTo: `${Y + 1}-06-30` });
    for (const year of [Y - 1, Y + 2]) {
      const res = await allocate(county, right.id, year, '10');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_STATE');
    }
    // Years the validity touches, even partly, may be allocated.
    expect((await allocate(county, right.id, Y, '10')).status).toBe(201);
    expect((await allocate(county, right.id, Y + 1, '10')).status).toBe(201);
  });

  it('refuses a year that has ended, inside the right\'s validity, with 409 INVALID_STATE, issuing nothing', async () => {
    const right = await createRight(county, '150421', { source: 'MINE_WATER', holderId: otherHolder.id });
    for (const year of [Y - 1, Y - 6]) {
      const res = await allocate(county, right.id, year, '10');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'INVALID_STATE', detail: expect.stringContaining(`${year} has ended`) });
      expect(await capView('150421', year)).toMatchObject({ allocated: '0' });
    }
    const quota = (await client(t, otherHolder.apiKey).get(`/v1/participants/${otherHolder.id}/balances`)).body.quota;
    expect(quota.filter((q: any) => q.source === 'MINE_WATER')).toEqual([]);
    expect((await allocate(county, right.id, Y, '10')).status).toBe(201);
    await verifyLedger();
  });

  it('lets only a regulator with jurisdiction allocate', async () => {
    const right = await createRight(county, '150421');
    // Readers of the right that may not allocate it: 403.
    for (const p of [holder, { apiKey: t.adminKey } as Party]) {
      const res = await allocate(p, right.id, Y, '1');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    // Regulators outside the jurisdiction are refused for jurisdiction (403), as on trades.
    for (const p of [otherCounty, baotou]) {
      const res = await allocate(p, right.id, Y, '1');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    // The endpoint is a regulator's: anyone else is refused by role before the right is looked up.
    expect((await allocate(otherHolder, right.id, Y, '1')).status).toBe(403);
    expect((await allocate(otherHolder, randomUUID(), Y, '1')).status).toBe(403);
    expect((await allocate(province, right.id, Y, '1')).status).toBe(201);
    expect((await client(t).post(`/v1/rights/${right.id}/allocations`, { year: Y, volume: '1' })).status).toBe(401);
    expect((await allocate(county, randomUUID(), Y, '1')).status).toBe(404);
  });

  it.each([
    ['volume', Y, 60000],
    ['volume', Y, '0'],
    ['volume', Y, '-1'],
    ['volume', Y, '1.0001'],
    ['volume', Y, '1e3'],
    ['volume', Y, undefined],
    ['year', String(Y), '1'],
    ['year', Y + 0.5, '1'],
    ['year', undefined, '1'],
  ])('refuses a bad %s with 400 (year %j, volume %j)', async (field, year, volume) => {
    const right = await createRight(county, '150421');
    const res = await allocate(county, right.id, year, volume);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: any) => e.field)).toContain(field);
  });

  it('replays a retried allocation with the same Idempotency-Key and issues once', async () => {
    const right = await createRight(county, '150421', { source: 'RECLAIMED' });
    const key = `alloc-${randomUUID()}`;
    const first = await allocate(county, right.id, Y, '77', { 'Idempotency-Key': key });
    const retry = await allocate(county, right.id, Y, '77', { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const quota = (await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/balances`)).body.quota;
    expect(quota.find((q: any) => q.marketId === `150421-RECLAIMED-${Y}`).available).toBe('77');
    const reused = await allocate(county, right.id, Y, '78', { 'Idempotency-Key': key });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  describe('concurrent allocations', () => {
    const statuses = (results: { status: number }[]) =>
      results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

    it('under a county cap: exactly as many succeed as fit, and headroom never goes negative', async () => {
      const year = Y + 7;
      await setCap('150422', year, '1000');
      const rights = await Promise.all(Array.from({ length: 10 }, () => createRight(otherCounty, '150422')));
      const results = await Promise.all(rights.map((r) => allocate(otherCounty, r.id, year, '150')));
      expect(statuses(results)).toEqual({ 201: 6, 409: 4 });
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('CAP_EXCEEDED');
      expect(await capView('150422', year)).toMatchObject({ allocated: '900', headroom: '100' });
      await verifyLedger();
    });

    it('under a city cap shared by two counties', async () => {
      const year = Y + 8;
      await setCap('150400', year, '1000');
      const rights = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? createRight(county, '150421') : createRight(otherCounty, '150422'))),
      );
      const results = await Promise.all(rights.map((r) => allocate(city, r.id, year, '90')));
      expect(statuses(results)).toEqual({ 201: 11, 409: 1 });
      const views = await Promise.all(['150421', '150422', '150400'].map((c) => capView(c, year)));
      expect(Number(views[0].allocated) + Number(views[1].allocated)).toBe(990);
      expect(views[2]).toMatchObject({ allocated: '990', headroom: '10' });
    });

    it('on one right: its annual volume is never overshot', async () => {
      const right = await createRight(county, '150421', { annualVolume: '1000' });
      const results = await Promise.all(Array.from({ length: 10 }, () => allocate(county, right.id, Y + 9, '150')));
      expect(statuses(results)).toEqual({ 201: 6, 409: 4 });
      const db = new Client({ connectionString: t.dbUrl });
      await db.connect();
      try {
        const { rows } = await db.query('SELECT sum(volume)::text AS total, count(*)::int AS n FROM allocations WHERE right_id = $1 AND year = $2', [right.id, Y + 9]);
        expect(rows[0]).toEqual({ total: '900.000', n: 6 });
        const issued = await db.query(`SELECT balance::text FROM ledger_accounts WHERE system_name = 'ISSUANCE' AND asset = $1`, [`150421-SURFACE-${Y + 9}`]);
        expect(issued.rows).toEqual([{ balance: '-900.000' }]);
      } finally {
        await db.end();
      }
      await verifyLedger();
    });
  });
});
