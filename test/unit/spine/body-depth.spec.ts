import { MAX_BODY_DEPTH, nestsDeeperThan } from '../../../src/common/validation/body-depth';

const nested = (depth: number): unknown => (depth <= 1 ? {} : { a: nested(depth - 1) });

describe('request body nesting limit', () => {
  it('counts a flat object as one level and scalars as none', () => {
    expect(nestsDeeperThan({ name: 'x', kind: 'ENTERPRISE' }, 1)).toBe(false);
    expect(nestsDeeperThan('x', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
  });

  it('accepts a body exactly at the limit and refuses one level more', () => {
    expect(nestsDeeperThan(nested(MAX_BODY_DEPTH), MAX_BODY_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH)).toBe(true);
  });

  it('counts arrays as levels too', () => {
    expect(nestsDeeperThan({ terms: [[{}]] }, 3)).toBe(true);
    expect(nestsDeeperThan({ terms: [{}] }, 3)).toBe(false);
  });

  it('finds the deep branch beside shallow ones', () => {
    expect(nestsDeeperThan({ a: 1, b: { c: 2 }, d: nested(5) }, 5)).toBe(true);
  });

  it('measures a body nested far past the stack without overflowing', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(nestsDeeperThan(deep, MAX_BODY_DEPTH)).toBe(true);
  });

  it('leaves room for every body the API defines', () => {
    expect(MAX_BODY_DEPTH).toBeGreaterThanOrEqual(4);
  });
});
