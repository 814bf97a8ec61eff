import fc from 'fast-check';
import { buildScene, ConformanceScene } from './support/conformance/scene';
import { ConformanceWalker, Operation, operationsOf } from './support/conformance/walker';
import { servedDocument } from './support/openapi-document';
import { client, startTestApp, TestApp } from './support/test-app';

/**
 * Requests per operation: a few hundred in all for `npm test`; `npm run test:conformance`
 * sets CONFORMANCE_RUNS for the long profile.
 */
const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 8);
const SEED = process.env.CONFORMANCE_SEED ? Number(process.env.CONFORMANCE_SEED) : undefined;

/**
 * The service against its own document (issue 16): for every operation, property-based
 * requests, valid and broken, from callers of every kind; every answer is a documented
 * status with a body that fits the documented schema, no 5xx, no stack trace or SQL, and a
 * request the document forbids is refused.
 */
describe('the service conforms to its OpenAPI document', () => {
  let t: TestApp;
  let walker: ConformanceWalker;
  let scene: ConformanceScene;
  let sent = 0;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    // Webhooks of the scene point at a closed port on this machine: deliveries fail and are logged.
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    scene = await buildScene(t);
    walker = new ConformanceWalker(t, await servedDocument(t), scene.actors, scene.pathPools, scene.bodyPools, scene.fixedPools);
  }, 120_000);
  afterAll(async () => {
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    process.stdout.write(`conformance: ${sent} requests over ${operationsOf(walker.document).length} operations (${byStatus})\n`);
    await t.close();
  });

  it('documents a request body (possibly optional) on every write, so a body-less action refuses junk', () => {
    const writes = operationsOf(walker.document).filter((o) => o.method !== 'get');
    expect(writes.filter((o) => !o.op.requestBody).map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });

  it('documents 409 on every POST: an Idempotency-Key used before with another body is IDEMPOTENCY_KEY_REUSED', () => {
    const posts = operationsOf(walker.document).filter((o) => o.method === 'post');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.filter((o) => !o.op.responses['409']).map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });

  it('documents the negative amounts of a project at a loss, in its view and in the list', async () => {
    const reads = [
      { path: '/v1/projects/{id}', url: `/v1/projects/${scene.loss.projectId}`, totals: (b: any) => b.totals },
      { path: '/v1/projects', url: '/v1/projects', totals: (b: any) => b.items.find((p: any) => p.id === scene.loss.projectId).totals },
    ];
    for (const read of reads) {
      const operation = operationsOf(walker.document).find((o) => o.method === 'get' && o.path === read.path)!;
      const res = await client(t, scene.loss.apiKey).get(read.url);
      // COST_HOSTING, one period: fee 5000.00 − water bill 6000.00; user: baseline 1000.00 − fee 5000.00.
      expect(read.totals(res.body)).toMatchObject({ serviceCompanyAmount: '-1000.00', waterUserAmount: '-4000.00' });
      const answer = { status: res.status, contentType: String(res.headers['content-type']), text: res.text, body: res.body };
      expect(walker.check(operation, { method: 'GET', url: read.url, actor: 'SERVICE_COMPANY', mode: 'valid', outsideDocument: false }, answer)).toEqual([]);
    }
  });

  /**
   * Sends each operation the URL `urlOf` makes of its path, as the operator, and names those
   * not answered with a documented 400 VALIDATION_FAILED (that also names `field`, when given).
   */
  const refusedWith400 = async (operations: Operation[], mode: 'path' | 'query', urlOf: (path: string) => string, field?: string): Promise<string[]> => {
    const drifted: string[] = [];
    for (const operation of operations) {
      const url = urlOf(operation.path);
      const res = await client(t, t.adminKey)[operation.method as 'get' | 'post' | 'put' | 'delete'](url);
      const answer = { status: res.status, contentType: String(res.headers['content-type']), text: res.text, body: res.body };
      const problems = walker.check(operation, { method: operation.method.toUpperCase(), url, actor: 'OPERATOR', mode, outsideDocument: true }, answer);
      const named = field === undefined || res.body.errors?.some((e: { field: string }) => e.field === field);
      if (res.status !== 400 || res.body.code !== 'VALIDATION_FAILED' || !named || problems.length > 0) drifted.push(`${operation.method.toUpperCase()} ${url} → ${res.status} ${problems.join('; ')}`);
    }
    return drifted;
  };

  it('documents the 400 of a path parameter that is not valid percent-encoding, and answers it on every such operation', async () => {
    const withPath = operationsOf(walker.document).filter((o) => o.path.includes('{'));
    expect(withPath.length).toBeGreaterThan(20);
    expect(await refusedWith400(withPath, 'path', (path) => path.replace(/\{[^}]+\}/g, '%zz'))).toEqual([]);
  });

  it('documents the 400 of a query parameter an operation does not take, and answers it on every operation that takes none', async () => {
    // Those that take some check theirs with their other input, after access (abuse-limits: unknown list parameters).
    const operations = operationsOf(walker.document).filter((o) => !((o.op.parameters ?? []) as Array<{ in?: string }>).some((p) => p.in === 'query'));
    expect(operations.length).toBeGreaterThan(40);
    // The guard answers before the path's own parameters are read, so any segment will do.
    expect(await refusedWith400(operations, 'query', (path) => `${path.replace(/\{[^}]+\}/g, 'x')}?unexpected=1`, 'unexpected')).toEqual([]);
  });

  it('answers every generated request as its operation documents', async () => {
    const failures: string[] = [];
    for (const operation of operationsOf(walker.document)) {
      // Every operation is walked even when one fails, so a run reports all that drifted.
      const outcome = await fc.check(
        fc.asyncProperty(walker.plans(operation), async (plan) => {
          const { sent: request, answer } = await walker.send(operation, plan);
          sent++;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const problems = walker.check(operation, request, answer);
          if (problems.length > 0) {
            throw new Error(`${request.method} ${request.url} as ${request.actor} (${request.mode}) with ${JSON.stringify(request.body)}\n→ ${answer.status} ${answer.text.slice(0, 600)}\n${problems.join('\n')}`);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      if (outcome.failed) failures.push(`${operation.method.toUpperCase()} ${operation.path} (seed ${outcome.seed}):\n${String(outcome.errorInstance)}`);
    }
    expect(failures).toEqual([]);
  }, 900_000);
});
