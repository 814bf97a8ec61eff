import { connect } from 'node:net';
import request from 'supertest';
import { createParticipant, Party } from './support/fixtures';
import { expectProblem, fieldsOf } from './support/problem';
import { countRows } from './support/sql';
import { cross, expectStatus, startTradeScene } from './support/trade-scene';
import { client, TestApp } from './support/test-app';
import { balancesOf, fundCash, fundQuota, openMarket, TRADING_YEAR } from './support/trading';

/**
 * What a hostile client found (issue 10, "Found from outside") and the contract now pins
 * (API.md, Conventions): each case is answered with the right 4xx and writes nothing.
 */
describe('request hygiene: hostile input gets the right 4xx, and nothing is written', () => {
  let t: TestApp;
  let city: Party;
  let buyer: Party;
  let seller: Party;
  let marketId: string;

  const auth = (r: request.Test, key = t.adminKey) => r.set('Authorization', `Bearer ${key}`);
  /** The exact bytes given, with the given Content-Type. */
  const raw = (method: 'post' | 'put' | 'delete', path: string, body: string, contentType = 'application/json', key = t.adminKey) =>
    auth(request(t.http)[method](path), key).set('Content-Type', contentType).serialize((b: unknown) => b as string).send(body);
  const messagesOf = (res: { body: { errors?: Array<{ message: string }> } }) => (res.body.errors ?? []).map((e) => e.message);

  beforeAll(async () => {
    const scene = await startTradeScene({ regulators: ['150400'] as const });
    t = scene.t;
    [city] = scene.regulators;
    buyer = await createParticipant(t, 'ENTERPRISE', '150421');
    seller = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
    marketId = (await openMarket(t, { regionCode: '150421' })).id;
    await fundQuota(t, city.apiKey, seller, '1000', { regionCode: '150421' });
    await fundCash(t, buyer, '10000.00');
  });
  afterAll(() => t.close());

  describe('null for an optional field that is not nullable is a 400 naming it', () => {
    it.each([
      ['PUT', '/v1/regions/150421', { name: '阿鲁科尔沁旗', groundwaterOverdraft: null }, 'groundwaterOverdraft'],
      ['POST', '/v1/markets', { regionCode: '150422', source: 'SURFACE', year: TRADING_YEAR, feeRate: null }, 'feeRate'],
      ['POST', '/v1/markets', { regionCode: '150422', source: 'SURFACE', year: TRADING_YEAR, approvalDeadlineDays: null }, 'approvalDeadlineDays'],
      ['POST', '/v1/participants', { name: 'x', kind: 'ENTERPRISE', regionCode: '150421', creditCode: null }, 'creditCode'],
      ['POST', '/v1/participants', { name: 'x', kind: 'ENTERPRISE', regionCode: '150421', useType: null }, 'useType'],
    ])('%s %s with %j', async (method, path, body, field) => {
      const before = await countRows(t, 'audit_log');
      const res = method === 'PUT' ? await client(t, t.adminKey).put(path, body) : await client(t, t.adminKey).post(path, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field, message: `${field} must not be null` }]);
      expect(await countRows(t, 'audit_log')).toBe(before);
    });

    it('for an order\'s timeInForce and clientOrderId', async () => {
      for (const field of ['timeInForce', 'clientOrderId']) {
        const res = await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders`, { side: 'BUY', price: '1', volume: '1', [field]: null });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fieldsOf(res)).toEqual([field]);
      }
    });

    it('for a region\'s parentCode, which the contract does not call nullable', async () => {
      const before = await countRows(t, 'audit_log');
      const res = await client(t, t.adminKey).put('/v1/regions/150200', { name: '包头市', parentCode: null });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['parentCode']);
      expect(await countRows(t, 'audit_log')).toBe(before);
    });

    it('but accepts null where the contract calls the field nullable', async () => {
      const market = await client(t, t.adminKey).post('/v1/markets', { regionCode: '150422', source: 'RECLAIMED', year: TRADING_YEAR, autoApproveMaxVolume: null });
      expectStatus(market, 201);
      expect(market.body.autoApproveMaxVolume).toBeNull();
    });

    it('says "is required" for a missing field, once', async () => {
      const res = await client(t, t.adminKey).post('/v1/participants', { kind: 'ENTERPRISE', regionCode: '150421' });
      expect(res.body.errors).toEqual([{ field: 'name', message: 'name is required' }]);
    });
  });

  describe('405 METHOD_NOT_ALLOWED with Allow for a method the path does not serve', () => {
    it.each([
      ['patch', '/v1/participants/me', 'GET, HEAD'],
      ['delete', '/v1/regions/150421', 'GET, HEAD, PUT'],
      ['put', '/v1/orders/00000000-0000-4000-8000-000000000000', 'DELETE, GET, HEAD'],
      ['get', '/v1/trades/00000000-0000-4000-8000-000000000000/approve', 'POST'],
    ] as const)('%s %s', async (method, path, allow) => {
      const res = await auth(request(t.http)[method](path));
      expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBe(allow);
    });

    it('before authentication, and 404 still for a path that does not exist', async () => {
      expectProblem(await request(t.http).patch('/v1/participants/me'), 405, 'METHOD_NOT_ALLOWED');
      expectProblem(await auth(request(t.http).patch('/v1/nothing-here')), 404, 'NOT_FOUND');
    });
  });

  describe('messages name the actual problem', () => {
    it.each([
      ['limit=2.5', 'limit must be an integer'],
      ['limit=abc', 'limit must be an integer'],
      ['limit=0', 'limit must be from 1 to 500'],
      ['limit=501', 'limit must be from 1 to 500'],
    ])('%s → "%s"', async (query, message) => {
      const res = await client(t, t.adminKey).get(`/v1/participants?${query}`);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(messagesOf(res)).toEqual([message]);
    });

    it.each([
      ['null', 'must be a JSON object, not null'],
      ['42', 'must be a JSON object, not a number'],
      ['"x"', 'must be a JSON object, not a string'],
      ['[]', 'must be a JSON object, not an array'],
    ])('a body %s is valid JSON of the wrong shape', async (body, message) => {
      const res = await raw('post', '/v1/participants', body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'body', message }]);
    });

    it('malformed JSON is still "malformed JSON"', async () => {
      expect((await raw('post', '/v1/participants', '{"name":')).body.errors).toEqual([{ field: 'body', message: 'malformed JSON' }]);
    });
  });

  describe('a number overflowing to Infinity, under an Idempotency-Key, is the same 4xx as without', () => {
    const POSTS = () => [
      '/v1/participants',
      `/v1/participants/${buyer.id}/api-keys`,
      `/v1/participants/${buyer.id}/deposits`,
      `/v1/participants/${buyer.id}/withdrawals`,
      '/v1/rights',
      '/v1/rights/00000000-0000-4000-8000-000000000000/allocations',
      '/v1/markets',
      `/v1/markets/${marketId}/halt`,
      `/v1/markets/${marketId}/orders`,
      '/v1/trades/00000000-0000-4000-8000-000000000000/approve',
      '/v1/transfers',
      '/v1/projects',
    ];

    it('on every POST endpoint, for {"a":1e999} and {"year":1e999,"volume":"1"}', async () => {
      const before = await countRows(t, 'audit_log');
      let n = 0;
      for (const path of POSTS()) {
        for (const body of ['{"a":1e999}', '{"year":1e999,"volume":"1"}']) {
          const plain = await raw('post', path, body);
          const keyed = await raw('post', path, body).set('Idempotency-Key', `inf-${n++}`);
          expect(plain.status).toBeGreaterThanOrEqual(400);
          expect(plain.status).toBeLessThan(500);
          expect([path, body, keyed.status, keyed.body.code]).toEqual([path, body, plain.status, plain.body.code]);
        }
      }
      expect(await countRows(t, 'audit_log')).toBe(before);
    });

    it('names the field the number was meant for', async () => {
      const res = await raw('post', '/v1/markets', `{"regionCode":"150421","source":"SURFACE","year":1e999}`).set('Idempotency-Key', 'inf-year');
      expect(res.body.errors).toEqual([{ field: 'year', message: 'year must be an integer' }]);
    });

    it('and an ENTERPRISE key on an operator endpoint gets 403', async () => {
      const res = await raw('post', '/v1/participants', '{"a":1e999}', 'application/json', buyer.apiKey).set('Idempotency-Key', 'inf-403');
      expectProblem(res, 403, 'FORBIDDEN');
    });
  });

  describe('unknown fields are rejected whatever their name', () => {
    it.each(['toString', 'constructor', '__proto__', 'prototype', 'valueOf', 'hasOwnProperty'])('%s on a withdrawal', async (name) => {
      const before = (await balancesOf(t, buyer)).cash.available;
      const res = await raw('post', `/v1/participants/${buyer.id}/withdrawals`, `{"amount":"1.00","${name}":"x"}`, 'application/json', buyer.apiKey);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: name, message: 'unknown field' }]);
      expect((await balancesOf(t, buyer)).cash.available).toBe(before);
    });

    it('inside a nested object and in a query', async () => {
      const res = await raw('post', '/v1/projects', '{"baseline":{"method":"FIXED","constructor":{}}}', 'application/json', buyer.apiKey);
      expect(fieldsOf(res)).toContain('baseline.constructor');
      expect(fieldsOf(await client(t, t.adminKey).get('/v1/participants?toString=1'))).toEqual(['toString']);
    });
  });

  describe('a query parameter the operation does not take is a 400, not ignored', () => {
    const order = { side: 'BUY', price: '1.00', volume: '1' };
    const ordersOf = async (p: Party) => expectStatus(await client(t, p.apiKey).get('/v1/orders'), 200).body.items as Array<{ id: string; status: string }>;

    it('on a placement: ?dryRun=true places nothing, locks nothing and writes no audit entry', async () => {
      const [orders, cash, audit] = [await ordersOf(buyer), (await balancesOf(t, buyer)).cash, await countRows(t, 'audit_log')];
      const res = await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders?dryRun=true`, order);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'dryRun', message: 'unknown field' }]);
      expect(await ordersOf(buyer)).toEqual(orders);
      expect((await balancesOf(t, buyer)).cash).toEqual(cash);
      expect(await countRows(t, 'audit_log')).toBe(audit);
    });

    it('on a cancellation and on a single read, naming every parameter; an empty query is none', async () => {
      const placed = expectStatus(await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders`, order), 201).body;
      const cancel = await client(t, buyer.apiKey).delete(`/v1/orders/${placed.id}?force=1&reason=x`);
      expectProblem(cancel, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(cancel)).toEqual(['force', 'reason']);
      expect(expectStatus(await client(t, buyer.apiKey).get(`/v1/orders/${placed.id}?`), 200).body.status).toBe('OPEN');
      expect(fieldsOf(await client(t, buyer.apiKey).get(`/v1/orders/${placed.id}?expand=trades`))).toEqual(['expand']);
      expect(fieldsOf(await client(t, buyer.apiKey).get('/v1/participants/me?verbose'))).toEqual(['verbose']);
      expectStatus(await client(t, buyer.apiKey).delete(`/v1/orders/${placed.id}`), 200);
    });

    it('is not stored under an Idempotency-Key: the same request without the parameter is then served', async () => {
      const key = { 'Idempotency-Key': `query-${process.pid}-${Date.now()}` };
      expectProblem(await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders?dryRun=1`, order, key), 400, 'VALIDATION_FAILED');
      const placed = expectStatus(await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders`, order, key), 201).body;
      expect(placed.status).toBe('OPEN');
      expectStatus(await client(t, buyer.apiKey).delete(`/v1/orders/${placed.id}`), 200);
    });

    it('is told after authentication: no key is still 401', async () => {
      expectProblem(await request(t.http).get('/v1/participants/me?verbose=1'), 401, 'UNAUTHENTICATED');
    });

    it('while the parameters a list declares are still served', async () => {
      expectStatus(await client(t, buyer.apiKey).get('/v1/orders?limit=1'), 200);
    });
  });

  describe('a field named twice in one object is a 400 naming it, not read one way or the other', () => {
    const twice = '{"side":"BUY","price":"1.00","volume":"1","price":"9.00"}';
    const ordersOf = async (p: Party) => expectStatus(await client(t, p.apiKey).get('/v1/orders'), 200).body.items as unknown[];

    it('on a placement: nothing placed, locked or audited, whichever price was meant', async () => {
      const [orders, cash, audit] = [await ordersOf(buyer), (await balancesOf(t, buyer)).cash, await countRows(t, 'audit_log')];
      const res = await raw('post', `/v1/markets/${marketId}/orders`, twice, 'application/json', buyer.apiKey);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'price', message: expect.stringMatching(/more than once/) }]);
      expect(await ordersOf(buyer)).toEqual(orders);
      expect((await balancesOf(t, buyer)).cash).toEqual(cash);
      expect(await countRows(t, 'audit_log')).toBe(audit);
    });

    it('however the second is spelt, and in a nested object by its path', async () => {
      const escaped = await raw('post', `/v1/markets/${marketId}/orders`, '{"side":"BUY","\\u0073ide":"SELL","price":"1.00","volume":"1"}', 'application/json', buyer.apiKey);
      expect(fieldsOf(escaped)).toEqual(['side']);
      const nested = await raw('put', '/v1/regions/150421/caps/2026', '{"totalCap":"1","x":{"y":1,"y":2}}');
      expect(fieldsOf(nested)).toEqual(['x.y']);
    });

    it('is not stored under an Idempotency-Key: the same key with one price is then served', async () => {
      const key = `twice-${process.pid}-${Date.now()}`;
      expectProblem(await raw('post', `/v1/markets/${marketId}/orders`, twice, 'application/json', buyer.apiKey).set('Idempotency-Key', key), 400, 'VALIDATION_FAILED');
      const placed = expectStatus(await client(t, buyer.apiKey).post(`/v1/markets/${marketId}/orders`, { side: 'BUY', price: '1.00', volume: '1' }, { 'Idempotency-Key': key }), 201).body;
      expect(placed.status).toBe('OPEN');
      expectStatus(await client(t, buyer.apiKey).delete(`/v1/orders/${placed.id}`), 200);
    });
  });

  describe('a body that is not application/json is 415 UNSUPPORTED_MEDIA_TYPE', () => {
    it('approving with text/plain settles nothing', async () => {
      const trade = await cross(t, marketId, seller, buyer, '1', '10');
      const res = await raw('post', `/v1/trades/${trade.id}/approve`, 'Looks fine', 'text/plain', city.apiKey);
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect((await client(t, city.apiKey).get(`/v1/trades/${trade.id}`)).body.status).toBe('PENDING_APPROVAL');
      expectStatus(await client(t, city.apiKey).post(`/v1/trades/${trade.id}/reject`, { reason: 'cleaning up' }), 200);
    });

    it.each([
      ['application/x-www-form-urlencoded', 'name=x&kind=ENTERPRISE'],
      ['text/plain', '{"name":"x","kind":"ENTERPRISE","regionCode":"150421"}'],
      ['application/xml', '<participant/>'],
    ])('%s on POST and PUT', async (type, body) => {
      expectProblem(await raw('post', '/v1/participants', body, type), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await raw('put', '/v1/regions/150421', body, type), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('JSON declared in another charset than UTF-8, even empty, issues nothing', async () => {
      const keysBefore = (await client(t, t.adminKey).get(`/v1/participants/${buyer.id}/api-keys`)).body.items.length;
      expectProblem(await raw('post', `/v1/participants/${buyer.id}/api-keys`, '', 'application/json; charset=utf-16'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await raw('post', `/v1/participants/${buyer.id}/api-keys`, '{}', 'application/json; charset=latin1'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect((await client(t, t.adminKey).get(`/v1/participants/${buyer.id}/api-keys`)).body.items).toHaveLength(keysBefore);
      expectStatus(await raw('post', `/v1/participants/${buyer.id}/api-keys`, '{}', 'application/json; charset=UTF-8'), 201);
    });

    it.each(['application/x-www-form-urlencoded', 'text/plain', 'application/json-patch+json'])('an empty body declared as %s declines nothing', async (type) => {
      const transfer = expectStatus(await client(t, seller.apiKey).post('/v1/transfers', { marketId, buyerId: buyer.id, volume: '1', price: '1' }), 201).body;
      expectProblem(await raw('post', `/v1/transfers/${transfer.id}/decline`, '', type, buyer.apiKey), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect((await client(t, buyer.apiKey).get(`/v1/transfers/${transfer.id}`)).body.status).toBe('PROPOSED');
      expectStatus(await client(t, seller.apiKey).post(`/v1/transfers/${transfer.id}/cancel`), 200);
    });

    it('but an action with no body at all needs no Content-Type', async () => {
      expectStatus(await auth(request(t.http).post(`/v1/participants/${buyer.id}/api-keys`)), 201);
    });
  });

  describe('what Node’s HTTP parser refuses before any route is problem+json too', () => {
    /** Writes the bytes on a connection of its own and reads the whole answer. */
    const exchange = (bytes: string) =>
      new Promise<{ head: string; body: string }>((resolve, reject) => {
        const url = new URL(t.http);
        const socket = connect(Number(url.port), url.hostname);
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('error', reject);
        socket.on('end', () => {
          const at = text.indexOf('\r\n\r\n');
          resolve({ head: text.slice(0, at), body: text.slice(at + 4) });
        });
        socket.write(bytes);
      });
    const count = () => countRows(t, 'participants');

    it('a request line and headers over 16 KiB: 431 HEADERS_TOO_LARGE', async () => {
      const { head, body } = await exchange(`GET /v1/participants/me?pad=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\n\r\n`);
      expect(head).toMatch(/^HTTP\/1\.1 431 /);
      expect(head).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
    });

    it('an Expect it does not know is ignored, not answered with a bare 417', async () => {
      const { head, body } = await exchange(`GET /v1/participants/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nExpect: 200-ok\r\nConnection: close\r\n\r\n`);
      expect(head).toMatch(/^HTTP\/1\.1 200 /);
      expect(JSON.parse(body)).toMatchObject({ kind: 'OPERATOR' });
    });

    it('an Idempotency-Key sent twice is a 400, creating nothing (Node would join the two into one key)', async () => {
      const before = await count();
      const json = '{"name":"twice","kind":"ENTERPRISE","regionCode":"150421"}';
      const { head, body } = await exchange(
        `POST /v1/participants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Type: application/json\r\n` +
          `Idempotency-Key: a1\r\nIdempotency-Key: a2\r\nContent-Length: ${json.length}\r\nConnection: close\r\n\r\n${json}`,
      );
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(body)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'Idempotency-Key', message: 'must be sent once' }] });
      expect(await count()).toBe(before);
    });

    it('broken framing (a bad chunk size; Content-Length with Transfer-Encoding): 400 VALIDATION_FAILED, nothing created', async () => {
      const before = await count();
      const post = `POST /v1/participants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Type: application/json\r\n`;
      const json = '{"name":"framing","kind":"ENTERPRISE","regionCode":"150421"}';
      for (const bytes of [
        `${post}Transfer-Encoding: chunked\r\n\r\nzz\r\n${json}\r\n0\r\n\r\n`,
        `${post}Content-Length: ${json.length}\r\nTransfer-Encoding: chunked\r\n\r\n${json}`,
      ]) {
        const { head, body } = await exchange(bytes);
        expect(head).toMatch(/^HTTP\/1\.1 400 /);
        expect(head).toMatch(/content-type: application\/problem\+json/i);
        expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'request', message: 'malformed HTTP framing' }] });
      }
      expect(await count()).toBe(before);
    });
  });

  describe('a year in a path is four digits', () => {
    it.each(['0x7EA', '+2026', '2.026e3', '0b11111101010', '0o3752', '0002026', '2026.0', '202', ' 2026', '1899'])('%s → 400', async (year) => {
      const path = `/v1/regions/150421/caps/${encodeURIComponent(year)}`;
      expectProblem(await client(t, t.adminKey).get(path), 400, 'VALIDATION_FAILED');
      expectProblem(await client(t, t.adminKey).put(path, { totalCap: '1' }), 400, 'VALIDATION_FAILED');
    });

    it('2026 is a year', async () => {
      expect((await client(t, t.adminKey).get('/v1/regions/150421/caps/2026')).body.year).toBe(2026);
    });
  });

  describe('an action that names no body accepts none or {} only', () => {
    let transferId: string;
    beforeAll(async () => {
      const res = await client(t, seller.apiKey).post('/v1/transfers', { marketId, buyerId: buyer.id, volume: '1', price: '1' });
      transferId = expectStatus(res, 201).body.id;
    });

    it.each([
      ['accept', () => `/v1/transfers/${transferId}/accept`, () => buyer],
      ['decline', () => `/v1/transfers/${transferId}/decline`, () => buyer],
      ['cancel', () => `/v1/transfers/${transferId}/cancel`, () => seller],
      ['key creation', () => `/v1/participants/${buyer.id}/api-keys`, () => buyer],
      ['halt', () => `/v1/markets/${marketId}/halt`, () => city],
      ['resume', () => `/v1/markets/${marketId}/resume`, () => city],
    ])('%s refuses {"junk":1} and []', async (_, path, who) => {
      const before = await countRows(t, 'audit_log');
      const junk = await raw('post', path(), '{"junk":1}', 'application/json', who().apiKey);
      expectProblem(junk, 400, 'VALIDATION_FAILED');
      expect(junk.body.errors).toEqual([{ field: 'junk', message: 'unknown field' }]);
      expect(fieldsOf(await raw('post', path(), '[]', 'application/json', who().apiKey))).toEqual(['body']);
      expect(await countRows(t, 'audit_log')).toBe(before);
    });

    it('key deletion and order cancellation refuse a body too', async () => {
      const key = expectStatus(await client(t, buyer.apiKey).post(`/v1/participants/${buyer.id}/api-keys`), 201).body;
      expectProblem(await raw('delete', `/v1/participants/${buyer.id}/api-keys/${key.keyId}`, '{"junk":1}', 'application/json', buyer.apiKey), 400, 'VALIDATION_FAILED');
      expectStatus(await raw('delete', `/v1/participants/${buyer.id}/api-keys/${key.keyId}`, '{}', 'application/json', buyer.apiKey), 200);
    });

    it('and {} is accepted', async () => {
      expectStatus(await raw('post', `/v1/transfers/${transferId}/decline`, '{}', 'application/json', buyer.apiKey), 200);
    });
  });

  describe('fields are named in every 400', () => {
    it.each([
      ['/v1/participants', { name: '   ', kind: 'ENTERPRISE', regionCode: '150421' }, 'name'],
      ['/v1/participants', { name: '\t\n', kind: 'ENTERPRISE', regionCode: '150421' }, 'name'],
    ])('a whitespace-only name: %s', async (path, body, field) => {
      const res = await client(t, t.adminKey).post(path, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field, message: `${field} must not be blank` }]);
    });

    it('a whitespace-only region name and rejection reason', async () => {
      expect(fieldsOf(await client(t, t.adminKey).put('/v1/regions/150421', { name: ' ' }))).toEqual(['name']);
      expect(fieldsOf(await client(t, city.apiKey).post('/v1/trades/00000000-0000-4000-8000-000000000000/reject', { reason: '  ' }))).toEqual(['reason']);
    });

    it('a price too large for its column names the price, not the request', async () => {
      const tick = await client(t, t.adminKey).post('/v1/markets', { regionCode: '150422', source: 'MINE_WATER', year: TRADING_YEAR, priceTick: '999999999999999' });
      expect(tick.body.errors).toEqual([{ field: 'priceTick', message: 'priceTick must be at most 100000000' }]);
      const transfer = await client(t, seller.apiKey).post('/v1/transfers', { marketId, buyerId: buyer.id, volume: '1', price: '999999999999999' });
      expect(fieldsOf(transfer)).toEqual(['price']);
    });

    it('a transfer too large for a trade\'s amount names its volume when proposed, instead of failing as "request" when accepted', async () => {
      // 999999999999999.999 m³ at 10^8 CNY/m³ was accepted as a proposal, and its acceptance overflowed the trade's amount column.
      const huge = await client(t, seller.apiKey).post('/v1/transfers', { marketId, buyerId: buyer.id, volume: '999999999999999.999', price: '100000000' });
      expectProblem(huge, 400, 'VALIDATION_FAILED');
      expect(huge.body.errors).toEqual([{ field: 'volume', message: 'volume must be at most 1000000000000' }]);
    });

    it('a NUL names its field', async () => {
      const res = await client(t, t.adminKey).post('/v1/participants', { name: 'a\u0000b', kind: 'ENTERPRISE', regionCode: '150421' });
      expect(res.body.errors).toEqual([{ field: 'name', message: 'must not contain NUL characters' }]);
      expect(fieldsOf(await client(t, t.adminKey).get('/v1/participants?kind=%00'))).toEqual(['kind']);
      expect(fieldsOf(await client(t, t.adminKey).put('/v1/regions/150421', { name: 'x', nested: { deep: 'a\u0000' } }))).toEqual(['nested.deep']);
    });
  });

  describe('security headers', () => {
    it('nosniff and no framing on every kind of response', async () => {
      for (const res of [
        await client(t, t.adminKey).get('/v1/participants/me'),
        await request(t.http).get('/v1/participants/me'),
        await request(t.http).patch('/v1/participants/me'),
        await request(t.http).get('/health'),
        await request(t.http).get('/docs-json'),
        await request(t.http).get('/docs/'),
      ]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      }
    });

    it('Cache-Control: no-store on every response carrying a key, replays included', async () => {
      const created = await client(t, t.adminKey).post('/v1/participants', { name: 'keyed', kind: 'WATER_USER', regionCode: '150421' }, { 'Idempotency-Key': 'no-store' });
      const replay = await client(t, t.adminKey).post('/v1/participants', { name: 'keyed', kind: 'WATER_USER', regionCode: '150421' }, { 'Idempotency-Key': 'no-store' });
      const key = await client(t, buyer.apiKey).post(`/v1/participants/${buyer.id}/api-keys`);
      for (const res of [created, replay, key]) expect(res.headers['cache-control']).toBe('no-store');
      expect(replay.body).toMatchObject({ apiKey: null, apiKeyWithheld: expect.any(String) });
    });

    it('the Swagger UI page may load its own scripts and styles', async () => {
      const page = await request(t.http).get('/docs/');
      const csp = page.headers['content-security-policy'];
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
      expect(csp).not.toMatch(/upgrade-insecure-requests/);
      for (const src of [...page.text.matchAll(/src="\.\/([^"]+)"/g)].map((m) => m[1])) {
        expect((await request(t.http).get(`/docs/${src}`)).status).toBe(200);
      }
    });
  });
});
