import fc from 'fast-check';
import { SchemaArbitraries } from '../conformance/arbitraries';
import { Schema } from '../conformance/schemas';

/** A request body as the raw text sent, and what kind of hostility built it. */
export interface HostileBody {
  kind: string;
  text: string;
}

/** JSON values written as raw text, so literals JSON.stringify cannot produce (1e999, -0, 30 digits) reach the server as sent. */
const NUMBERS = ['1', '1.5', '0.1', '-1', '0', '-0', '1e999', '-1e999', '1e-999', '1E3', '2.026e3', '123456789012345678901234567890', '0.30000000000000004', '9007199254740993'];
const DECIMAL_LOOKALIKES = ['"1e3"', '"+1"', '"-1"', '"-0"', '"NaN"', '"Infinity"', '"-Infinity"', '"9999999999999999"', '"1234567890123456.5"', '"0.0000000001"',
  '"1.123456789"', '" 1"', '"1 "', '"1,5"', '"１"', '"0x10"', '""', '"1."', '".5"', '"00001"', '"1_000"', '"0.00001"', '"99999999999999999999.99"'];
const WRONG_TYPES = ['true', 'false', 'null', '[]', '{}', '[1]', '{"$gt":""}', '[null]', '{"__proto__":{"polluted":true}}'];
const BAD_IDS = ['"00000000-0000-0000-0000-000000000000"', '"not-a-uuid"', '"00000000-0000-0000-0000-00000000000g"', '"{00000000-0000-0000-0000-000000000000}"',
  `"' OR 1=1--"`, '"../../etc/passwd"', '"150421\'; DROP TABLE regions;--"', '"%00"', '"1500000"', '"15042"'];
const ODD_UNICODE = ['"\\u0000"', '"a\\u0000b"', '"\\ud800"', '"\\udfff\\ud800"', '"\\u202eevil"', '"\\u200b"', '"𝕏𝕏𝕏"', '"e\\u0301"', '"\\ufeff"', '"\\u0085\\u2028"',
  '"   "', '"\\t\\n"', '"水权"', '"<script>alert(1)</script>"', '"${jndi:ldap://x}"', '"{{7*7}}"'];
/** Field names that look up the prototype chain instead of the object's own fields. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];
const MALFORMED = ['{', '}', '{"a":}', '{"a":1,}', "{'a':1}", '{"a":NaN}', '{"a":Infinity}', '{"a":-Infinity}', '[', 'nul', 'tru', '{"a":1}{"b":2}', '\ufeff{}',
  '{"a":"\u0001"}', '{"a" 1}', '{a:1}', '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":0x10}', '{"a":"\\x41"}', '{"a":"\\u12"}', '/* */{}', '{"a":1}//', '1e999', '-1e999', 'NaN', ''];
const SHAPES = ['[]', '"x"', '42', 'null', 'true', '[{}]', '{"":""}'];

/** One JSON value as raw text, drawn from every family of hostile value. */
export const rawValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc.constantFrom(...DECIMAL_LOOKALIKES),
  fc.constantFrom(...WRONG_TYPES),
  fc.constantFrom(...BAD_IDS),
  fc.constantFrom(...ODD_UNICODE),
  fc.integer({ min: 256, max: 20_000 }).map((n) => `"${'x'.repeat(n)}"`),
  fc.integer({ min: 100, max: 5_000 }).map((n) => `"${'水'.repeat(n)}"`),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => JSON.stringify(s)),
  fc.double().map((d) => String(d)),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
);

const PLACEHOLDER = '\u0001fuzz\u0001';

/** `object` as JSON text with the value of `field` replaced by raw text. */
function withRaw(object: Record<string, unknown>, field: string, raw: string): string {
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) if (k !== field) copy[k] = v;
  Object.defineProperty(copy, field, { value: PLACEHOLDER, enumerable: true });
  return JSON.stringify(copy).replace(JSON.stringify(PLACEHOLDER), raw);
}

/** A field written twice in one object: never accepted, whichever value the document allows. */
export const REPEATED_FIELD = 'repeated field';

const asObject = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/**
 * Bodies that break a request in one place: a field given a hostile value, an unknown or
 * prototype field added, a field written twice, the whole body malformed or of the wrong
 * shape, or nested too deep.
 */
export function hostileBody(arbs: SchemaArbitraries, schema: Schema | undefined): fc.Arbitrary<HostileBody> {
  const resolved = schema ? arbs.resolve(schema) : {};
  const valid = schema ? arbs.valid(schema).map(asObject) : fc.constant({});
  const fields = Object.keys(resolved.properties ?? {});
  const field = fields.length ? fc.constantFrom(...fields) : fc.constant('amount');
  const extraName = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ minLength: 1, maxLength: 12 }));
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(valid, field, rawValue).map(([v, f, raw]) => ({ kind: 'field', text: withRaw(v, f, raw) })) },
    { weight: 2, arbitrary: fc.tuple(valid, extraName, rawValue).map(([v, f, raw]) => ({ kind: 'unknown field', text: withRaw(v, f, raw) })) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...PROTOTYPE_NAMES)).map(([v, f]) => ({ kind: 'prototype field', text: withRaw(v, f, '{"polluted":true,"isAdmin":true}') })) },
    { weight: 1, arbitrary: fc.tuple(valid, field, rawValue, rawValue).map(([v, f, first, second]) => ({ kind: REPEATED_FIELD, text: withRaw(v, f, first).replace(/\}$/, `,${JSON.stringify(f)}:${second}}`) })) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED).map((text) => ({ kind: 'malformed', text })) },
    { weight: 1, arbitrary: valid.chain((v) => { const text = JSON.stringify(v); return fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((n) => ({ kind: 'truncated', text: text.slice(0, n) })); }) },
    { weight: 1, arbitrary: fc.constantFrom(...SHAPES).map((text) => ({ kind: 'shape', text })) },
    { weight: 1, arbitrary: fc.integer({ min: 20, max: 200 }).map((depth) => ({ kind: 'deep', text: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` })) },
  );
}

/** Path parameter values that are not what the route expects: traversal, injection, odd ids, unicode, length. */
export const hostilePathValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('..', '../..', '%2e%2e%2f', "' OR '1'='1", '%00', '\u0000', 'null', 'undefined', '0', '-1', '水', '{id}', '\u202e', 'constructor', '__proto__',
    '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-00000000000g', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '0x7EA', '+2026', '2.026e3', '0002026', '2026.0', '１５０４２１'),
  fc.integer({ min: 300, max: 3000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
);
