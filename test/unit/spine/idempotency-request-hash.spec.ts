import { createHash } from 'node:crypto';
import { matchingHashes, requestHash } from '../../../src/common/idempotency/request-hash';

/** What a bodyless request was hashed as before no body counted as `{}`. */
const legacyBodyless = createHash('sha256').update('null').digest('hex');

describe('the Idempotency-Key request hash', () => {
  it('takes no body and {} for one request: an action that names no body takes either (API.md)', () => {
    expect(requestHash(undefined)).toBe(requestHash({}));
  });

  it('still tells other bodies apart', () => {
    expect(requestHash({ reason: 'x' })).not.toBe(requestHash({}));
    expect(requestHash([])).not.toBe(requestHash({}));
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
  });

  it('lets an empty retry match a key stored for a bodyless request before the change, and nothing else match it', () => {
    expect(matchingHashes(undefined)).toContain(legacyBodyless);
    expect(matchingHashes({})).toContain(legacyBodyless);
    expect(matchingHashes({ reason: 'x' })).toEqual([requestHash({ reason: 'x' })]);
    expect(matchingHashes([])).not.toContain(legacyBodyless);
  });
});
