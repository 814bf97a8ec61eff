/**
 * RFC 8785 (JSON Canonicalization Scheme) for the values the audit log holds: objects
 * with keys sorted by UTF-16 code units, ECMAScript string and number serialisation
 * (which is what JSON.stringify produces for primitives), no insignificant whitespace.
 *
 * Written in one pass into one string: every audit entry, idempotency key and sealed bid
 * is hashed through here, and the arrays of parts a map-and-join builds were a sizeable
 * share of the service's garbage (docs/performance-log.md, "The audit log's share of an order").
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no representation for non-finite numbers');
      // ECMAScript's Number-to-String, which is JSON.stringify's too (-0 is "0").
      return String(value);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return arrayJson(value);
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      return objectJson(value as Record<string, unknown>);
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
}

/** Undefined slots (and holes) are written as null, as JSON.stringify does. */
function arrayJson(values: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === undefined ? 'null' : canonicalJson(v);
  }
  return `${out}]`;
}

/** Undefined properties are left out, as JSON.stringify does; the default sort compares UTF-16 code units. */
function objectJson(value: Record<string, unknown>): string {
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = value[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}
