import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, RequestBodyObject, SchemaObject } from '@nestjs/swagger';
import { TAGS } from './tags';

/**
 * The last pass over the generated document: what holds for every operation is stated
 * once here instead of on each controller method, so no endpoint can miss it.
 */

export const PROBLEM_SCHEMA_REF = '#/components/schemas/ProblemDoc';

const PROBLEMS: Record<number, string> = {
  400: 'VALIDATION_FAILED: malformed JSON or invalid input (a path parameter that is not valid percent-encoding or holds NUL included); unknown fields, a field named twice in one object and query parameters the operation does not take are rejected; `errors[]` names each field',
  401: 'UNAUTHENTICATED: no, unknown or revoked API key',
  403: 'FORBIDDEN: the caller\'s role may not use this endpoint, or jurisdiction or ownership does not allow this',
  404: 'NOT_FOUND: no such object, or the caller may not read it',
  409: 'A business conflict; `code` says which',
  413: 'PAYLOAD_TOO_LARGE: the body is over the configured limit',
  415: 'UNSUPPORTED_MEDIA_TYPE: a request body that is not application/json',
  429: 'RATE_LIMITED: the key exceeded its rate',
  503: 'UNAVAILABLE: the database is unreachable',
};

export const problemResponse = (status: number) => ({
  description: PROBLEMS[status] ?? 'Error',
  content: { 'application/problem+json': { schema: { $ref: PROBLEM_SCHEMA_REF } } },
});

const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Same caller, method, path, key and body: the first response is replayed with `Idempotent-Replayed: true` and nothing happens twice. ' +
    'The same key with another body is 409 IDEMPOTENCY_KEY_REUSED.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const isRef = (value: unknown): value is ReferenceObject => typeof value === 'object' && value !== null && '$ref' in value;

function schemaOf(doc: OpenAPIObject, schema: SchemaObject | ReferenceObject | undefined): SchemaObject | undefined {
  if (!isRef(schema)) return schema;
  return doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] as SchemaObject | undefined;
}

/** Request bodies are closed: every schema they reach refuses properties it does not list (API.md: unknown fields are rejected). */
function closeRequestSchema(doc: OpenAPIObject, schema: SchemaObject | ReferenceObject | undefined, seen = new Set<SchemaObject>()): void {
  const resolved = schemaOf(doc, schema);
  if (!resolved || seen.has(resolved)) return;
  seen.add(resolved);
  if (resolved.type === 'object' || resolved.properties) {
    resolved.additionalProperties = false;
    for (const property of Object.values(resolved.properties ?? {})) closeRequestSchema(doc, property, seen);
  }
  for (const part of [...(resolved.allOf ?? []), resolved.items]) closeRequestSchema(doc, part, seen);
}

function finishRequestBody(doc: OpenAPIObject, body: RequestBodyObject): void {
  const schema = body.content['application/json']?.schema;
  closeRequestSchema(doc, schema);
  // A body whose fields are all optional may be left out (approve, halt, resume): the service reads none as {}.
  if (!schemaOf(doc, schema)?.required?.length) body.required = false;
}

function finishOperation(doc: OpenAPIObject, method: (typeof METHODS)[number], op: OperationObject): void {
  op.description ??= op.summary;
  if (method === 'post') op.parameters = [...(op.parameters ?? []), IDEMPOTENCY_KEY];
  const body = op.requestBody && !isRef(op.requestBody) ? op.requestBody : undefined;
  if (body) finishRequestBody(doc, body);

  const secured = (op.security ?? []).length > 0;
  // Public operations (health, metrics) document their own answers.
  const statuses = new Set<number>(secured ? [401, 429, 503] : []);
  // Any operation may be sent a query parameter it does not take (QueryParamsGuard); a path
  // parameter Express cannot decode (`%zz`), or one holding NUL, is refused before any handler.
  statuses.add(400);
  if (body) [413, 415].forEach((s) => statuses.add(s));
  // Any POST may take an Idempotency-Key, and a key used before with another body is 409 IDEMPOTENCY_KEY_REUSED.
  if (method === 'post') statuses.add(409);
  for (const status of statuses) op.responses[status] ??= problemResponse(status);
}

/** Applies the rules every operation shares and completes what the linter and typed clients need. */
export function finishDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.openapi = '3.0.3';
  doc.servers = [{ url: '/', description: 'This service' }];
  doc.tags = Object.values(TAGS).map((t) => ({ ...t }));
  for (const scheme of Object.values(doc.components?.securitySchemes ?? {})) {
    // API keys are opaque strings, not JWTs.
    if (!isRef(scheme)) delete scheme.bearerFormat;
  }
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) finishOperation(doc, method, op);
    }
  }
  return doc;
}
