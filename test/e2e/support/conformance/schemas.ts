import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** An OpenAPI 3.0 schema object, as the served document holds it. */
export type Schema = Record<string, any>;

export const refName = (ref: string) => ref.replace('#/components/schemas/', '');

/**
 * OpenAPI 3.0 schema → JSON Schema (draft-07) for ajv: `nullable` becomes a `null` type,
 * refs point into `definitions`. `closed` also closes every object that lists its
 * properties, so a response carrying a field the document does not list fails: the
 * document must describe all of what the service sends.
 */
export function toJsonSchema(schema: Schema, closed: boolean): Schema {
  if (schema.$ref) return { $ref: `#/definitions/${refName(schema.$ref)}` };
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (['nullable', 'example', 'examples', 'description', 'title', 'default'].includes(key)) continue;
    if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v, closed)]));
    else if (['items', 'not', 'additionalProperties'].includes(key) && typeof value === 'object') out[key] = toJsonSchema(value, closed);
    else if (['allOf', 'anyOf', 'oneOf'].includes(key)) out[key] = (value as Schema[]).map((s) => toJsonSchema(s, closed));
    else out[key] = value;
  }
  if (closed && out.properties && out.additionalProperties === undefined && !out.allOf) out.additionalProperties = false;
  if (schema.nullable) {
    if (out.type) return { ...out, type: [out.type, 'null'] };
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** Validators for schemas of one document, requests as the document states them and responses closed. */
export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<Schema, ValidateFunction>();

  constructor(
    document: Schema,
    private readonly closed: boolean,
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    const definitions = Object.fromEntries(Object.entries(document.components?.schemas ?? {}).map(([k, v]) => [k, toJsonSchema(v as Schema, closed)]));
    this.ajv.addSchema({ $id: 'doc', definitions });
  }

  /** Null when `value` fits `schema`; else what does not. */
  problems(schema: Schema, value: unknown): string | null {
    let validate = this.cache.get(schema);
    if (!validate) {
      const json = toJsonSchema(schema, this.closed);
      validate = this.ajv.compile({ ...rebase(json) });
      this.cache.set(schema, validate);
    }
    return validate(value) ? null : (validate.errors ?? []).map((e) => `${e.instancePath || 'body'} ${e.message} ${JSON.stringify(e.params)}`).join('; ');
  }
}

/** Refs of a schema compiled on its own point into the document schema added as `doc`. */
function rebase(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/definitions\//g, '"doc#/definitions/'));
}
