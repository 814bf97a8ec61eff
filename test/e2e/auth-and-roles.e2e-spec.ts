import request from 'supertest';
import { createParticipant, operatorId, Party, seedRegions } from './support/fixtures';
import { expectProblem } from './support/problem';
import { client, startTestApp, TestApp } from './support/test-app';

const KINDS = ['OPERATOR', 'REGULATOR', 'ENTERPRISE', 'IRRIGATION_DISTRICT', 'SERVICE_COMPANY', 'WATER_USER', 'RESERVE'] as const;
type Kind = (typeof KINDS)[number];

describe('authentication and roles', () => {
  let t: TestApp;
  /** One participant per kind; the regulator is the 赤峰市 (city) regulator. */
  const by = {} as Record<Kind, Party>;
  let provinceRegulator: Party;
  let countyRegulator: Party;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    by.OPERATOR = { id: await operatorId(t), apiKey: t.adminKey, kind: 'OPERATOR', regionCode: '100000' };
    by.REGULATOR = await createParticipant(t, 'REGULATOR', '150400');
    by.ENTERPRISE = await createParticipant(t, 'ENTERPRISE', '150421');
    by.IRRIGATION_DISTRICT = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
    by.SERVICE_COMPANY = await createParticipant(t, 'SERVICE_COMPANY', '150421');
    by.WATER_USER = await createParticipant(t, 'WATER_USER', '150421');
    by.RESERVE = await createParticipant(t, 'RESERVE', '150400');
    provinceRegulator = await createParticipant(t, 'REGULATOR', '150000');
    countyRegulator = await createParticipant(t, 'REGULATOR', '150421');
  });
  afterAll(() => t.close());

  describe('a request without a valid API key is 401 UNAUTHENTICATED', () => {
    it('when no Authorization header is sent', async () => {
      expectProblem(await client(t).get('/v1/participants/me'), 401, 'UNAUTHENTICATED');
    });

    it.each([
      ['an empty bearer', 'Bearer'],
      ['a bearer with a blank token', 'Bearer '],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
      ['a token with a space in it', 'Bearer wrx_a wrx_b'],
      ['a bare token without a scheme', 'test-operator-key-0123456789abcdef'],
    ])('when the header is malformed: %s', async (_, header) => {
      const res = await request(t.http).get('/v1/participants/me').set('Authorization', header);
      expectProblem(res, 401, 'UNAUTHENTICATED');
    });

    it('when the key is unknown', async () => {
      expectProblem(await client(t, 'wrx_this-key-was-never-issued').get('/v1/participants/me'), 401, 'UNAUTHENTICATED');
    });

    it('when the key is sent in the query string instead of the header', async () => {
      expectProblem(await client(t).get(`/v1/participants/me?access_token=${t.adminKey}`), 401, 'UNAUTHENTICATED');
    });

    it('when the key is revoked', async () => {
      const p = await createParticipant(t, 'WATER_USER', '150422');
      const keyId = (await client(t, p.apiKey).get(`/v1/participants/${p.id}/api-keys`)).body.items[0].keyId;
      expect((await client(t, t.adminKey).delete(`/v1/participants/${p.id}/api-keys/${keyId}`)).status).toBe(200);
      expectProblem(await client(t, p.apiKey).get('/v1/participants/me'), 401, 'UNAUTHENTICATED');
    });

    it('before anything else, even on a route whose body would be invalid', async () => {
      expectProblem(await client(t).post('/v1/participants', { nonsense: true }), 401, 'UNAUTHENTICATED');
    });
  });

  describe('API keys', () => {
    it('lets the operator issue a key for a participant, shown once, that authenticates as it', async () => {
      const p = await createParticipant(t, 'ENTERPRISE', '150422');
      const res = await client(t, t.adminKey).post(`/v1/participants/${p.id}/api-keys`);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ keyId: expect.any(String), apiKey: expect.any(String) });
      expect(res.body.apiKey).not.toBe(p.apiKey);
      expect((await client(t, res.body.apiKey).get('/v1/participants/me')).body.id).toBe(p.id);
    });

    it('lets a participant issue its own key, and the old key keeps working', async () => {
      const p = await createParticipant(t, 'ENTERPRISE', '150422');
      const res = await client(t, p.apiKey).post(`/v1/participants/${p.id}/api-keys`);
      expect(res.status).toBe(201);
      expect((await client(t, res.body.apiKey).get('/v1/participants/me')).body.id).toBe(p.id);
      expect((await client(t, p.apiKey).get('/v1/participants/me')).body.id).toBe(p.id);
    });

    it('pages keys newest first under the list conventions', async () => {
      const p = await createParticipant(t, 'ENTERPRISE', '150422');
      const issued = [];
      for (let i = 0; i < 2; i++) issued.push((await client(t, p.apiKey).post(`/v1/participants/${p.id}/api-keys`)).body.keyId);
      const first = await client(t, p.apiKey).get(`/v1/participants/${p.id}/api-keys?limit=2`);
      expect(first.body.items.map((k: any) => k.keyId)).toEqual([issued[1], issued[0]]);
      const rest = await client(t, p.apiKey).get(`/v1/participants/${p.id}/api-keys?limit=2&cursor=${first.body.nextCursor}`);
      expect(rest.body.items).toHaveLength(1);
      expect(rest.body.nextCursor).toBeNull();
      for (const limit of ['0', '501', 'x']) {
        expect((await client(t, p.apiKey).get(`/v1/participants/${p.id}/api-keys?limit=${limit}`)).status).toBe(400);
      }
    });

    it('lists keys without ever showing a secret', async () => {
      const p = await createParticipant(t, 'ENTERPRISE', '150422');
      const second = (await client(t, p.apiKey).post(`/v1/participants/${p.id}/api-keys`)).body;
      await client(t, second.apiKey).get('/v1/participants/me');
      for (const caller of [p.apiKey, t.adminKey]) {
        const res = await client(t, caller).get(`/v1/participants/${p.id}/api-keys`);
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(2);
        for (const item of res.body.items) {
          expect(Object.keys(item).sort()).toEqual(['createdAt', 'keyId', 'lastUsedAt', 'revokedAt']);
          expect(item.revokedAt).toBeNull();
        }
        expect(res.text).not.toContain(p.apiKey);
        expect(res.text).not.toContain(second.apiKey);
        expect(res.body.items.find((k: any) => k.keyId === second.keyId).lastUsedAt).toEqual(expect.any(String));
      }
    });

    it('revokes a key at once while the participant’s other key keeps working', async () => {
      const p = await createParticipant(t, 'IRRIGATION_DISTRICT', '150422');
      const spare = (await client(t, p.apiKey).post(`/v1/participants/${p.id}/api-keys`)).body;
      expect((await client(t, spare.apiKey).get('/v1/participants/me')).status).toBe(200);

      const res = await client(t, p.apiKey).delete(`/v1/participants/${p.id}/api-keys/${spare.keyId}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ keyId: spare.keyId, createdAt: expect.any(String), lastUsedAt: expect.any(String), revokedAt: expect.any(String) });

      expectProblem(await client(t, spare.apiKey).get('/v1/participants/me'), 401, 'UNAUTHENTICATED');
      expect((await client(t, p.apiKey).get('/v1/participants/me')).status).toBe(200);
      const listed = (await client(t, p.apiKey).get(`/v1/participants/${p.id}/api-keys`)).body.items;
      expect(listed.find((k: any) => k.keyId === spare.keyId).revokedAt).toEqual(res.body.revokedAt);
    });

    it('lets a participant revoke the very key it is calling with', async () => {
      const p = await createParticipant(t, 'WATER_USER', '150422');
      const keyId = (await client(t, p.apiKey).get(`/v1/participants/${p.id}/api-keys`)).body.items[0].keyId;
      expect((await client(t, p.apiKey).delete(`/v1/participants/${p.id}/api-keys/${keyId}`)).status).toBe(200);
      expectProblem(await client(t, p.apiKey).get('/v1/participants/me'), 401, 'UNAUTHENTICATED');
    });

    it('does not let another participant issue, list or revoke someone’s keys (403)', async () => {
      const owner = await createParticipant(t, 'ENTERPRISE', '150421');
      const keyId = (await client(t, owner.apiKey).get(`/v1/participants/${owner.id}/api-keys`)).body.items[0].keyId;
      for (const other of [by.ENTERPRISE, by.REGULATOR, provinceRegulator]) {
        const c = client(t, other.apiKey);
        expectProblem(await c.post(`/v1/participants/${owner.id}/api-keys`), 403, 'FORBIDDEN');
        expectProblem(await c.get(`/v1/participants/${owner.id}/api-keys`), 403, 'FORBIDDEN');
        expectProblem(await c.delete(`/v1/participants/${owner.id}/api-keys/${keyId}`), 403, 'FORBIDDEN');
      }
      expect((await client(t, owner.apiKey).get('/v1/participants/me')).status).toBe(200);
      expect((await client(t, owner.apiKey).get(`/v1/participants/${owner.id}/api-keys`)).body.items).toHaveLength(1);
    });

    it('answers 404 for a key that is not the participant’s, and for an unknown participant', async () => {
      const a = await createParticipant(t, 'ENTERPRISE', '150421');
      const b = await createParticipant(t, 'ENTERPRISE', '150421');
      const bKey = (await client(t, b.apiKey).get(`/v1/participants/${b.id}/api-keys`)).body.items[0].keyId;
      expectProblem(await client(t, a.apiKey).delete(`/v1/participants/${a.id}/api-keys/${bKey}`), 404, 'NOT_FOUND');
      expect((await client(t, b.apiKey).get('/v1/participants/me')).status).toBe(200);
      expectProblem(await client(t, t.adminKey).get('/v1/participants/7d5e3c1a-0000-4000-8000-000000000000/api-keys'), 404, 'NOT_FOUND');
      expectProblem(await client(t, t.adminKey).post('/v1/participants/not-an-id/api-keys'), 404, 'NOT_FOUND');
    });
  });

  describe('403 matrix: who may call what', () => {
    let regionSeq = 0;
    const MATRIX: Array<{ endpoint: string; allowed: Kind[]; okStatus: number; call: (apiKey: string) => request.Test }> = [
      {
        endpoint: 'POST /v1/participants',
        allowed: ['OPERATOR'],
        okStatus: 201,
        call: (apiKey) => client(t, apiKey).post('/v1/participants', { name: 'made in the matrix', kind: 'WATER_USER', regionCode: '150421' }),
      },
      { endpoint: 'GET /v1/participants', allowed: ['OPERATOR', 'REGULATOR'], okStatus: 200, call: (apiKey) => client(t, apiKey).get('/v1/participants') },
      {
        endpoint: 'PUT /v1/regions/:code',
        allowed: ['OPERATOR'],
        okStatus: 201,
        call: (apiKey) => client(t, apiKey).put(`/v1/regions/${150430 + regionSeq++}`, { name: '新旗', parentCode: '150400' }),
      },
      {
        endpoint: 'PUT /v1/regions/150421/caps/:year (a county of the regulator’s city)',
        allowed: ['OPERATOR', 'REGULATOR'],
        okStatus: 200,
        call: (apiKey) => client(t, apiKey).put('/v1/regions/150421/caps/2030', { totalCap: '1000' }),
      },
      { endpoint: 'GET /v1/audit', allowed: ['OPERATOR', 'REGULATOR'], okStatus: 200, call: (apiKey) => client(t, apiKey).get('/v1/audit?limit=1') },
      { endpoint: 'GET /v1/audit/verify', allowed: ['OPERATOR', 'REGULATOR'], okStatus: 200, call: (apiKey) => client(t, apiKey).get('/v1/audit/verify') },
    ];

    describe.each(MATRIX)('$endpoint', ({ allowed, okStatus, call }) => {
      it.each(KINDS.map((kind) => [kind, allowed.includes(kind)] as const))('as %s → allowed: %s', async (kind, ok) => {
        const res = await call(by[kind].apiKey);
        if (ok) expect(res.status).toBe(okStatus);
        else expectProblem(res, 403, 'FORBIDDEN');
      });
    });

    it('lets anyone authenticated read a region and a cap view', async () => {
      for (const kind of KINDS) {
        expect((await client(t, by[kind].apiKey).get('/v1/regions/150400')).status).toBe(200);
        expect((await client(t, by[kind].apiKey).get('/v1/regions/150421/caps/2030')).status).toBe(200);
      }
    });
  });

  describe('caps are set from the level above: a regulator needs a jurisdiction that strictly contains the region', () => {
    const setCap = (who: Party, code: string) => client(t, who.apiKey).put(`/v1/regions/${code}/caps/2031`, { totalCap: '5000' });

    it('lets the city regulator cap each of its counties', async () => {
      expect((await setCap(by.REGULATOR, '150421')).status).toBe(200);
      expect((await setCap(by.REGULATOR, '150422')).status).toBe(200);
    });

    it('lets the province regulator cap the city and, further down, a county', async () => {
      expect((await setCap(provinceRegulator, '150400')).status).toBe(200);
      expect((await setCap(provinceRegulator, '150421')).status).toBe(200);
    });

    it('refuses the city regulator its own region', async () => {
      expectProblem(await setCap(by.REGULATOR, '150400'), 403, 'FORBIDDEN');
    });

    it('refuses a county regulator its own county', async () => {
      expectProblem(await setCap(countyRegulator, '150421'), 403, 'FORBIDDEN');
    });

    it('refuses the city regulator a sibling city and the province above it', async () => {
      expectProblem(await setCap(by.REGULATOR, '150200'), 403, 'FORBIDDEN');
      expectProblem(await setCap(by.REGULATOR, '150000'), 403, 'FORBIDDEN');
    });

    it('refuses a county regulator the county next door', async () => {
      expectProblem(await setCap(countyRegulator, '150422'), 403, 'FORBIDDEN');
    });

    it('leaves a refused cap unchanged', async () => {
      const before = (await client(t, t.adminKey).get('/v1/regions/150200/caps/2031')).body;
      await setCap(by.REGULATOR, '150200');
      expect((await client(t, t.adminKey).get('/v1/regions/150200/caps/2031')).body).toEqual(before);
    });
  });
});
