import fc from 'fast-check';
import { refName, Schema } from './schemas';

/** Known values by field or parameter name, so generated requests reach real objects as well as unknown ones. */
export type Pools = Record<string, readonly unknown[]>;

const NASTY_NAMES = ['toString', 'constructor', '__proto__', 'prototype', 'valueOf', 'hasOwnProperty', 'junk'];
const PATTERN_BREAKERS = ['-1', '+1', '1e3', ' 1', '1 ', '1.', '.5', 'NaN', 'Infinity', '0x10', '1.1234567', '１２', '', 'x'];

/**
 * Values that a schema of the document describes, valid by construction: patterns through
 * fast-check's `stringMatching`, `not` as a filter, lengths, ranges, enums and formats.
 */
export class SchemaArbitraries {
  constructor(
    private readonly document: Schema,
    private readonly pools: Pools,
    /** Values a parameter or field only ever takes in the walk (a long poll's `wait` would stall it). */
    private readonly fixed: Pools = {},
  ) {}

  resolve(schema: Schema): Schema {
    return schema.$ref ? this.document.components.schemas[refName(schema.$ref)] : schema;
  }

  valid(schema: Schema, name?: string): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema);
    const arb = this.nonNull(resolved, name);
    return resolved.nullable ? fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }) : arb;
  }

  private nonNull(schema: Schema, name?: string): fc.Arbitrary<unknown> {
    const only = name ? this.fixed[name] : undefined;
    if (only?.length) return fc.constantFrom(...only);
    const pool = name ? this.pools[name] : undefined;
    const own = this.ofType(schema);
    return pool?.length ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 3 }, { arbitrary: own, weight: 1 }) : own;
  }

  private ofType(schema: Schema): fc.Arbitrary<unknown> {
    if (schema.allOf) return this.valid(schema.allOf[0]);
    if (schema.enum) return fc.constantFrom(...schema.enum.filter((v: unknown) => v !== null));
    switch (schema.type) {
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.valid(schema.items), { maxLength: 3 });
      case 'object':
        return this.object(schema);
      default:
        return this.string(schema);
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const min = schema.minLength ?? 0;
    const max = Math.min(schema.maxLength ?? 40, 40);
    const fits = (s: string) => [...s].length >= min && [...s].length <= (schema.maxLength ?? Infinity);
    const not = schema.not?.pattern ? new RegExp(schema.not.pattern) : null;
    let arb: fc.Arbitrary<string>;
    if (schema.format === 'uuid') arb = fc.uuid();
    else if (schema.format === 'date') arb = fc.date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    else if (schema.format === 'date-time') arb = fc.date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    else if (schema.pattern && schema.pattern.startsWith('^')) arb = fc.stringMatching(new RegExp(schema.pattern));
    else arb = fc.string({ minLength: min, maxLength: Math.max(min, max) });
    if (schema.pattern && !schema.pattern.startsWith('^')) {
      const pattern = new RegExp(schema.pattern);
      arb = arb.filter((s) => pattern.test(s));
    }
    return arb.filter((s) => fits(s) && !(not && not.test(s)));
  }

  private object(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
    const properties: Record<string, Schema> = schema.properties ?? {};
    const required: string[] = schema.required ?? [];
    const record = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, this.valid(v, k)]));
    return fc.record(record, { requiredKeys: required });
  }

  /** A body or query that breaks the schema in one way, or (sometimes) in a way the schema does not forbid. */
  broken(schema: Schema): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema);
    const valid = this.valid(resolved);
    const properties = Object.keys(resolved.properties ?? {});
    const field = properties.length ? fc.constantFrom(...properties) : fc.constant('x');
    const mutate = (f: (o: Record<string, unknown>, key: string, extra: unknown) => void, extra: fc.Arbitrary<unknown>) =>
      fc.tuple(valid, field, extra).map(([v, key, x]) => {
        const copy: Record<string, unknown> = JSON.parse(JSON.stringify(v ?? {}));
        f(copy, key, x);
        return copy;
      });
    return fc.oneof(
      mutate((o, _k, name) => Object.defineProperty(o, String(name), { value: 1, enumerable: true }), fc.constantFrom(...NASTY_NAMES)),
      mutate((o, k) => (o[k] = null), fc.constant(0)),
      mutate((o, k) => delete o[k], fc.constant(0)),
      mutate((o, k, wrong) => (o[k] = wrong), fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant([]), fc.constant({}), fc.constant(1e308))),
      mutate((o, k, text) => (o[k] = text), fc.constantFrom(...PATTERN_BREAKERS)),
      fc.constantFrom<unknown>([], 'x', 42, true, null, [{}]),
    );
  }

  /** A query string value that breaks the parameter's schema (or not; the caller checks). */
  brokenQueryValue(): fc.Arbitrary<string> {
    return fc.constantFrom('0', '-1', '2.5', 'abc', '501', '1e3', '', ' ', 'NULL', '%00', '0x10', '99999999999999999999');
  }

  brokenPathValue(): fc.Arbitrary<string> {
    return fc.constantFrom('abc', '0', '0x7EA', '+2026', '2.026e3', '0002026', '2026.0', '00000000-0000-0000-0000-00000000000g', '..', '%2e%2e', 'null', '-1');
  }
}
