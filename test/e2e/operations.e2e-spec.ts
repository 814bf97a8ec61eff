import request from 'supertest';
import { cuttableProxy, CuttableProxy } from './support/cuttable-proxy';
import { createParticipant, seedRegions } from './support/fixtures';
import { counter } from './support/metrics';
import { expectProblem } from './support/problem';
import { client, startTestApp, TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';

/** Every operation of API.md's spine sections: participants and roles, regions and caps, audit log, operations. */
const SPINE_OPERATIONS: Array<[string, string]> = [
  ['post', '/v1/participants'],
  ['get', '/v1/participants'],
  ['get', '/v1/participants/me'],
  ['get', '/v1/participants/{id}'],
  ['post', '/v1/participants/{id}/api-keys'],
  ['get', '/v1/participants/{id}/api-keys'],
  ['delete', '/v1/participants/{id}/api-keys/{keyId}'],
  ['put', '/v1/regions/{code}'],
  ['get', '/v1/regions/{code}'],
  ['put', '/v1/regions/{code}/caps/{year}'],
  ['get', '/v1/regions/{code}/caps/{year}'],
  ['get', '/v1/audit'],
  ['get', '/v1/audit/verify'],
  ['get', '/health'],
  ['get', '/metrics'],
];

describe('operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
  });
  afterAll(() => t.close());

  describe('/health', () => {
    it('answers 200 { status: "ok", db: "up" } without an API key', async () => {
      const res = await request(t.http).get('/health');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ status: 'ok', db: 'up' });
    });
  });

  describe('logs', () => {
    it('writes one structured JSON line per request with its request id, and never the API key', async () => {
      await client(t, t.adminKey).get('/v1/participants/me').set('X-Request-Id', 'ops-log-0001');
      const res = await request(t.http).get('/health').set('X-Request-Id', 'not a valid id!');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      // Lines are written in order: once the later request's is out, so is the first's.
      const lines = (await t.logsWith(res.headers['x-request-id'])).split('\n').filter((l) => l.includes('ops-log-0001'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({ level: expect.any(Number), time: expect.any(String), req: { id: 'ops-log-0001', method: 'GET', url: '/v1/participants/me' }, res: { statusCode: 200 } });
      expect(t.logs()).toContain(res.headers['x-request-id']);
      expect(t.logs()).not.toContain(t.adminKey);
    });
  });

  describe('/metrics', () => {
    it('serves Prometheus text without an API key, with latency by route pattern and status', async () => {
      const user = await createParticipant(t, 'WATER_USER', '150421');
      await client(t, t.adminKey).get('/v1/participants');
      await client(t, t.adminKey).get(`/v1/participants/${user.id}`);
      await client(t).get('/v1/participants/me');

      const res = await request(t.http).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*le="0.1"[^}]*\} \d+/);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/v1\/participants",status="200"\} [1-9]/);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/v1\/participants\/:id",status="200"\} [1-9]/);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/v1\/participants\/me",status="401"\} [1-9]/);
      expect(res.text).not.toContain(user.id);
    });

    it('times the stages of a write: its admission, its turn at the database, its transaction and what follows the commit', async () => {
      const stages = ['admission', 'write_gate', 'transaction', 'after_commit'];
      const counts = async () => Promise.all(stages.map((stage) => counter(t, `request_stage_seconds_count{stage="${stage}"}`)));
      const before = await counts();
      await createParticipant(t, 'WATER_USER', '150421');
      const after = await counts();
      expect(stages.filter((_, i) => after[i] <= before[i])).toEqual([]);
      expect((await request(t.http).get('/metrics')).text).toContain('# TYPE request_stage_seconds histogram');
    });

    it('includes process metrics', async () => {
      const text = (await request(t.http).get('/metrics')).text;
      for (const metric of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
        expect(text).toMatch(new RegExp(`^${metric}(\\{[^}]*\\})? `, 'm'));
      }
    });
  });

  describe('OpenAPI', () => {
    let doc: any;
    beforeAll(async () => {
      const res = await request(t.http).get('/docs-json');
      expect(res.status).toBe(200);
      doc = res.body;
    });

    it('serves Swagger UI at /docs', async () => {
      const res = await request(t.http).get('/docs').redirects(1);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toMatch(/swagger-ui/i);
    });

    it('serves an OpenAPI 3 document at /docs-json', () => {
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    });

    it.each(SPINE_OPERATIONS)('describes %s %s', (method, path) => {
      expect(doc.paths[path]?.[method]).toBeDefined();
    });

    it('defines the problem+json error schema and uses it for errors', () => {
      const problem = doc.components.schemas.ProblemDoc;
      expect(problem).toBeDefined();
      expect(Object.keys(problem.properties)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'errors']));
      expect(problem.properties.code.enum).toEqual(expect.arrayContaining(['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED']));
      const createParticipant = doc.paths['/v1/participants'].post.responses;
      expect(createParticipant['400'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDoc');
      expect(createParticipant['401'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDoc');
    });

    it('documents bearer authentication and the Idempotency-Key header', () => {
      expect(Object.values(doc.components.securitySchemes ?? {})).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'http', scheme: 'bearer' })]));
      const params = doc.paths['/v1/participants'].post.parameters ?? [];
      expect(params.map((p: any) => p.name)).toContain('Idempotency-Key');
    });

    it('documents decimals as strings with examples', () => {
      const totalCap = doc.components.schemas.PutCapDto.properties.totalCap;
      expect(totalCap.type).toBe('string');
      expect(totalCap.example).toEqual(expect.any(String));
      for (const field of ['totalCap', 'allocated', 'transferredIn', 'transferredOut', 'headroom']) {
        expect(doc.components.schemas.CapView.properties[field].type).toBe('string');
      }
    });
  });

  describe('with the database unreachable', () => {
    let proxy: CuttableProxy;
    let cut: TestApp;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const database = await createTestDatabase();
      drop = database.drop;
      proxy = await cuttableProxy(database.url);
      cut = await startTestApp({ dbUrl: proxy.url });
    });
    afterAll(async () => {
      await cut.close();
      await proxy.close();
      await drop();
    });

    it('answers /health 503 { status: "error", db: "down" } and API calls 503 UNAVAILABLE, then recovers', async () => {
      expect((await request(cut.http).get('/health')).status).toBe(200);
      await proxy.cut();
      // Let the service see its pooled connections drop.
      await new Promise((r) => setTimeout(r, 200));

      const health = await request(cut.http).get('/health');
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: 'error', db: 'down' });
      expectProblem(await client(cut, cut.adminKey).get('/v1/participants/me'), 503, 'UNAVAILABLE');
      expectProblem(await client(cut, cut.adminKey).put('/v1/regions/150000', { name: '内蒙古自治区' }).set('X-Request-Id', 'ops-503-0001'), 503, 'UNAVAILABLE');
      // The error once, with its stack, at level 50; the request's own line a warning with no error of its own.
      // The request's line is written after the error's, so once it is out both are.
      const logged = (await cut.logsWith('"id":"ops-503-0001"')).split('\n').filter((l) => l.includes('ops-503-0001')).map((l) => JSON.parse(l));
      expect(logged.map((l) => l.level).sort()).toEqual([40, 50]);
      expect(logged.find((l) => l.level === 50)).toMatchObject({ context: 'ProblemFilter', requestId: 'ops-503-0001', err: { stack: expect.any(String) } });
      expect(logged.find((l) => l.level === 40)).toMatchObject({ msg: 'request completed', req: { id: 'ops-503-0001' }, res: { statusCode: 503 } });
      expect(logged.find((l) => l.level === 40)).not.toHaveProperty('err');

      await proxy.restore();
      expect((await request(cut.http).get('/health')).status).toBe(200);
      expect((await client(cut, cut.adminKey).put('/v1/regions/150000', { name: '内蒙古自治区' })).status).toBe(201);
    });

    it('logs each background part\'s failed runs once for the outage, not once a run, and once more when it works again', async () => {
      /** Log lines of `context` whose message starts with `text`. */
      const lines = (context: string, text: string) =>
        cut
          .logs()
          .split('\n')
          .filter((l) => l.includes(`"context":"${context}"`) && l.includes(`"msg":"${text}`));
      const seen = (context: string, text: string) => lines(context, text).length;
      // The listeners dropped in the test above reconnect a second after the drop: let them.
      await new Promise((r) => setTimeout(r, 1500));
      const before = {
        index: seen('EventIndex', 'the event index failed'),
        webhooks: seen('Webhooks', 'webhook delivery failed'),
        drops: seen('AuditSignal', 'the audit notification connection dropped'),
        reconnects: seen('AuditSignal', 'reconnecting the wrx_audit_appended listener failed'),
        indexBack: seen('EventIndex', 'the event index works again'),
        signalBack: seen('AuditSignal', 'reconnecting the wrx_audit_appended listener works again'),
      };
      const indexFailures = await counter(cut, 'event_index_failures_total');

      await proxy.cut();
      try {
        // The event index, the dispatcher and the listeners' reconnects each run every second.
        await new Promise((r) => setTimeout(r, 4500));
        expect((await counter(cut, 'event_index_failures_total')) - indexFailures).toBeGreaterThanOrEqual(3);
        // A run the cut caught mid-statement fails with another message than the refused
        // connections after it, and a new message is logged: two lines at most for 3 or more runs.
        for (const [context, text, was] of [['EventIndex', 'the event index failed', before.index], ['Webhooks', 'webhook delivery failed', before.webhooks]] as const) {
          expect(seen(context, text) - was).toBeGreaterThanOrEqual(1);
          expect(seen(context, text) - was).toBeLessThanOrEqual(2);
        }
        expect(seen('AuditSignal', 'the audit notification connection dropped') - before.drops).toBe(1);
        expect(seen('AuditSignal', 'reconnecting the wrx_audit_appended listener failed') - before.reconnects).toBe(1);
        const first = JSON.parse(lines('EventIndex', 'the event index failed').at(-1)!) as { level: number; err?: { message?: string } };
        expect(first.level).toBe(50);
        expect(first.err?.message).toEqual(expect.any(String));
      } finally {
        await proxy.restore();
      }
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        if (seen('EventIndex', 'the event index works again') > before.indexBack && seen('AuditSignal', 'reconnecting the wrx_audit_appended listener works again') > before.signalBack) break;
      }
      const back = JSON.parse(lines('EventIndex', 'the event index works again').at(-1) ?? '{}') as { level?: number; failedRuns?: number };
      expect(back.level).toBe(30);
      expect(back.failedRuns).toBeGreaterThanOrEqual(2);
      expect(seen('AuditSignal', 'reconnecting the wrx_audit_appended listener works again') - before.signalBack).toBe(1);
    });
  });

  describe('rate limit per API key', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await startTestApp({ rateLimitPerMinute: 3 });
    });
    afterAll(() => limited.close());

    it('answers the 4th request in a minute from one key with 429 RATE_LIMITED while other keys still work', async () => {
      // The operator's three requests of the minute: one region, two participants.
      await seedRegions(limited, [{ code: '150000', name: '内蒙古自治区', parentCode: undefined }]);
      const a = await createParticipant(limited, 'WATER_USER', '150000');
      const b = await createParticipant(limited, 'WATER_USER', '150000');
      expectProblem(await client(limited, limited.adminKey).get('/v1/participants/me'), 429, 'RATE_LIMITED');

      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await client(limited, a.apiKey).get('/v1/participants/me')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expectProblem(await client(limited, a.apiKey).get('/v1/regions/150000'), 429, 'RATE_LIMITED');

      expect((await client(limited, b.apiKey).get('/v1/participants/me')).status).toBe(200);
    });

    it('does not limit the operations endpoints, which need no key', async () => {
      for (let i = 0; i < 5; i++) expect((await request(limited.http).get('/health')).status).toBe(200);
    });
  });
});
