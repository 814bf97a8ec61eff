import { randomUUID } from 'node:crypto';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';

/** 限审限批 looks at the exchange's civil year, which is Beijing time. */
const CURRENT_YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

let permitSeq = 0;
const permitNo = () => `D-RR-${process.pid}-${++permitSeq}`;

const rightBody = (holderId: string, regionCode: string, overrides: Record<string, unknown> = {}) => ({
  holderId,
  regionCode,
  source: 'SURFACE',
  useType: 'INDUSTRY',
  annualVolume: '500000',
  validFrom: `${CURRENT_YEAR - 1}-01-01`,
  validTo: `${CURRENT_YEAR + 3}-12-31`,
  permitNo: permitNo(),
  ...overrides,
});

describe('water rights registry (用水权)', () => {
  let t: TestApp;
  let county: Party; // 阿鲁科尔沁旗 150421
  let otherCounty: Party; // 巴林左旗 150422
  let city: Party; // 赤峰市 150400
  let province: Party; // 150000
  let baotou: Party; // 包头市 150200, a sibling city
  let holder: Party;
  let otherEnterprise: Party;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    // Dedicated branches so the overdraft and cap-freeze cases leave the main tree alone.
    const op = client(t, t.adminKey);
    for (const [code, name, parentCode] of [
      ['150423', '巴林右旗', '150400'],
      ['150424', '林西县', '150400'],
      ['150201', '东河区', '150200'],
      ['150500', '通辽市', '150000'],
      ['150521', '科尔沁左翼中旗', '150500'],
      ['150522', '科尔沁左翼后旗', '150500'],
    ]) {
      expect((await op.put(`/v1/regions/${code}`, { name, parentCode })).status).toBe(201);
    }
    [county, otherCounty, city, province, baotou] = await Promise.all([
      createParticipant(t, 'REGULATOR', '150421'),
      createParticipant(t, 'REGULATOR', '150422'),
      createParticipant(t, 'REGULATOR', '150400'),
      createParticipant(t, 'REGULATOR', '150000'),
      createParticipant(t, 'REGULATOR', '150200'),
    ]);
    [holder, otherEnterprise] = await Promise.all([createParticipant(t, 'ENTERPRISE', '150421'), createParticipant(t, 'ENTERPRISE', '150421')]);
  });
  afterAll(() => t.close());

  describe('registration', () => {
    it('lets the county regulator register a right in its county and returns it', async () => {
      const body = rightBody(holder.id, '150421', { annualVolume: '500000.000' });
      const res = await client(t, county.apiKey).post('/v1/rights', body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        holderId: holder.id,
        regionCode: '150421',
        source: 'SURFACE',
        useType: 'INDUSTRY',
        annualVolume: '500000',
        validFrom: body.validFrom,
        validTo: body.validTo,
        permitNo: body.permitNo,
        parentRightId: null,
        transferredOut: [],
        reservedOut: [],
        createdAt: expect.any(String),
      });
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
      expect((await client(t, county.apiKey).get(`/v1/rights/${res.body.id}`)).body).toEqual(res.body);
    });

    it('lets the city regulator register a right in one of its counties', async () => {
      const res = await client(t, city.apiKey).post('/v1/rights', rightBody(holder.id, '150422', { source: 'RECLAIMED', annualVolume: '12.5' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ regionCode: '150422', source: 'RECLAIMED', annualVolume: '12.5' });
    });

    it('accepts a right valid for a single day', async () => {
      const res = await client(t, county.apiKey).post('/v1/rights', rightBody(holder.id, '150421', { validFrom: `${CURRENT_YEAR}-06-01`, validTo: `${CURRENT_YEAR}-06-01` }));
      expect(res.status).toBe(201);
    });

    it('refuses a regulator outside the region and every non-regulator with 403', async () => {
      for (const p of [otherCounty, baotou]) {
        const res = await client(t, p.apiKey).post('/v1/rights', rightBody(holder.id, '150421'));
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      // A county regulator cannot register at the city level above it.
      expect((await client(t, county.apiKey).post('/v1/rights', rightBody(holder.id, '150400'))).status).toBe(403);
      for (const key of [holder.apiKey, t.adminKey]) {
        const res = await client(t, key).post('/v1/rights', rightBody(holder.id, '150421'));
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      expect((await client(t).post('/v1/rights', rightBody(holder.id, '150421'))).status).toBe(401);
    });

    it.each([
      ['validFrom', { validFrom: '2025-13-01' }],
      ['validFrom', { validFrom: '2025-02-30' }],
      ['validFrom', { validFrom: '2025/01/01' }],
      ['validTo', { validTo: '2029-12-31T00:00:00Z' }],
      ['validTo', { validTo: 20291231 }],
      ['annualVolume', { annualVolume: 500000 }],
      ['annualVolume', { annualVolume: '0' }],
      ['annualVolume', { annualVolume: '-5' }],
      ['annualVolume', { annualVolume: '1.0001' }],
      ['annualVolume', { annualVolume: '1e6' }],
      ['source', { source: 'SEAWATER' }],
      ['useType', { useType: 'MINING' }],
      ['holderId', { holderId: 'not-a-uuid' }],
      ['regionCode', { regionCode: '1504' }],
      ['permitNo', { permitNo: '' }],
      ['permitNo', { permitNo: 'D150421S2025-0001-T1' }],
      ['permitNo', { permitNo: 'X-T27' }],
      ['colour', { colour: 'blue' }],
    ])('refuses a bad %s with 400 naming the field (%j)', async (field, override) => {
      const res = await client(t, county.apiKey).post('/v1/rights', rightBody(holder.id, '150421', override));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('refuses validTo before validFrom', async () => {
      const res = await client(t, county.apiKey).post('/v1/rights', rightBody(holder.id, '150421', { validFrom: '2026-01-02', validTo: '2026-01-01' }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'validTo', message: expect.any(String) }]);
    });

    it('refuses an unknown holder, a holder that cannot hold rights, and an unknown region with 400', async () => {
      const unknown = await client(t, county.apiKey).post('/v1/rights', rightBody(randomUUID(), '150421'));
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors.map((e: any) => e.field)).toEqual(['holderId']);
      const regulatorHolder = await client(t, county.apiKey).post('/v1/rights', rightBody(county.id, '150421'));
      expect(regulatorHolder.status).toBe(400);
      expect(regulatorHolder.body.errors.map((e: any) => e.field)).toEqual(['holderId']);
      const region = await client(t, province.apiKey).post('/v1/rights', rightBody(holder.id, '159999'));
      expect(region.status).toBe(400);
      expect(region.body.errors.map((e: any) => e.field)).toEqual(['regionCode']);
    });

    it('refuses a permit number already registered with 409 DUPLICATE, even across regions', async () => {
      const body = rightBody(holder.id, '150421');
      expect((await client(t, county.apiKey).post('/v1/rights', body)).status).toBe(201);
      const again = await client(t, city.apiKey).post('/v1/rights', { ...body, regionCode: '150422' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('DUPLICATE');
    });

    it('registers a permit number once when two registrations race', async () => {
      const body = rightBody(holder.id, '150421');
      const results = await Promise.all([county, city, province].map((p) => client(t, p.apiKey).post('/v1/rights', body)));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('DUPLICATE');
    });
  });

  describe('groundwater overdraft regions (地下水超采区)', () => {
    it('refuses a GROUNDWATER right in an overdraft county, accepting other sources there', async () => {
      const op = client(t, t.adminKey);
      expect((await op.put('/v1/regions/150423', { name: '巴林右旗', groundwaterOverdraft: true })).body.groundwaterOverdraft).toBe(true);
      const gw = await client(t, city.apiKey).post('/v1/rights', rightBody(holder.id, '150423', { source: 'GROUNDWATER' }));
      expect(gw.status).toBe(409);
      expect(gw.body.code).toBe('CHECK_FAILED');
      expect(gw.body.detail).toContain('150423');
      expect((await client(t, city.apiKey).post('/v1/rights', rightBody(holder.id, '150423', { source: 'SURFACE' }))).status).toBe(201);
      // The flag lifted, groundwater is accepted again.
      await op.put('/v1/regions/150423', { name: '巴林右旗', groundwaterOverdraft: false });
      expect((await client(t, city.apiKey).post('/v1/rights', rightBody(holder.id, '150423', { source: 'GROUNDWATER' }))).status).toBe(201);
    });

    it('refuses a GROUNDWATER right under an overdraft city, however low the right is registered', async () => {
      await client(t, t.adminKey).put('/v1/regions/150200', { name: '包头市', groundwaterOverdraft: true });
      const below = await client(t, baotou.apiKey).post('/v1/rights', rightBody(holder.id, '150201', { source: 'GROUNDWATER' }));
      expect(below.status).toBe(409);
      expect(below.body.code).toBe('CHECK_FAILED');
      expect(below.body.detail).toContain('150200');
      const at = await client(t, province.apiKey).post('/v1/rights', rightBody(holder.id, '150200', { source: 'GROUNDWATER', useType: 'DOMESTIC' }));
      expect(at.status).toBe(409);
      expect(at.body.code).toBe('CHECK_FAILED');
      expect((await client(t, baotou.apiKey).post('/v1/rights', rightBody(holder.id, '150201', { source: 'MINE_WATER' }))).status).toBe(201);
      // A sibling city's groundwater is unaffected.
      expect((await client(t, county.apiKey).post('/v1/rights', rightBody(holder.id, '150421', { source: 'GROUNDWATER' }))).status).toBe(201);
    });
  });

  describe('限审限批: no new rights while the current year\'s cap is used up', () => {
    const allocateAll = async (regulator: Party, regionCode: string, volume: string, year = CURRENT_YEAR) => {
      const right = await client(t, regulator.apiKey).post('/v1/rights', rightBody(holder.id, regionCode, { annualVolume: volume }));
      expect(right.status).toBe(201);
      const alloc = await client(t, regulator.apiKey).post(`/v1/rights/${right.body.id}/allocations`, { year, volume });
      expect(alloc.status).toBe(201);
    };

    it('freezes a county whose cap is exhausted, except for domestic use', async () => {
      const op = client(t, t.adminKey);
      expect((await op.put(`/v1/regions/150424/caps/${CURRENT_YEAR}`, { totalCap: '1000' })).status).toBe(200);
      await allocateAll(city, '150424', '999.999');
      // A litre of headroom left is still headroom.
      expect((await client(t, city.apiKey).post('/v1/rights', rightBody(holder.id, '150424'))).status).toBe(201);
      await allocateAll(city, '150424', '0.001');
      expect((await op.get(`/v1/regions/150424/caps/${CURRENT_YEAR}`)).body.headroom).toBe('0');

      for (const useType of ['INDUSTRY', 'AGRICULTURE', 'SERVICE', 'ECOLOGY']) {
        const res = await client(t, city.apiKey).post('/v1/rights', rightBody(holder.id, '150424', { useType }));
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('CAP_EXCEEDED');
        expect(res.body.detail).toContain('150424');
      }
      const domestic = await client(t, city.apiKey).post('/v1/rights', rightBody(holder.id, '150424', { useType: 'DOMESTIC' }));
      expect(domestic.status).toBe(201);
      // Neighbouring counties are not frozen by this county's cap.
      expect((await client(t, city.apiKey).post('/v1/rights', rightBody(holder.id, '150421'))).status).toBe(201);

      // Raising the cap lifts the freeze.
      await op.put(`/v1/regions/150424/caps/${CURRENT_YEAR}`, { totalCap: '1001' });
      expect((await client(t, city.apiKey).post('/v1/rights', rightBody(holder.id, '150424'))).status).toBe(201);
    });

    it('freezes every county under a city whose cap is exhausted', async () => {
      const op = client(t, t.adminKey);
      expect((await op.put(`/v1/regions/150500/caps/${CURRENT_YEAR}`, { totalCap: '5000' })).status).toBe(200);
      await allocateAll(province, '150521', '5000');
      const res = await client(t, province.apiKey).post('/v1/rights', rightBody(holder.id, '150522'));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CAP_EXCEEDED');
      expect(res.body.detail).toContain('150500');
      expect((await client(t, province.apiKey).post('/v1/rights', rightBody(holder.id, '150522', { useType: 'DOMESTIC' }))).status).toBe(201);
      expect((await client(t, province.apiKey).post('/v1/rights', rightBody(holder.id, '150500', { useType: 'INDUSTRY' }))).status).toBe(409);
    });

    it('looks at the current year only', async () => {
      const op = client(t, t.adminKey);
      // Next year's cap of 150421 is used up; this year's has room.
      await op.put(`/v1/regions/150421/caps/${CURRENT_YEAR + 1}`, { totalCap: '10' });
      await allocateAll(county, '150421', '10', CURRENT_YEAR + 1);
      expect((await op.get(`/v1/regions/150421/caps/${CURRENT_YEAR + 1}`)).body.headroom).toBe('0');
      expect((await client(t, county.apiKey).post('/v1/rights', rightBody(holder.id, '150421'))).status).toBe(201);
    });

    it('freezes a county whose cap was lowered below what it already uses', async () => {
      const op = client(t, t.adminKey);
      await op.put(`/v1/regions/150522/caps/${CURRENT_YEAR}`, { totalCap: '0' });
      const res = await client(t, province.apiKey).post('/v1/rights', rightBody(holder.id, '150522', { useType: 'SERVICE' }));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CAP_EXCEEDED');
    });
  });

  describe('reading rights', () => {
    let own: any;
    let inOtherCounty: any;
    let othersRight: any;

    beforeAll(async () => {
      own = (await client(t, county.apiKey).post('/v1/rights', rightBody(holder.id, '150421', { permitNo: `READ-A-${process.pid}` }))).body;
      inOtherCounty = (await client(t, otherCounty.apiKey).post('/v1/rights', rightBody(holder.id, '150422', { permitNo: `READ-B-${process.pid}` }))).body;
      othersRight = (await client(t, county.apiKey).post('/v1/rights', rightBody(otherEnterprise.id, '150421', { permitNo: `READ-C-${process.pid}` }))).body;
      expect([own.id, inOtherCounty.id, othersRight.id].every(Boolean)).toBe(true);
    });

    it('shows a right to its holder, the operator and regulators with jurisdiction', async () => {
      for (const p of [holder.apiKey, t.adminKey, county.apiKey, city.apiKey, province.apiKey]) {
        const res = await client(t, p).get(`/v1/rights/${own.id}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(own);
      }
    });

    it('answers 404 to everyone else, as for a right that does not exist', async () => {
      for (const p of [otherEnterprise.apiKey, otherCounty.apiKey, baotou.apiKey]) {
        const res = await client(t, p).get(`/v1/rights/${own.id}`);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
      expect((await client(t, t.adminKey).get(`/v1/rights/${randomUUID()}`)).status).toBe(404);
      // Ids are opaque: a malformed one names no right either.
      expect((await client(t, t.adminKey).get('/v1/rights/not-a-uuid')).status).toBe(404);
      expect((await client(t).get(`/v1/rights/${own.id}`)).status).toBe(401);
    });

    it('lists only the caller\'s own rights for a holder, whatever it filters on', async () => {
      const mine = await client(t, otherEnterprise.apiKey).get('/v1/rights?limit=500');
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((r: any) => r.id)).toEqual([othersRight.id]);
      const snooping = await client(t, otherEnterprise.apiKey).get(`/v1/rights?holderId=${holder.id}`);
      expect(snooping.body).toEqual({ items: [], nextCursor: null });
    });

    it('lists a regulator\'s jurisdiction only', async () => {
      const countyList = (await client(t, county.apiKey).get('/v1/rights?limit=500')).body.items;
      expect(countyList.length).toBeGreaterThan(0);
      expect(countyList.every((r: any) => r.regionCode === '150421')).toBe(true);
      expect(countyList.map((r: any) => r.id)).toEqual(expect.arrayContaining([own.id, othersRight.id]));
      expect(countyList.map((r: any) => r.id)).not.toContain(inOtherCounty.id);

      const cityList = (await client(t, city.apiKey).get('/v1/rights?limit=500')).body.items;
      expect(cityList.map((r: any) => r.id)).toEqual(expect.arrayContaining([own.id, inOtherCounty.id]));
      expect(cityList.every((r: any) => ['150400', '150421', '150422', '150423', '150424'].includes(r.regionCode))).toBe(true);

      expect((await client(t, baotou.apiKey).get('/v1/rights?limit=500')).body.items.every((r: any) => r.regionCode.startsWith('1502'))).toBe(true);
    });

    it('filters by holder and region, newest first', async () => {
      const byHolder = (await client(t, t.adminKey).get(`/v1/rights?holderId=${otherEnterprise.id}`)).body.items;
      expect(byHolder.map((r: any) => r.id)).toEqual([othersRight.id]);
      const byRegion = (await client(t, city.apiKey).get('/v1/rights?regionCode=150422&limit=500')).body.items;
      expect(byRegion.length).toBeGreaterThan(0);
      expect(byRegion.every((r: any) => r.regionCode === '150422')).toBe(true);
      const all = (await client(t, t.adminKey).get('/v1/rights?limit=500')).body.items;
      const times = all.map((r: any) => r.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      expect(all.indexOf(all.find((r: any) => r.id === othersRight.id))).toBeLessThan(all.indexOf(all.find((r: any) => r.id === own.id)));
    });

    it('pages with a cursor without skipping or repeating a right', async () => {
      const all = (await client(t, t.adminKey).get('/v1/rights?limit=500')).body.items.map((r: any) => r.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await client(t, t.adminKey).get(`/v1/rights?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items.map((r: any) => r.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
    });

    it('refuses bad paging and filters with 400, never 500', async () => {
      const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
      for (const q of [
        'limit=0',
        'limit=501',
        'limit=ten',
        'cursor=%%%',
        'cursor=bm9wZQ',
        `cursor=${forged(['not a time', randomUUID()])}`,
        `cursor=${forged([new Date().toISOString(), 'not-a-uuid'])}`,
        `cursor=${forged([{}, []])}`,
        'holderId=nope',
        'regionCode=15',
      ]) {
        const res = await client(t, t.adminKey).get(`/v1/rights?${q}`);
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
      }
    });
  });
});
