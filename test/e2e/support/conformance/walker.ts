import fc from 'fast-check';
import request from 'supertest';
import { TestApp } from '../test-app';
import { Pools, SchemaArbitraries } from './arbitraries';
import { Schema, SchemaValidator } from './schemas';

export interface Operation {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  path: string;
  op: Schema;
}

export function operationsOf(document: Schema): Operation[] {
  return Object.entries(document.paths as Record<string, Schema>).flatMap(([path, item]) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })),
  );
}

/** How a generated request departs from the document, if it does. */
type Mode = 'valid' | 'body' | 'query' | 'path' | 'text' | 'key';

interface Plan {
  mode: Mode;
  actor: number;
  path: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  hasBody: boolean;
  idempotencyKey?: string;
}

export interface Sent {
  method: string;
  url: string;
  actor: string;
  body?: unknown;
  contentType?: string;
  mode: Mode;
  /** The request breaks a rule the document states. */
  outsideDocument: boolean;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: unknown;
}

export interface Actor {
  name: string;
  apiKey: string | null;
}

export const LEAKS = /\n\s+at |QueryFailedError|node_modules|SELECT |INSERT INTO|UPDATE \w+ SET|DELETE FROM|syntax error at|violates .* constraint/;

/** The text of a parameter value as a client would put it in a URL. */
const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A parameter's text read as its schema's type, so it can be checked against the schema. */
const asTyped = (schema: Schema, text: string): unknown => (['integer', 'number'].includes(schema.type) && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

/**
 * Walks the document: for each operation, requests built from its parameters and body
 * schema (valid ones, and ones broken in one place), sent as one of several callers, and
 * each answer checked against what the document says that operation may answer.
 */
export class ConformanceWalker {
  readonly requestSchemas: SchemaValidator;
  readonly responseSchemas: SchemaValidator;
  readonly arbs: SchemaArbitraries;

  constructor(
    private readonly t: TestApp,
    readonly document: Schema,
    private readonly actors: Actor[],
    private readonly pathPools: (path: string, param: string) => readonly string[],
    bodyPools: Pools,
    fixedPools: Pools = {},
  ) {
    this.requestSchemas = new SchemaValidator(document, false);
    this.responseSchemas = new SchemaValidator(document, true);
    this.arbs = new SchemaArbitraries(document, bodyPools, fixedPools);
  }

  private parameters(operation: Operation, where: 'path' | 'query'): Schema[] {
    return (operation.op.parameters ?? []).filter((p: Schema) => p.in === where);
  }

  private bodySchema(operation: Operation): Schema | undefined {
    return operation.op.requestBody?.content?.['application/json']?.schema;
  }

  plans(operation: Operation): fc.Arbitrary<Plan> {
    const pathParams = this.parameters(operation, 'path');
    const queryParams = this.parameters(operation, 'query');
    const body = this.bodySchema(operation);
    const modes: Mode[] = ['valid', 'valid', 'valid', 'valid'];
    if (body) modes.push('body', 'text');
    if (queryParams.length) modes.push('query');
    if (pathParams.length) modes.push('path');
    if (operation.method === 'post') modes.push('key');

    const pathValue = (p: Schema, broken: boolean) => {
      const pool = this.pathPools(operation.path, p.name);
      const valid = fc.oneof({ arbitrary: pool.length ? fc.constantFrom(...pool) : this.arbs.valid(p.schema).map(asText), weight: 4 }, this.arbs.valid(p.schema).map(asText));
      return broken ? this.arbs.brokenPathValue() : valid;
    };
    return fc.constantFrom(...modes).chain((mode) =>
      fc.record({
        mode: fc.constant(mode),
        // The operator (first) may do the most, so it calls as often as all the others.
        actor: fc.oneof(fc.constant(0), fc.nat({ max: this.actors.length - 1 })),
        path: fc.record(Object.fromEntries(pathParams.map((p, i) => [p.name, pathValue(p, mode === 'path' && i === pathParams.length - 1)]))),
        query: fc
          .tuple(
            fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fc.option(this.arbs.valid(p.schema, p.name).map(asText), { nil: undefined })]))),
            mode === 'query' && queryParams.length ? fc.tuple(fc.constantFrom(...queryParams.map((p) => p.name)), this.arbs.brokenQueryValue()) : fc.constant(null),
          )
          .map(([q, broken]) => {
            const query = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<string, string>;
            if (broken) query[broken[0]] = broken[1];
            return query;
          }),
        body: body ? (mode === 'body' ? this.arbs.broken(body) : this.arbs.valid(body)) : fc.constant(undefined),
        hasBody: body ? (operation.op.requestBody.required || mode === 'body' || mode === 'text' ? fc.constant(true) : fc.boolean()) : fc.constant(false),
        idempotencyKey:
          mode === 'key'
            ? fc.constantFrom('', 'x'.repeat(256), 'tab\there', 'clé')
            : operation.method === 'post'
              ? fc.option(fc.stringMatching(/^[\x20-\x7e]{1,40}$/), { nil: undefined })
              : fc.constant(undefined),
      }),
    );
  }

  /** Whether the plan breaks a rule the document states (so the service must refuse it). */
  private outsideDocument(operation: Operation, plan: Plan): boolean {
    if (plan.mode === 'text' || plan.mode === 'key') return true;
    for (const p of this.parameters(operation, 'path')) {
      if (this.requestSchemas.problems(p.schema, asTyped(p.schema, plan.path[p.name])) !== null) return true;
    }
    for (const p of this.parameters(operation, 'query')) {
      const value = plan.query[p.name];
      if (value !== undefined && this.requestSchemas.problems(p.schema, asTyped(p.schema, value)) !== null) return true;
    }
    const body = this.bodySchema(operation);
    if (body && plan.hasBody) return this.requestSchemas.problems(body, plan.body) !== null;
    return false;
  }

  async send(operation: Operation, plan: Plan): Promise<{ sent: Sent; answer: Answer }> {
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(plan.path[name]));
    const query = new URLSearchParams(plan.query).toString();
    const url = query ? `${path}?${query}` : path;
    const actor = this.actors[plan.actor];
    let req = request(this.t.http)[operation.method](url);
    if (actor.apiKey) req = req.set('Authorization', `Bearer ${actor.apiKey}`);
    if (plan.idempotencyKey !== undefined) req = req.set('Idempotency-Key', plan.idempotencyKey);
    const sent: Sent = { method: operation.method.toUpperCase(), url, actor: actor.name, mode: plan.mode, outsideDocument: this.outsideDocument(operation, plan) };
    if (plan.hasBody) {
      sent.body = plan.body;
      sent.contentType = plan.mode === 'text' ? 'text/plain' : 'application/json';
      req = req.set('Content-Type', sent.contentType).serialize((b: unknown) => b as string).send(JSON.stringify(plan.body));
    }
    const res = await req.buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (text += chunk));
      r.on('end', () => done(null, text));
    });
    const text = String(res.body ?? '');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: checked as text */
    }
    return { sent, answer: { status: res.status, contentType: String(res.headers['content-type'] ?? ''), text, body } };
  }

  /** What is wrong with an answer, by the document; empty when nothing is. */
  check(operation: Operation, sent: Sent, answer: Answer): string[] {
    const problems: string[] = [];
    if (answer.status >= 500) problems.push(`answered ${answer.status}`);
    if (LEAKS.test(answer.text)) problems.push('the body shows a stack trace or SQL');
    if (sent.outsideDocument && answer.status < 400) problems.push(`accepted a request the document forbids (${sent.mode})`);
    if (sent.mode === 'text' && answer.status !== 415) problems.push(`a text/plain body answered ${answer.status}, not 415`);
    const documented = operation.op.responses?.[String(answer.status)];
    if (!documented) return [...problems, `status ${answer.status} is not documented (documented: ${Object.keys(operation.op.responses ?? {}).join(', ')})`];
    const types = Object.keys(documented.content ?? {});
    const type = types.find((t) => answer.contentType.startsWith(t));
    if (types.length && !type) return [...problems, `content type ${answer.contentType} is not documented for ${answer.status} (${types.join(', ')})`];
    const schema = type ? documented.content[type].schema : undefined;
    if (schema) {
      const value = type?.startsWith('text/') ? answer.text : answer.body;
      const mismatch = this.responseSchemas.problems(schema, value);
      if (mismatch) problems.push(`the ${answer.status} body does not fit its schema: ${mismatch}`);
    }
    return problems;
  }
}
