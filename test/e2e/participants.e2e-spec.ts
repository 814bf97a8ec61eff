import { randomUUID } from 'node:crypto';
import { createParticipant, operatorId, Party, seedRegions } from './support/fixtures';
import { expectProblem, fieldsOf } from './support/problem';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';

const PUBLIC_FIELDS = ['id', 'kind', 'name', 'regionCode'];
const FULL_FIELDS = ['createdAt', 'creditCode', 'id', 'kind', 'name', 'regionCode', 'useType'];

describe('participants', () => {
  let t: TestApp;
  const create = (body: Record<string, unknown>) => client(t, t.adminKey).post('/v1/participants', body);

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
  });
  afterAll(() => t.close());

  describe('registration by the operator', () => {
    it.each([
      ['REGULATOR', null],
      ['ENTERPRISE', 'INDUSTRY'],
      ['IRRIGATION_DISTRICT', 'AGRICULTURE'],
      ['SERVICE_COMPANY', 'SERVICE'],
      ['WATER_USER', 'AGRICULTURE'],
      ['RESERVE', null],
    ])('registers a %s with use type %s by default and returns its first key once', async (kind, useType) => {
      const res = await create({ name: `${kind} 阿鲁科尔沁旗`, kind, regionCode: '150421', creditCode: '91150421MA0N000001' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: `${kind} 阿鲁科尔沁旗`,
        kind,
        regionCode: '150421',
        creditCode: '91150421MA0N000001',
        useType,
        createdAt: expect.any(String),
        keyId: expect.any(String),
        apiKey: expect.any(String),
      });
      const me = await client(t, res.body.apiKey).get('/v1/participants/me');
      expect(me.body).toMatchObject({ id: res.body.id, kind, useType });
    });

    it('keeps an explicit use type', async () => {
      const res = await create({ name: '包钢', kind: 'ENTERPRISE', regionCode: '150200', useType: 'DOMESTIC' });
      expect(res.status).toBe(201);
      expect(res.body.useType).toBe('DOMESTIC');
    });

    it('leaves creditCode null when it is not given', async () => {
      expect((await create({ name: '某用水户', kind: 'WATER_USER', regionCode: '150421' })).body.creditCode).toBeNull();
    });

    it.each(['REGULATOR', 'RESERVE'])('refuses a use type for a %s (400)', async (kind) => {
      const res = await create({ name: 'x', kind, regionCode: '150400', useType: 'INDUSTRY' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain('useType');
    });

    it('refuses a second OPERATOR (400)', async () => {
      const res = await create({ name: 'another operator', kind: 'OPERATOR', regionCode: '150000' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain('kind');
      expect(await sql(t, `SELECT id FROM participants WHERE kind = 'OPERATOR'`)).toHaveLength(1);
    });

    it('refuses a region that does not exist (400)', async () => {
      const res = await create({ name: 'x', kind: 'ENTERPRISE', regionCode: '159999' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['regionCode']);
    });

    it.each([
      ['an unknown kind', { name: 'x', kind: 'BANK', regionCode: '150421' }, 'kind'],
      ['an unknown use type', { name: 'x', kind: 'ENTERPRISE', regionCode: '150421', useType: 'MINING' }, 'useType'],
      ['a malformed region code', { name: 'x', kind: 'ENTERPRISE', regionCode: '15042' }, 'regionCode'],
      ['an empty name', { name: '', kind: 'ENTERPRISE', regionCode: '150421' }, 'name'],
      ['a missing name', { kind: 'ENTERPRISE', regionCode: '150421' }, 'name'],
    ])('refuses %s (400)', async (_, body, field) => {
      const res = await create(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain(field);
    });
  });

  describe('reading one participant', () => {
    let target: Party;
    let cityRegulator: Party;
    let otherCityRegulator: Party;
    let countyRegulatorNextDoor: Party;
    let stranger: Party;

    beforeAll(async () => {
      target = await createParticipant(t, 'ENTERPRISE', '150421', { creditCode: '91150421MA0N00TARG' });
      cityRegulator = await createParticipant(t, 'REGULATOR', '150400');
      otherCityRegulator = await createParticipant(t, 'REGULATOR', '150200');
      countyRegulatorNextDoor = await createParticipant(t, 'REGULATOR', '150422');
      stranger = await createParticipant(t, 'WATER_USER', '150422');
    });

    const read = (who: string) => client(t, who).get(`/v1/participants/${target.id}`);

    it('shows everything to the participant itself, the operator and a regulator with jurisdiction', async () => {
      for (const who of [target.apiKey, t.adminKey, cityRegulator.apiKey]) {
        const res = await read(who);
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(FULL_FIELDS);
        expect(res.body).toMatchObject({ id: target.id, creditCode: '91150421MA0N00TARG', useType: 'INDUSTRY' });
      }
    });

    it('shows only id, name, kind and region to strangers and to regulators without jurisdiction', async () => {
      for (const who of [stranger.apiKey, otherCityRegulator.apiKey, countyRegulatorNextDoor.apiKey]) {
        const res = await read(who);
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(PUBLIC_FIELDS);
        expect(res.body).toEqual({ id: target.id, name: 'ENTERPRISE 150421', kind: 'ENTERPRISE', regionCode: '150421' });
      }
    });

    it('answers /me with the caller’s full record', async () => {
      const res = await client(t, target.apiKey).get('/v1/participants/me');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(FULL_FIELDS);
      expect(res.body.id).toBe(target.id);
      const op = await client(t, t.adminKey).get('/v1/participants/me');
      expect(op.body).toMatchObject({ id: await operatorId(t), kind: 'OPERATOR', useType: null });
    });

    it('answers 404 for a malformed id and for an unknown one', async () => {
      expectProblem(await client(t, t.adminKey).get('/v1/participants/12345'), 404, 'NOT_FOUND');
      expectProblem(await client(t, t.adminKey).get(`/v1/participants/${target.id}x`), 404, 'NOT_FOUND');
      expectProblem(await client(t, t.adminKey).get(`/v1/participants/${randomUUID()}`), 404, 'NOT_FOUND');
    });
  });

  describe('listing', () => {
    const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((p) => p.id);
    let cityRegulator: Party;
    const made: Record<string, Party> = {};

    beforeAll(async () => {
      await seedRegions(t, [{ code: '152900', name: '阿拉善盟', parentCode: '150000' }, { code: '152921', name: '阿拉善左旗', parentCode: '152900' }]);
      cityRegulator = await createParticipant(t, 'REGULATOR', '152900');
      made.enterprise = await createParticipant(t, 'ENTERPRISE', '152921');
      made.district = await createParticipant(t, 'IRRIGATION_DISTRICT', '152921');
      made.reserve = await createParticipant(t, 'RESERVE', '152900');
      made.outside = await createParticipant(t, 'ENTERPRISE', '150200');
    });

    it('lists newest first', async () => {
      const res = await client(t, t.adminKey).get('/v1/participants?limit=500');
      expect(res.status).toBe(200);
      const created = res.body.items.map((p: any) => Date.parse(p.createdAt));
      expect([...created].sort((a, b) => b - a)).toEqual(created);
      expect(res.body.items[0].id).toBe(made.outside.id);
      expect(res.body.nextCursor).toBeNull();
    });

    it('filters by kind', async () => {
      const res = await client(t, t.adminKey).get('/v1/participants?kind=IRRIGATION_DISTRICT&limit=500');
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((p: any) => p.kind === 'IRRIGATION_DISTRICT')).toBe(true);
      expect(ids(res)).toContain(made.district.id);
    });

    it('filters by region, exactly (not the region’s subtree)', async () => {
      const res = await client(t, t.adminKey).get('/v1/participants?regionCode=152900');
      expect(ids(res).sort()).toEqual([cityRegulator.id, made.reserve.id].sort());
    });

    it('combines kind and region filters', async () => {
      const res = await client(t, t.adminKey).get('/v1/participants?regionCode=152921&kind=ENTERPRISE');
      expect(ids(res)).toEqual([made.enterprise.id]);
    });

    it('shows a regulator only the participants in its jurisdiction', async () => {
      const res = await client(t, cityRegulator.apiKey).get('/v1/participants?limit=500');
      expect(res.status).toBe(200);
      expect(ids(res).sort()).toEqual([cityRegulator.id, made.enterprise.id, made.district.id, made.reserve.id].sort());
    });

    it('gives a regulator nothing when it filters outside its jurisdiction', async () => {
      const res = await client(t, cityRegulator.apiKey).get('/v1/participants?regionCode=150200');
      expect(res.body).toEqual({ items: [], nextCursor: null });
    });

    it.each(['0', '501', 'abc', '-1', '1.5', '1e2'])('refuses limit=%s (400)', async (limit) => {
      const res = await client(t, t.adminKey).get(`/v1/participants?limit=${limit}`);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain('limit');
    });

    it.each(['BANK', 'operator'])('refuses kind=%s (400)', async (kind) => {
      expectProblem(await client(t, t.adminKey).get(`/v1/participants?kind=${kind}`), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['not base64 JSON', '%%%'],
      ['a key of the wrong length', Buffer.from('["2026-01-01 00:00:00+00"]').toString('base64url')],
      ['a key of the wrong types', Buffer.from('["x","y"]').toString('base64url')],
      ['numbers for the key', Buffer.from('[1,2]').toString('base64url')],
      ['an impossible date', Buffer.from(`["2026-02-30 00:00:00+00","${randomUUID()}"]`).toString('base64url')],
    ])('refuses a cursor that is %s (400, not a database error)', async (_, cursor) => {
      const res = await client(t, t.adminKey).get(`/v1/participants?cursor=${encodeURIComponent(cursor)}`);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['cursor']);
    });

    it('pages with limit and cursor without duplicates or gaps, even across equal timestamps', async () => {
      await seedRegions(t, [{ code: '152922', name: '阿拉善右旗', parentCode: '152900' }]);
      for (let i = 0; i < 5; i++) await createParticipant(t, 'WATER_USER', '152922');
      // Rows sharing one created_at, as one transaction would write them: order falls to the id.
      const sameInstant = Array.from({ length: 6 }, () => randomUUID());
      await sql(
        t,
        `INSERT INTO participants (id, name, kind, region_code, use_type, created_at)
         SELECT id, 'batch', 'WATER_USER', '152922', 'AGRICULTURE', now() FROM unnest($1::uuid[]) AS id`,
        [sameInstant],
      );
      const all = ids(await client(t, t.adminKey).get('/v1/participants?regionCode=152922&limit=500'));
      expect(all).toHaveLength(11);

      for (const limit of [1, 2, 4]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res = await client(t, t.adminKey).get(`/v1/participants?regionCode=152922&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
          expect(res.status).toBe(200);
          expect(res.body.items.length).toBeLessThanOrEqual(limit);
          seen.push(...ids(res));
          cursor = res.body.nextCursor;
          pages++;
        } while (cursor && pages < 50);
        expect(seen).toEqual(all);
      }
    });

    it('pages a regulator’s view within its jurisdiction', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await client(t, cityRegulator.apiKey).get(`/v1/participants?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...ids(res));
        cursor = res.body.nextCursor;
      } while (cursor);
      const regions = await sql(t, 'SELECT DISTINCT region_code FROM participants WHERE id = ANY($1::uuid[])', [seen]);
      expect(regions.map((r) => r.region_code).sort()).toEqual(['152900', '152921', '152922']);
      expect(new Set(seen).size).toBe(seen.length);
    });
  });
});
