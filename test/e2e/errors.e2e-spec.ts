import fc from 'fast-check';
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { createParticipant, seedRegions } from './support/fixtures';
import { expectProblem, fieldsOf } from './support/problem';
import { countRows } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';

const VALID_PARTICIPANT = { name: '赤峰某企业', kind: 'ENTERPRISE', regionCode: '150421' };

describe('errors are problem+json, and no client input produces a 500', () => {
  let t: TestApp;
  // Sent as the exact bytes given: supertest would otherwise re-encode a JSON-typed Buffer as JSON.
  const raw = (r: request.Test, body: string | Buffer, contentType: string) =>
    r.set('Authorization', `Bearer ${t.adminKey}`).set('Content-Type', contentType).serialize((b: unknown) => b as string).send(body);
  const rawPost = (path: string, body: string | Buffer, contentType = 'application/json') => raw(request(t.http).post(path), body, contentType);
  const rawPut = (path: string, body: string | Buffer, contentType = 'application/json') => raw(request(t.http).put(path), body, contentType);

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
  });
  afterAll(() => t.close());

  describe('the problem document', () => {
    it('carries type, title, status, detail, code, the request path and the request id', async () => {
      const res = await request(t.http).get('/v1/participants/me').set('X-Request-Id', 'trace-errors-1');
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.body).toMatchObject({ instance: '/v1/participants/me', requestId: 'trace-errors-1' });
      expect(res.body.type).toMatch(/^https?:\/\//);
    });

    it('is used for 403, 404 and 409 as well', async () => {
      const user = await createParticipant(t, 'WATER_USER', '150421');
      expectProblem(await client(t, user.apiKey).get('/v1/audit'), 403, 'FORBIDDEN');
      expectProblem(await client(t, t.adminKey).get('/v1/regions/159999'), 404, 'NOT_FOUND');
      await client(t, t.adminKey).post('/v1/participants', VALID_PARTICIPANT, { 'Idempotency-Key': 'errors-409' });
      const conflict = await client(t, t.adminKey).post('/v1/participants', { ...VALID_PARTICIPANT, name: 'other' }, { 'Idempotency-Key': 'errors-409' });
      expectProblem(conflict, 409, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('400 VALIDATION_FAILED', () => {
    it.each([
      ['a truncated object', '{"name":'],
      ['a trailing comma', '{"name":"x",}'],
      ['single quotes', "{'name':'x'}"],
      ['a bare string', '"participant"'],
      ['a bare number', '42'],
      ['null', 'null'],
    ])('for malformed or non-object JSON: %s', async (_, body) => {
      const res = await rawPost('/v1/participants', body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['body']);
    });

    it('for an array body', async () => {
      const res = await rawPost('/v1/participants', JSON.stringify([VALID_PARTICIPANT]));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['body']);
    });

    it('for no body where one is required', async () => {
      expectProblem(await request(t.http).post('/v1/participants').set('Authorization', `Bearer ${t.adminKey}`), 400, 'VALIDATION_FAILED');
    });

    it('naming every unknown field in errors[]', async () => {
      const res = await client(t, t.adminKey).post('/v1/participants', { ...VALID_PARTICIPANT, apiKey: 'mine', balance: '100' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'apiKey', message: 'unknown field' },
          { field: 'balance', message: 'unknown field' },
        ]),
      );
    });

    it('for an unknown query parameter', async () => {
      const res = await client(t, t.adminKey).get('/v1/participants?sort=name');
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['sort']);
    });

    it('for a JSON number where a decimal string belongs', async () => {
      const res = await client(t, t.adminKey).put('/v1/regions/150421/caps/2026', { totalCap: 1000 });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'totalCap', message: expect.stringMatching(/decimal string.*JSON number/) }]);
    });

    it('for a NUL character in a value or a key', async () => {
      const inValue = await client(t, t.adminKey).post('/v1/participants', { ...VALID_PARTICIPANT, name: 'a\u0000b' });
      expectProblem(inValue, 400, 'VALIDATION_FAILED');
      const inKey = await rawPost('/v1/participants', '{"name":"x","kind":"ENTERPRISE","regionCode":"150421","\\u0000":1}');
      expectProblem(inKey, 400, 'VALIDATION_FAILED');
      expectProblem(await client(t, t.adminKey).get('/v1/participants?kind=%00'), 400, 'VALIDATION_FAILED');
    });

    it('for a body nested deeper than any request needs', async () => {
      const deep = `{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      expectProblem(await rawPost('/v1/participants', deep), 400, 'VALIDATION_FAILED');
      expectProblem(await rawPut('/v1/regions/150421', deep), 400, 'VALIDATION_FAILED');
    });

    describe('for a lone UTF-16 surrogate ("\\ud800x": valid JSON, not Unicode), before any handler runs', () => {
      const participantBody = (name: string) => `{"name":"${name}","kind":"ENTERPRISE","regionCode":"150421"}`;

      it('naming the field, and creating nothing', async () => {
        const before = await countRows(t, 'participants');
        for (const name of ['\\ud800x', 'x\\udc00', '\\udc00\\ud800']) {
          const res = await rawPost('/v1/participants', participantBody(name));
          expectProblem(res, 400, 'VALIDATION_FAILED');
          expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(/well-formed Unicode/) }]);
        }
        expect(await countRows(t, 'participants')).toBe(before);
      });

      it('naming nested fields items[2].name style, a field name by the object holding it, and a bare string as body', async () => {
        const nested = await rawPut('/v1/regions/150421', '{"name":"x","items":[1,"ok",{"name":"\\ud800"}],"terms":{"note":"\\udfff"}}');
        expectProblem(nested, 400, 'VALIDATION_FAILED');
        expect(fieldsOf(nested)).toEqual(['items[2].name', 'terms.note']);
        expect(fieldsOf(await rawPost('/v1/participants', '{"name":"x","kind":"ENTERPRISE","regionCode":"150421","\\ud800":1}'))).toEqual(['body']);
        expect(fieldsOf(await rawPut('/v1/regions/150421', '{"name":"x","meta":{"\\udc00":"y"}}'))).toEqual(['meta']);
        expect(fieldsOf(await rawPost('/v1/participants', '"\\ud800"'))).toEqual(['body']);
      });

      it('on a bare action too (the reason of a halt is refused before the halt is looked at)', async () => {
        const res = await rawPost('/v1/markets/150421-SURFACE-2026/halt', '{"reason":"\\ud800"}');
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fieldsOf(res)).toEqual(['reason']);
      });

      it('but stores a surrogate pair (an emoji) as it was sent', async () => {
        const res = await rawPost('/v1/participants', participantBody('节水\\ud83d\\udca7'));
        expect(res.status).toBe(201);
        expect(res.body.name).toBe('节水\u{1F4A7}');
      });
    });

    it('for bytes that are not UTF-8 (they were stored as U+FFFD, so two bank references became one), creating nothing', async () => {
      const p = await createParticipant(t, 'ENTERPRISE', '150421');
      const deposit = (reference: Buffer) =>
        rawPost(`/v1/participants/${p.id}/deposits`, Buffer.concat([Buffer.from('{"amount":"1.00","reference":"'), reference, Buffer.from('"}')]));
      for (const bytes of [[0x75, 0xff, 0xfe], [0x75, 0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
        const res = await deposit(Buffer.from(bytes));
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual([{ field: 'body', message: expect.stringMatching(/well-formed UTF-8/) }]);
      }
      expect((await client(t, p.apiKey).get(`/v1/participants/${p.id}/ledger`)).body.items).toEqual([]);
      // Well-formed UTF-8 beyond ASCII is text like any other.
      expect((await deposit(Buffer.from('银行流水-001', 'utf8'))).status).toBe(201);
    });

    describe('for a timestamp without a time zone: read as UTC before, 8 hours off if meant as Beijing time', () => {
      const ZONELESS = ['2026-12-20T10:00:00', '2027-01-01', '2026-12-20T10:00'];
      const auctionBody = (closesAt: string) => ({ marketId: '150421-SURFACE-2026', side: 'SELL', volume: '1000', limitPrice: '2.00', closesAt });
      const regionalTradeBody = (closesAt: string) => ({ volumePerYear: '1000', fromYear: 2027, toYear: 2027, askingPrice: '0.5', closesAt });

      it.each(ZONELESS)('in a body: an auction\'s and a regional trade\'s closesAt %s', async (closesAt) => {
        const [trader, regulator] = [await createParticipant(t, 'IRRIGATION_DISTRICT', '150421'), await createParticipant(t, 'REGULATOR', '150421')];
        for (const res of [
          await client(t, trader.apiKey).post('/v1/auctions', auctionBody(closesAt)),
          await client(t, regulator.apiKey).post('/v1/regional-trades', regionalTradeBody(closesAt)),
        ]) {
          expectProblem(res, 400, 'VALIDATION_FAILED');
          expect(res.body.errors).toEqual([{ field: 'closesAt', message: expect.stringContaining('2026-01-01T00:00:00Z') }]);
        }
      });

      it.each(ZONELESS)('in a query: the audit log\'s from and to %s', async (at) => {
        const res = await client(t, t.adminKey).get(`/v1/audit?from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fieldsOf(res).sort()).toEqual(['from', 'to']);
      });

      it('but reads an explicit offset as that instant: the same entry is the boundary in UTC and in Beijing time', async () => {
        const seqs = async (query: string) => {
          const res = await client(t, t.adminKey).get(`/v1/audit?limit=500&${query}`);
          expect(res.status).toBe(200);
          return res.body.items.map((e: { seq: number }) => e.seq);
        };
        const [newest] = (await client(t, t.adminKey).get('/v1/audit?limit=1')).body.items;
        const at: string = newest.at;
        // The same instant written as Beijing time, its fraction of a second kept as sent.
        const fraction = at.slice(19, -1);
        const beijing = `${new Date(Date.parse(`${at.slice(0, 19)}Z`) + 8 * 3600_000).toISOString().slice(0, 19)}${fraction}+08:00`;
        const from = await seqs(`from=${encodeURIComponent(beijing)}`);
        expect(from).toContain(newest.seq);
        expect(from).toEqual(await seqs(`from=${encodeURIComponent(at)}`));
        const to = await seqs(`to=${encodeURIComponent(beijing)}`);
        expect(to).not.toContain(newest.seq);
        expect(to).toEqual(await seqs(`to=${encodeURIComponent(at)}`));
      });
    });

    it('for a corrupt compressed body', async () => {
      const gzipRes = await rawPost('/v1/participants', Buffer.from('not gzip at all')).set('Content-Encoding', 'gzip');
      expectProblem(gzipRes, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(gzipRes)).toEqual(['body']);
      const brRes = await rawPost('/v1/participants', Buffer.from('not brotli')).set('Content-Encoding', 'br');
      expectProblem(brRes, 400, 'VALIDATION_FAILED');
    });

    it('but accepts a well-formed gzip body', async () => {
      const res = await rawPost('/v1/participants', gzipSync(JSON.stringify({ ...VALID_PARTICIPANT, name: 'gzipped' }))).set('Content-Encoding', 'gzip');
      expect(res.status).toBe(201);
    });
  });

  describe('404 NOT_FOUND', () => {
    it.each([
      ['GET', '/v1/nothing-here'],
      ['GET', '/v2/participants'],
      ['POST', '/v1/regions'],
    ])('for %s %s, a path the service does not serve', async (method, path) => {
      const res = await (request(t.http) as any)[method.toLowerCase()](path).set('Authorization', `Bearer ${t.adminKey}`);
      expectProblem(res, 404, 'NOT_FOUND');
    });
  });

  describe('413 PAYLOAD_TOO_LARGE', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await startTestApp({ bodyLimitBytes: 2048 });
      await seedRegions(small, [{ code: '150000', name: '内蒙古自治区', parentCode: undefined }]);
    });
    afterAll(() => small.close());

    it('for a body over the configured limit, before anything is written', async () => {
      const before = await countRows(small, 'participants');
      const res = await client(small, small.adminKey).post('/v1/participants', { name: 'x'.repeat(3000), kind: 'ENTERPRISE', regionCode: '150000' });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
      expect(await countRows(small, 'participants')).toBe(before);
    });

    it('for an oversized body on PUT as well', async () => {
      expectProblem(await client(small, small.adminKey).put('/v1/regions/150000', { name: '内'.repeat(1000) }), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('but serves a body under the limit', async () => {
      const res = await client(small, small.adminKey).post('/v1/participants', { name: 'x'.repeat(200), kind: 'ENTERPRISE', regionCode: '150000', creditCode: 'c'.repeat(64) });
      expect(res.status).toBe(201);
    });
  });

  describe('garbage bodies never cause a 500 or a partial write', () => {
    const TARGETS = [
      { method: 'post', path: '/v1/participants' },
      { method: 'put', path: '/v1/regions/150422' },
      { method: 'put', path: '/v1/regions/150421/caps/2026' },
      { method: 'post', path: '/v1/participants/00000000-0000-4000-8000-000000000000/api-keys' },
    ] as const;

    /** Values shaped like the fields the endpoints read, but each one wrong in some way. */
    const nearMiss = fc.oneof(
      fc.constantFrom('', ' ', '\u0000', '-1', '1e9', 'NaN', '0', '1.0001', '999999999999999999', '１２', '\ud800', 'OPERATOR', '15042', '1504211'),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 40 }),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
    );
    const garbageObject = fc.record(
      {
        name: nearMiss,
        kind: fc.oneof(nearMiss, fc.constantFrom('OPERATOR', 'BANK', 'enterprise')),
        regionCode: nearMiss,
        useType: nearMiss,
        creditCode: nearMiss,
        parentCode: nearMiss,
        groundwaterOverdraft: nearMiss,
        totalCap: nearMiss,
        constructor: fc.dictionary(fc.string({ maxLength: 5 }), nearMiss, { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    );
    const garbageText = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.string({ maxLength: 200 }),
      garbageObject.map((o) => JSON.stringify(o)),
      fc.constantFrom('{', '}', '[', '{"a":1}}', '\u0000', '{"name":"\\ud800"}', '{"name":"x","name":"y"}', '{"__proto__":{"admin":true}}', 'true', '[]'),
    );

    it('answers every one below 500 and writes nothing for a refused request', async () => {
      const bodies = fc.sample(garbageText, { seed: 20261123, numRuns: 60 });
      const samples = bodies.flatMap((body) => TARGETS.map((target) => ({ ...target, body })));
      const counts = async () => ({
        participants: await countRows(t, 'participants'),
        audit: await countRows(t, 'audit_log'),
        caps: await countRows(t, 'caps'),
        keys: await countRows(t, 'api_keys'),
      });
      // A chance-valid totalCap then updates this cap rather than adding one.
      expect((await client(t, t.adminKey).put('/v1/regions/150421/caps/2026', { totalCap: '1' })).status).toBe(200);
      const before = await counts();
      let accepted = 0;
      for (const { method, path, body } of samples) {
        const res = await (method === 'post' ? rawPost(path, body) : rawPut(path, body));
        if (res.status >= 500) throw new Error(`${method.toUpperCase()} ${path} with ${JSON.stringify(body)} → ${res.status} ${res.text}`);
        if (res.status < 400) accepted++;
        else expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      // Random bodies can hit a valid region update by chance; nothing else may have changed.
      const after = await counts();
      expect(after.participants).toBe(before.participants);
      expect(after.caps).toBe(before.caps);
      expect(after.keys).toBe(before.keys);
      expect(after.audit - before.audit).toBeLessThanOrEqual(accepted);
    });
  });
});
