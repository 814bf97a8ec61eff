import request from 'supertest';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { expectProblem, fieldsOf } from './support/problem';
import { sql, untilSealed } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';

describe('Idempotency-Key on creating POSTs', () => {
  let t: TestApp;
  let bodySeq = 0;

  /** A participant body no other test uses, so counting by name counts this test's effects. */
  const freshBody = (extra: Record<string, string> = {}): Record<string, string> & { name: string } => ({
    name: `幂等 ${++bodySeq}`,
    kind: 'WATER_USER',
    regionCode: '150421',
    ...extra,
  });
  const createWithKey = (key: string, body: unknown, apiKey = t.adminKey) =>
    request(t.http).post('/v1/participants').set('Authorization', `Bearer ${apiKey}`).set('Idempotency-Key', key).send(body as object);
  const countNamed = async (name: string) => Number((await sql(t, 'SELECT count(*) AS n FROM participants WHERE name = $1', [name]))[0].n);
  /**
   * A replay is the stored first response, except that an API key is never stored in
   * clear: a replayed key-issuing response withholds it (the key itself was created once).
   */
  const asReplayed = (first: Record<string, unknown>) =>
    typeof first.apiKey === 'string' ? { ...first, apiKey: null, apiKeyWithheld: expect.any(String) } : first;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
  });
  afterAll(() => t.close());

  it('replays the first response, status and body (byte for byte), with Idempotent-Replayed: true, and creates once', async () => {
    const body = freshBody();
    const first = await createWithKey('create-once', body);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const again = await createWithKey('create-once', body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^application\/json/);
    expect(again.body).toEqual(asReplayed(first.body));
    expect((await createWithKey('create-once', body)).text).toBe(again.text);
    expect(await countNamed(body.name)).toBe(1);
  });

  it('compares bodies as canonical JSON: the same fields in another order are the same request', async () => {
    const body = freshBody({ creditCode: 'C-1' });
    const first = await createWithKey('key-order', body);
    const reordered = { creditCode: body.creditCode, regionCode: body.regionCode, kind: body.kind, name: body.name };
    const again = await createWithKey('key-order', reordered);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(asReplayed(first.body));
    expect(await countNamed(body.name)).toBe(1);
  });

  it('refuses the same key with a different body: 409 IDEMPOTENCY_KEY_REUSED, nothing created', async () => {
    const body = freshBody();
    await createWithKey('reused', body);
    const other = freshBody();
    expectProblem(await createWithKey('reused', other), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(await countNamed(other.name)).toBe(0);
    expect(await countNamed(body.name)).toBe(1);
  });

  it('treats a request without a key as new each time', async () => {
    const body = freshBody();
    await client(t, t.adminKey).post('/v1/participants', body);
    await client(t, t.adminKey).post('/v1/participants', body);
    expect(await countNamed(body.name)).toBe(2);
  });

  describe('scope is (caller, method, path)', () => {
    let alice: Party;
    let bob: Party;
    beforeAll(async () => {
      alice = await createParticipant(t, 'ENTERPRISE', '150421');
      bob = await createParticipant(t, 'ENTERPRISE', '150421');
    });

    it('keeps the same key from two callers apart', async () => {
      const post = (who: Party) =>
        request(t.http).post(`/v1/participants/${who.id}/api-keys`).set('Authorization', `Bearer ${who.apiKey}`).set('Idempotency-Key', 'shared-key');
      const a = await post(alice);
      const b = await post(bob);
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(b.body.keyId).not.toBe(a.body.keyId);
      expect((await post(alice)).body).toEqual(asReplayed(a.body));
    });

    it('keeps the same key on two paths apart', async () => {
      const issue = (who: Party) =>
        request(t.http).post(`/v1/participants/${who.id}/api-keys`).set('Authorization', `Bearer ${t.adminKey}`).set('Idempotency-Key', 'per-path');
      const forAlice = await issue(alice);
      const forBob = await issue(bob);
      expect(forBob.headers['idempotent-replayed']).toBeUndefined();
      expect(forBob.body.keyId).not.toBe(forAlice.body.keyId);
      const body = freshBody();
      const created = await createWithKey('per-path', body);
      expect(created.status).toBe(201);
      expect(created.headers['idempotent-replayed']).toBeUndefined();
      expect(await countNamed(body.name)).toBe(1);
    });

    it('is one scope however the path is spelled: a trailing slash, capitals or an upper-case id replay, and the money moves once (an unknown query parameter is a 400)', async () => {
      const carol = await createParticipant(t, 'ENTERPRISE', '150421');
      expect((await client(t, t.adminKey).post(`/v1/participants/${carol.id}/deposits`, { amount: '100.00', reference: `IDEM-SPELL-${carol.id}` })).status).toBe(201);
      const withdraw = (path: string) =>
        request(t.http).post(path).set('Authorization', `Bearer ${carol.apiKey}`).set('Idempotency-Key', 'spelled-apart').send({ amount: '1.00' });
      const first = await withdraw(`/v1/participants/${carol.id}/withdrawals`);
      expect(first.status).toBe(201);
      for (const path of [
        `/v1/participants/${carol.id}/withdrawals/`,
        `/V1/Participants/${carol.id}/Withdrawals`,
        `/v1/participants/${carol.id.toUpperCase()}/withdrawals`,
      ]) {
        const again = await withdraw(path);
        expect({ path, status: again.status, replayed: again.headers['idempotent-replayed'] }).toEqual({ path, status: 201, replayed: 'true' });
        expect(again.body).toEqual(first.body);
      }
      // A query parameter the withdrawal does not take makes another request: refused, neither replayed nor run.
      const withQuery = await withdraw(`/v1/participants/${carol.id}/withdrawals?x=1`);
      expect({ status: withQuery.status, code: withQuery.body.code, replayed: withQuery.headers['idempotent-replayed'] }).toEqual({ status: 400, code: 'VALIDATION_FAILED', replayed: undefined });
      const balances = await client(t, carol.apiKey).get(`/v1/participants/${carol.id}/balances`);
      expect(balances.body.cash).toEqual({ available: '99.00', locked: '0.00' });
    });

    it('keeps the same key on another participant’s key path apart from the operator’s', async () => {
      const ownKeys = (await client(t, alice.apiKey).get(`/v1/participants/${alice.id}/api-keys`)).body.items.length;
      await request(t.http).post(`/v1/participants/${alice.id}/api-keys`).set('Authorization', `Bearer ${alice.apiKey}`).set('Idempotency-Key', 'mixed');
      await request(t.http).post(`/v1/participants/${alice.id}/api-keys`).set('Authorization', `Bearer ${t.adminKey}`).set('Idempotency-Key', 'mixed');
      expect((await client(t, alice.apiKey).get(`/v1/participants/${alice.id}/api-keys`)).body.items).toHaveLength(ownKeys + 2);
    });
  });

  describe('errors', () => {
    it('stores a 4xx response and replays it, still without creating anything', async () => {
      const invalid = { name: 'invalid', kind: 'WATER_USER', regionCode: '159999' };
      const first = await createWithKey('bad-region', invalid);
      expectProblem(first, 400, 'VALIDATION_FAILED');
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      // Creating the region would let the same request succeed; the key still answers what it answered.
      await seedRegions(t, [{ code: '159999', name: '测试区', parentCode: '150000' }]);
      const again = await createWithKey('bad-region', invalid);
      expect(again.status).toBe(400);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(again.text).toBe(first.text);
      expect(await countNamed('invalid')).toBe(0);
    });

    it('answers a forbidden caller 403 again under the same key, creating nothing', async () => {
      const user = await createParticipant(t, 'WATER_USER', '150421');
      const body = freshBody();
      const first = await createWithKey('forbidden', body, user.apiKey);
      expectProblem(first, 403, 'FORBIDDEN');
      const again = await createWithKey('forbidden', body, user.apiKey);
      expectProblem(again, 403, 'FORBIDDEN');
      // A 403 is stored like any other 4xx: replayed verbatim, and the key is now taken.
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.text).toBe(first.text);
      expectProblem(await createWithKey('forbidden', freshBody(), user.apiKey), 409, 'IDEMPOTENCY_KEY_REUSED');
      expect(await countNamed(body.name)).toBe(0);
    });

    it('does not store a 401: the same key works once the caller authenticates', async () => {
      const body = freshBody();
      const unauthenticated = await request(t.http).post('/v1/participants').set('Authorization', 'Bearer wrx_wrong').set('Idempotency-Key', 'after-401').send(body);
      expectProblem(unauthenticated, 401, 'UNAUTHENTICATED');
      const res = await createWithKey('after-401', body);
      expect(res.status).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    });

    it('does not store a failure inside the service: a retry with the key runs afresh and creates once', async () => {
      const body = freshBody();
      // Forces the insert to fail with a database error the client cannot cause, then lifts it.
      await sql(t, `ALTER TABLE participants ADD CONSTRAINT reject_probe CHECK (name <> '${body.name}') NOT VALID`);
      try {
        expect((await createWithKey('after-500', body)).status).toBeGreaterThanOrEqual(500);
      } finally {
        await sql(t, 'ALTER TABLE participants DROP CONSTRAINT reject_probe');
      }
      const retry = await createWithKey('after-500', body);
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(await countNamed(body.name)).toBe(1);
      expect((await createWithKey('after-500', body)).headers['idempotent-replayed']).toBe('true');
    });

    it.each([
      ['an empty key', ''],
      ['a key over 255 characters', 'k'.repeat(256)],
      ['a key with a non-ASCII character', 'clé-1'],
      ['a key with a control character', 'a\tb'],
    ])('refuses %s (400), creating nothing', async (_, key) => {
      const body = freshBody();
      const res = await request(t.http)
        .post('/v1/participants')
        .set('Authorization', `Bearer ${t.adminKey}`)
        .set('Idempotency-Key', Buffer.from(key, 'utf8').toString('latin1'))
        .send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['Idempotency-Key']);
      expect(await countNamed(body.name)).toBe(0);
    });

    it('accepts a key of exactly 255 printable characters', async () => {
      const key = '~'.repeat(200) + ' !"#$%&()*+,-./0123456789:;<=>?@[]^_`{|}'.padEnd(55, 'x');
      expect(key).toHaveLength(255);
      expect((await createWithKey(key, freshBody())).status).toBe(201);
    });
  });

  describe('racing duplicates', () => {
    it.each([2, 10])('%i identical requests racing with one key have exactly one effect and one answer', async (n) => {
      const body = freshBody();
      const key = `race-${n}`;
      const responses = await Promise.all(Array.from({ length: n }, () => createWithKey(key, body)));
      expect(responses.map((r) => r.status)).toEqual(Array(n).fill(201));
      const firsts = responses.filter((r) => r.headers['idempotent-replayed'] === undefined);
      const replays = responses.filter((r) => r.headers['idempotent-replayed'] === 'true');
      expect(firsts).toHaveLength(1);
      for (const r of replays) {
        expect(r.text).toBe(replays[0].text);
        expect(r.body).toEqual(asReplayed(firsts[0].body));
      }
      expect(await countNamed(body.name)).toBe(1);
      await untilSealed(t);
      const created = await sql(t, `SELECT count(*) AS n FROM audit_log WHERE action = 'participant.created' AND entity_id = $1`, [firsts[0].body.id]);
      expect(Number(created[0].n)).toBe(1);
    });

    it('gives one winner and 409s when racing requests share a key but not a body', async () => {
      const bodies = Array.from({ length: 6 }, () => freshBody());
      const responses = await Promise.all(bodies.map((b) => createWithKey('race-differing', b)));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      for (const r of responses.filter((x) => x.status !== 201)) expectProblem(r, 409, 'IDEMPOTENCY_KEY_REUSED');
      const counts = await Promise.all(bodies.map((b) => countNamed(b.name)));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    });
  });

  describe('an action that names no body takes none or {}: the two are one request', () => {
    let owner: Party;
    beforeAll(async () => {
      owner = await createParticipant(t, 'ENTERPRISE', '150421');
    });
    /** A key issued under an Idempotency-Key, with no body at all or the exact JSON text given. */
    const issueKey = (key: string, body?: string) => {
      const r = request(t.http).post(`/v1/participants/${owner.id}/api-keys`).set('Authorization', `Bearer ${owner.apiKey}`).set('Idempotency-Key', key);
      return body === undefined ? r : r.set('Content-Type', 'application/json').serialize((b: unknown) => b as string).send(body);
    };
    const keysOfOwner = async () => Number((await sql(t, 'SELECT count(*) AS n FROM api_keys WHERE participant_id = $1', [owner.id]))[0].n);

    it.each([
      ['no body, then {}', undefined, '{}'],
      ['{}, then no body', '{}', undefined],
      ['no body, then an empty body declared JSON', undefined, ''],
    ])('replays the first response to the retry: %s', async (_, first, retry) => {
      const key = `bodyless-${String(first)}-${String(retry)}`;
      const before = await keysOfOwner();
      const created = await issueKey(key, first);
      expect(created.status).toBe(201);
      const again = await issueKey(key, retry);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(asReplayed(created.body));
      expect(await keysOfOwner()).toBe(before + 1);
    });

    it('still refuses the key with a body that is not empty (the 400 it stored differs from no body)', async () => {
      const first = await issueKey('bodyless-then-junk');
      expect(first.status).toBe(201);
      expectProblem(await issueKey('bodyless-then-junk', '{"junk":1}'), 409, 'IDEMPOTENCY_KEY_REUSED');
      expectProblem(await issueKey('bodyless-then-array', '[]'), 400, 'VALIDATION_FAILED');
      expectProblem(await issueKey('bodyless-then-array'), 409, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('replays a key stored before the change, when a bodyless request was hashed as null, to a retry with no body or {}', async () => {
      const first = await issueKey('stored-before');
      expect(first.status).toBe(201);
      await sql(t, `UPDATE idempotency_keys SET request_hash = encode(sha256('null'), 'hex') WHERE participant_id = $1 AND key = 'stored-before'`, [owner.id]);
      for (const retry of [undefined, '{}']) {
        const again = await issueKey('stored-before', retry);
        expect(again.status).toBe(201);
        expect(again.headers['idempotent-replayed']).toBe('true');
      }
      expectProblem(await issueKey('stored-before', '{"junk":1}'), 409, 'IDEMPOTENCY_KEY_REUSED');
    });
  });
});
