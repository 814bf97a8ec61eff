import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/audit/canonical-json';

/**
 * The body as canonical JSON for comparing retries. A JSON number too large for a double
 * parses to ±Infinity, which canonical JSON cannot encode: it is kept as a marker, so
 * hashing never fails and the request meets the same checks (403, 400) as without a key.
 * No body at all is hashed as `{}`: an action that names no body takes none or `{}`
 * (API.md), and the two are one request.
 */
export function requestHash(body: unknown): string {
  const finite = JSON.parse(JSON.stringify(body === undefined ? {} : body, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? { nonFiniteNumber: String(v) } : v)));
  return createHash('sha256').update(canonicalJson(finite)).digest('hex');
}

/**
 * What a request without a body was hashed as before it counted as `{}`: the hash of
 * `null`. Keys are kept at least 24 h, so rows claimed with it may still be retried; a
 * request without a body or with `{}` accepts it as its own, and both replay. (A body of
 * JSON `null`, a 400 on every endpoint, hashes the same; it was never told apart from no
 * body, and its stored 400 is what the bodyless retry replays, as before.)
 */
const LEGACY_BODYLESS_HASH = createHash('sha256').update(canonicalJson(null)).digest('hex');

const isEmptyBody = (body: unknown) =>
  body === undefined || (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);

/** The stored hashes a retry of this body matches: its own, and for an empty body the legacy bodyless one. */
export function matchingHashes(body: unknown): readonly string[] {
  const own = requestHash(body);
  return isEmptyBody(body) ? [own, LEGACY_BODYLESS_HASH] : [own];
}
