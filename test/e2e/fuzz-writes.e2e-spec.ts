import fc from 'fast-check';
import request from 'supertest';
import { buildScene, ConformanceScene } from './support/conformance/scene';
import { Schema, SchemaValidator } from './support/conformance/schemas';
import { SchemaArbitraries } from './support/conformance/arbitraries';
import { LEAKS, Operation, operationsOf } from './support/conformance/walker';
import { HostileBody, hostileBody, hostilePathValue, REPEATED_FIELD } from './support/fuzz/hostile';
import { TableSnapshots } from './support/fuzz/snapshot';
import { servedDocument } from './support/openapi-document';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Hostile requests per write operation: enough for 2,000 in all inside `npm test`;
 * `npm run test:fuzz` sets FUZZ_RUNS (10,000 by default there). FUZZ_SEED replays a run,
 * FUZZ_ONLY (a substring of the path) narrows it to some operations.
 */
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : undefined;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const ONLY = process.env.FUZZ_ONLY;
const MIN_CASES = 2_000;
const JSON_TYPE = 'application/json';
/** Keys the contract refuses (1–255 printable ASCII characters only); an empty one is not sent at all by the HTTP client. */
const BAD_KEYS = ['x'.repeat(256), 'tab\there', 'clé', 'a\u00a0b'];
/** Bodies that are not JSON, or claim another charset or a JSON-like type: 415 or 400, never read as empty. */
const ODD_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/json-patch+json', 'multipart/form-data; boundary=x', 'application/xml'];

interface Plan {
  actor: number;
  path: Record<string, string>;
  pathBroken: boolean;
  body: HostileBody;
  idempotencyKey?: string;
  contentType: string;
}

/**
 * Every POST, PUT and DELETE the served document lists (walked from /docs-json, so a new
 * endpoint is fuzzed without a line here) gets malformed JSON, wrong types, numbers for
 * decimals, exponents, signs, NaN and Infinity (1e999 as raw text), huge and tiny values,
 * too many decimals, unknown and prototype fields, over-long and odd unicode strings, bad
 * ids and path injection, with or without an Idempotency-Key. Every answer is below 500;
 * a request outside the document is refused with a 4xx problem+json; and a 4xx writes
 * nothing: every table's rows and the audit head are as they were.
 */
describe('hostile input on every write endpoint', () => {
  let t: TestApp;
  let scene: ConformanceScene;
  let document: Schema;
  let requestSchemas: SchemaValidator;
  let arbs: SchemaArbitraries;
  let snapshots: TableSnapshots;
  let writes: Operation[];
  let cases = 0;
  let inDocument = 0;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    scene = await buildScene(t);
    document = await servedDocument(t);
    requestSchemas = new SchemaValidator(document, false);
    arbs = new SchemaArbitraries(document, scene.bodyPools, scene.fixedPools);
    snapshots = await TableSnapshots.open(t.dbUrl);
    writes = operationsOf(document).filter((o) => o.method !== 'get' && (!ONLY || o.path.includes(ONLY)));
  }, 120_000);
  afterAll(async () => {
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    process.stdout.write(`fuzz: ${cases} hostile requests over ${writes?.length} write operations, ${inDocument} of them inside the document (${byStatus})\n`);
    await snapshots?.close();
    await t?.close();
  });

  const pathParams = (o: Operation): Schema[] => (o.op.parameters ?? []).filter((p: Schema) => p.in === 'path');
  const bodySchema = (o: Operation): Schema | undefined => o.op.requestBody?.content?.['application/json']?.schema;
  const pool = (o: Operation, name: string) => scene.pathPools(o.path, name);

  async function send(o: Operation, plan: Plan) {
    const url = o.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(plan.path[name]));
    let req = request(t.http)[o.method as 'post' | 'put' | 'delete'](url).set('Content-Type', plan.contentType);
    const key = scene.actors[plan.actor].apiKey;
    if (key) req = req.set('Authorization', `Bearer ${key}`);
    if (plan.idempotencyKey) req = req.set('Idempotency-Key', plan.idempotencyKey);
    const res = await req.serialize((b: unknown) => b as string).send(plan.body.text).buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (text += chunk));
      r.on('end', () => done(null, text));
    });
    return { url, status: res.status, contentType: String(res.headers['content-type'] ?? ''), text: String(res.body ?? '') };
  }

  /** Whether the document itself allows the request (then a 2xx is no fault); most cases it forbids. */
  function allowedByDocument(o: Operation, plan: Plan): boolean {
    if (plan.contentType !== JSON_TYPE || (plan.idempotencyKey !== undefined && BAD_KEYS.includes(plan.idempotencyKey))) return false;
    if (plan.pathBroken) {
      for (const p of pathParams(o)) if (requestSchemas.problems(p.schema, plan.path[p.name]) !== null) return false;
    }
    // No body at all is what a body-less action asks for.
    if (plan.body.text === '') return !o.op.requestBody?.required;
    let body: unknown;
    try {
      // RFC 8259 lets a parser ignore a leading byte order mark, and the service's does.
      body = JSON.parse(plan.body.text.replace(/^\ufeff/, ''));
    } catch {
      return false;
    }
    const schema = bodySchema(o);
    return schema ? requestSchemas.problems(schema, body) === null : false;
  }

  /** The actors that get past authentication and access to the body check of an operation, found by one probe each. */
  async function actorsReaching(o: Operation): Promise<number[]> {
    const path = Object.fromEntries(pathParams(o).map((p) => [p.name, pool(o, p.name)[0] ?? 'x']));
    const reaching: number[] = [];
    for (const [i] of scene.actors.entries()) {
      const answer = await send(o, { actor: i, path, pathBroken: false, body: { kind: 'probe', text: '{"fuzzProbe":1}' }, contentType: JSON_TYPE });
      if (answer.status === 400) reaching.push(i);
    }
    return reaching;
  }

  function plans(o: Operation, reaching: number[]): fc.Arbitrary<Plan> {
    const actors = scene.actors.map((_, i) => i);
    const params = pathParams(o);
    const broken = params.length ? fc.integer({ min: -3, max: params.length - 1 }) : fc.constant(-1);
    return broken.chain((brokenIndex) =>
      fc.record({
        actor: reaching.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...reaching) }, { weight: 1, arbitrary: fc.constantFrom(...actors) }) : fc.constantFrom(...actors),
        path: fc.record(Object.fromEntries(params.map((p, i) => {
          const known = pool(o, p.name);
          const value = i === brokenIndex ? hostilePathValue : known.length ? fc.constantFrom(...known) : arbs.valid(p.schema).map(String);
          return [p.name, value];
        }))),
        pathBroken: fc.constant(brokenIndex >= 0),
        body: hostileBody(arbs, bodySchema(o)),
        idempotencyKey: o.method === 'post'
          ? fc.oneof({ weight: 8, arbitrary: fc.option(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), { nil: undefined }) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_KEYS) })
          : fc.constant(undefined),
        contentType: fc.oneof({ weight: 12, arbitrary: fc.constant(JSON_TYPE) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_TYPES) }),
      }),
    );
  }

  it('sees a write in its snapshot: an accepted deposit changes the deposits, the ledger and the audit chain', async () => {
    const before = await snapshots.take();
    const someone = scene.bodyPools.holderId[1] as string;
    const res = await request(t.http).post(`/v1/participants/${someone}/deposits`).set('Authorization', `Bearer ${t.adminKey}`).send({ amount: '1.00', reference: 'FUZZ-SNAPSHOT' });
    expect(res.status).toBe(201);
    expect(TableSnapshots.changed(before, await snapshots.take())).toEqual(expect.arrayContaining(['deposits', 'ledger_accounts', 'ledger_postings', 'audit_log', 'audit_head']));
  });

  it('answers every hostile request below 500, refuses what the document forbids with a 4xx problem, and writes nothing on a 4xx', async () => {
    // The whole document has dozens of writes; a narrowed run has at least one.
    expect(writes.length).toBeGreaterThan(ONLY ? 0 : 30);
    const runs = RUNS ?? Math.ceil(MIN_CASES / writes.length);
    const failures: string[] = [];
    let before = await snapshots.take();
    for (const o of writes) {
      const reaching = await actorsReaching(o);
      before = await snapshots.take();
      const outcome = await fc.check(
        fc.asyncProperty(plans(o, reaching), async (plan) => {
          const answer = await send(o, plan);
          cases++;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const allowed = allowedByDocument(o, plan);
          if (allowed) inDocument++;
          const after = await snapshots.take();
          const changed = TableSnapshots.changed(before, after);
          before = after;
          const problems: string[] = [];
          if (answer.status >= 500) problems.push(`answered ${answer.status}`);
          if (LEAKS.test(answer.text)) problems.push('the body shows a stack trace or SQL');
          if (!allowed && answer.status < 400) problems.push(`accepted a request the document forbids (${answer.status})`);
          if (plan.body.kind === REPEATED_FIELD && answer.status < 400) problems.push(`accepted a field named twice (${answer.status})`);
          if (answer.status >= 400) {
            if (!answer.contentType.startsWith('application/problem+json')) problems.push(`a ${answer.status} that is not problem+json (${answer.contentType})`);
            if (changed.length) problems.push(`a ${answer.status} wrote to ${changed.join(', ')}`);
          }
          if (problems.length) {
            throw new Error(`${o.method.toUpperCase()} ${answer.url} as ${scene.actors[plan.actor].name} (${plan.body.kind}, ${plan.contentType}${plan.idempotencyKey !== undefined ? `, key ${JSON.stringify(plan.idempotencyKey.slice(0, 40))}` : ''}) ${JSON.stringify(plan.body.text.slice(0, 300))}\n→ ${answer.status} ${answer.text.slice(0, 400)}\n${problems.join('\n')}`);
          }
        }),
        { numRuns: runs, seed: SEED, endOnFailure: true },
      );
      if (outcome.failed) failures.push(`${o.method.toUpperCase()} ${o.path} (seed ${outcome.seed}):\n${String(outcome.errorInstance)}`);
    }
    expect(failures).toEqual([]);
    if (!ONLY) expect(cases).toBeGreaterThanOrEqual(RUNS ? RUNS * writes.length : MIN_CASES);
  }, 3_600_000 * 12);
});
