import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { auctionApp } from './support/auctions';
import { Cell, MatrixRow, matrixRows } from './support/authorization-matrix';
import { AuthScene, buildAuthScene, Persona, PERSONAS } from './support/authorization-scene';
import { servedDocument } from './support/openapi-document';
import { expectProblem } from './support/problem';
import { countRows } from './support/sql';
import { startTestApp, TestApp } from './support/test-app';

const BODY_LIMIT = 16 * 1024;
const WRITES = ['post', 'put', 'delete'] as const;
type Write = (typeof WRITES)[number];

/** What no response may carry: a stack frame, a source path, SQL or a driver's error. */
const LEAKS = /\bat [\w.<>]+ \(|\.js:\d+:\d+|node_modules|\/src\/|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^"]*\b(FROM|SET|VALUES|WHERE)\b|QueryFailedError|duplicate key value|violates .* constraint|syntax error at/;

/**
 * Abuse limits (issue 10): a hostile client's bodies, depths, list sizes and parameter
 * counts are refused with a 4xx problem and write nothing; every response carries the
 * security headers and no stack trace or SQL; no API key or webhook secret reaches the logs.
 */
describe('abuse limits', () => {
  let t: TestApp;
  let s: AuthScene;
  const rows = matrixRows();
  /** Every response of the suite, for the leak and header checks at the end. */
  const answers: request.Response[] = [];
  const keep = (res: request.Response) => (answers.push(res), res);

  const keyOf = (who: Persona) => (who === 'anonymous' ? undefined : s.party[who].apiKey);
  /** The exact bytes given, as `who`, with the given Content-Type. */
  const raw = (method: Write | 'get', path: string, body: string | Buffer | undefined, who: Persona = 'operator', contentType = 'application/json') => {
    let r = request(t.http)[method](path);
    const key = keyOf(who);
    if (key) r = r.set('Authorization', `Bearer ${key}`);
    if (body === undefined) return r;
    return r.set('Content-Type', contentType).serialize((b: unknown) => b as string).send(body as string);
  };
  /** A persona the matrix lets through, so that what is refused is the input, not the caller. */
  const allowed = (row: MatrixRow): Persona => PERSONAS.find((p) => row.expect[p] === ('ok' as Cell) && p !== 'anonymous') ?? 'operator';
  const writeRows = () => rows.filter((r) => WRITES.includes(r.op.split(' ')[0].toLowerCase() as Write) && !r.variant);
  const written = async () => ({ audit: await countRows(t, 'audit_log'), postings: await countRows(t, 'ledger_postings'), keys: await countRows(t, 'idempotency_keys') });

  beforeAll(async () => {
    t = await startTestApp(auctionApp({ bodyLimitBytes: BODY_LIMIT, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } }));
    s = await buildAuthScene(t);
  }, 120_000);
  afterAll(() => t.close());

  describe('bodies', () => {
    it(`refuses a body over the limit (${BODY_LIMIT} bytes) with 413, before reading it into anything`, async () => {
      const before = await written();
      const big = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT), kind: 'WATER_USER', regionCode: '150421' });
      expectProblem(keep(await raw('post', '/v1/participants', big)), 413, 'PAYLOAD_TOO_LARGE');
      expectProblem(keep(await raw('post', '/v1/participants', big).set('Idempotency-Key', 'too-big')), 413, 'PAYLOAD_TOO_LARGE');
      expect(await written()).toEqual(before);
    });

    it('refuses a gzip bomb by its inflated size', async () => {
      const bomb = gzipSync(Buffer.from(`{"name":"${' '.repeat(4 * 1024 * 1024)}"}`));
      expect(bomb.length).toBeLessThan(BODY_LIMIT);
      const res = keep(await raw('post', '/v1/participants', bomb).set('Content-Encoding', 'gzip'));
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it.each([33, 1_000, 100_000])('refuses JSON nested %i deep with a 4xx, never a 500', async (depth) => {
      const body = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      // The deepest is also over the size limit: refused by whichever comes first, never parsed into a stack overflow.
      const res = keep(await raw('put', '/v1/regions/150421', `{"name":"x","a":${body}}`));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('accepts a body at the depth an endpoint defines', async () => {
      const res = keep(await raw('put', '/v1/regions/150421', JSON.stringify({ name: '阿鲁科尔沁旗', parentCode: '150400' })));
      expect(res.status).toBe(200);
    });

    it('refuses a body of more than 1000 fields and items before validating any, and lists at most 50 unknown fields', async () => {
      const before = await written();
      const wide = (n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 0])));
      const many = keep(await raw('post', '/v1/participants', wide(1500)));
      expectProblem(many, 400, 'VALIDATION_FAILED');
      expect(many.body.errors).toEqual([{ field: 'body', message: 'must not hold more than 1000 fields and array items' }]);
      const items = keep(await raw('post', '/v1/participants', JSON.stringify({ name: 'x', kind: 'WATER_USER', regionCode: '150421', list: Array(1200).fill(0) })));
      expectProblem(items, 400, 'VALIDATION_FAILED');

      const some = keep(await raw('post', '/v1/participants', wide(60)));
      expectProblem(some, 400, 'VALIDATION_FAILED');
      expect(some.body.errors).toHaveLength(50);
      expect(some.body.detail).toMatch(/; and \d+ more$/);
      expect(some.text.length).toBeLessThan(8 * 1024);
      expect(await written()).toEqual(before);
    });
  });

  describe('every write operation of the document', () => {
    it('has a caller the matrix lets through, so the refusals below are about the input', async () => {
      const doc = await servedDocument(t);
      const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
        WRITES.filter((m) => m in ops).map((m) => `${m.toUpperCase()} ${path}`));
      expect(documented.filter((op) => !writeRows().some((r) => r.op === op))).toEqual([]);
    });

    it('answers numbers overflowing to Infinity, prototype names and non-JSON bodies with 400 or 415, with or without an Idempotency-Key, and writes nothing', async () => {
      const before = await written();
      const wrong: string[] = [];
      let n = 0;
      for (const row of writeRows()) {
        const method = row.op.split(' ')[0].toLowerCase() as Write;
        const who = allowed(row);
        const { path } = row.call(s, who);
        const cases: Array<[string, string, string, number]> = [
          ['Infinity', '{"a":1e999}', 'application/json', 400],
          ['Infinity in a field', '{"year":1e999,"volume":"1"}', 'application/json', 400],
          ...['toString', 'constructor', '__proto__', 'prototype', 'valueOf', 'hasOwnProperty'].map((name): [string, string, string, number] => [name, `{"${name}":"x"}`, 'application/json', 400]),
          ['text/plain', '{}', 'text/plain', 415],
          ['form', 'a=1', 'application/x-www-form-urlencoded', 415],
          ['array', '[]', 'application/json', 400],
        ];
        for (const [label, body, type, status] of cases) {
          for (const key of [null, `abuse-${n++}`]) {
            let r = raw(method, path, body, who, type);
            if (key) r = r.set('Idempotency-Key', key);
            const res = keep(await r);
            if (res.status !== status) wrong.push(`${row.op} as ${who}, ${label}${key ? ' with a key' : ''}: ${res.status} ${res.body?.code ?? ''}`);
          }
        }
      }
      expect(wrong).toEqual([]);
      // Refusals under a key are stored (API.md, Idempotency), nothing else.
      const after = await written();
      expect({ audit: after.audit, postings: after.postings }).toEqual({ audit: before.audit, postings: before.postings });
    });

    it('gives every caller the same answer to an overflowing number with an Idempotency-Key as without: authorization before the body', async () => {
      const before = await written();
      const wrong: string[] = [];
      let n = 0;
      for (const row of writeRows()) {
        const method = row.op.split(' ')[0].toLowerCase() as Write;
        for (const who of PERSONAS) {
          const { path } = row.call(s, who);
          const plain = keep(await raw(method, path, '{"a":1e999}', who));
          const keyed = keep(await raw(method, path, '{"a":1e999}', who).set('Idempotency-Key', `who-${n++}`));
          if (plain.status < 400 || plain.status >= 500 || keyed.status !== plain.status || keyed.body.code !== plain.body.code) {
            wrong.push(`${row.op} as ${who}: ${plain.status} ${plain.body.code} without a key, ${keyed.status} ${keyed.body.code} with one`);
          }
          // A role the endpoint refuses is told so before its body is read.
          if (row.expect[who] === 401 && plain.status !== 401) wrong.push(`${row.op} as ${who}: ${plain.status} where 401 is due`);
        }
      }
      expect(wrong).toEqual([]);
      const after = await written();
      expect({ audit: after.audit, postings: after.postings }).toEqual({ audit: before.audit, postings: before.postings });
    });

    it('refuses a NUL in any string and names the field', async () => {
      const res = keep(await raw('put', '/v1/regions/150421', '{"name":"a\\u0000b"}'));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'name', message: 'must not contain NUL characters' }]);
    });
  });

  describe('lists and query strings', () => {
    const listPaths = async (): Promise<string[]> => {
      const doc = await servedDocument(t);
      return Object.entries(doc.paths as Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>)
        .filter(([path, ops]) => ops.get?.parameters?.some((p) => p.name === 'limit' && p.in === 'query') && !path.includes('{'))
        .map(([path]) => path);
    };

    it('bounds `limit` to 1–500 on every list that takes one', async () => {
      const paths = await listPaths();
      expect(paths.length).toBeGreaterThan(10);
      const wrong: string[] = [];
      for (const path of paths) {
        const who: Persona = path.startsWith('/v1/public') ? 'anonymous' : path.startsWith('/v1/approvals') ? 'regIn' : 'operator';
        for (const limit of ['0', '501', '-1', '1e3', '2.5', 'abc', '99999999999999999999', '']) {
          const res = keep(await raw('get', `${path}?limit=${limit}`, undefined, who));
          if (res.status !== 400) wrong.push(`${path}?limit=${limit}: ${res.status}`);
        }
        const most = keep(await raw('get', `${path}?limit=500`, undefined, who));
        if (most.status !== 200) wrong.push(`${path}?limit=500: ${most.status}`);
      }
      expect(wrong).toEqual([]);
    });

    it('refuses a repeated parameter, an unknown one and a thousand of them', async () => {
      expectProblem(keep(await raw('get', '/v1/participants?limit=1&limit=2', undefined)), 400, 'VALIDATION_FAILED');
      expectProblem(keep(await raw('get', '/v1/participants?colour=blue', undefined)), 400, 'VALIDATION_FAILED');
      const many = Array.from({ length: 1_000 }, (_, i) => `p${i}=${i}`).join('&');
      for (const path of ['/v1/participants', '/v1/markets', '/v1/public/markets', '/v1/audit']) {
        const res = keep(await raw('get', `${path}?${many}`, undefined, path.startsWith('/v1/public') ? 'anonymous' : 'operator'));
        expect([path, res.status]).toEqual([path, 400]);
      }
    });
  });

  describe('what every response carries, and what none does', () => {
    it('security headers on API, error, public, operations and documentation responses', async () => {
      const samples = {
        api: keep(await raw('get', '/v1/participants/me', undefined)),
        unauthenticated: keep(await raw('get', '/v1/participants/me', undefined, 'anonymous')),
        problem: keep(await raw('get', '/v1/orders/00000000-0000-4000-8000-000000000000', undefined)),
        public: keep(await raw('get', '/v1/public/markets', undefined, 'anonymous')),
        health: keep(await raw('get', '/health', undefined, 'anonymous')),
        docsJson: keep(await raw('get', '/docs-json', undefined, 'anonymous')),
        docs: keep(await raw('get', '/docs/', undefined, 'anonymous')),
      };
      for (const [name, res] of Object.entries(samples)) {
        expect([name, res.headers['x-content-type-options']]).toEqual([name, 'nosniff']);
        expect([name, res.headers['x-frame-options']]).toEqual([name, 'DENY']);
        expect([name, res.headers['content-security-policy']]).toEqual([name, expect.stringContaining("frame-ancestors 'none'")]);
        expect([name, res.headers['x-powered-by']]).toEqual([name, undefined]);
      }
      for (const name of ['api', 'unauthenticated', 'problem', 'public'] as const) {
        expect([name, samples[name].headers['cache-control']]).toEqual([name, 'no-store']);
        expect([name, samples[name].headers['content-security-policy']]).toEqual([name, expect.stringContaining("default-src 'none'")]);
      }
    });

    it('Cache-Control: no-store on every response that carries a key or a secret', async () => {
      const issued = [
        keep(await raw('post', '/v1/participants', JSON.stringify({ name: 'keyed', kind: 'WATER_USER', regionCode: '150421' }))),
        keep(await raw('post', `/v1/participants/${s.party.waterUser.id}/api-keys`, undefined, 'waterUser')),
        keep(await raw('post', '/v1/webhooks', JSON.stringify({ url: 'http://127.0.0.1:9/secret' }), 'waterUser')),
      ];
      for (const res of issued) {
        expect(res.status).toBe(201);
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });

    it('no response of this suite carries a stack trace, a source path or SQL', async () => {
      expect(answers.length).toBeGreaterThan(500);
      const leaking = answers.filter((res) => LEAKS.test(res.text ?? '') && !String(res.headers['content-type']).startsWith('text/html') && !String(res.headers['content-type']).includes('javascript'));
      expect(leaking.map((res) => `${res.status} ${res.text.slice(0, 200)}`)).toEqual([]);
      expect(answers.filter((res) => res.status >= 500).map((res) => res.text.slice(0, 200))).toEqual([]);
    });

    it('no API key or webhook secret reaches the logs', async () => {
      const created = keep(await raw('post', '/v1/webhooks', JSON.stringify({ url: 'http://127.0.0.1:9/logged' }), 'district'));
      const secrets = [t.adminKey, ...Object.values(s.party).map((p) => p.apiKey), created.body.secret as string];
      for (const res of answers) {
        for (const field of ['apiKey', 'secret'] as const) if (typeof res.body?.[field] === 'string') secrets.push(res.body[field]);
      }
      // Requests with each key, some failing, so their handling is logged too.
      for (const p of Object.values(s.party)) keep(await raw('get', `/v1/participants/${s.party.district.id}/balances`, undefined, p.kind === 'OPERATOR' ? 'operator' : 'waterUser'));
      const last = keep(await request(t.http).get('/v1/participants/me').set('Authorization', `Bearer ${secrets[1]}x`));
      // Every request above is logged by the time the last one is.
      const logs = await t.logsWith(last.headers['x-request-id']);
      expect(logs).toContain(last.headers['x-request-id']);
      expect(logs).toContain('"method":"GET"');
      expect(new Set(secrets).size).toBeGreaterThanOrEqual(10);
      for (const secret of new Set(secrets)) {
        expect(secret.length).toBeGreaterThan(20);
        expect([secret.slice(0, 8), logs.includes(secret)]).toEqual([secret.slice(0, 8), false]);
        expect([secret.slice(0, 8), logs.includes(secret.slice(-16))]).toEqual([secret.slice(0, 8), false]);
      }
      expect(logs).not.toMatch(/Bearer|authorization/i);
    });
  });
});
