import { hasMoreMembersThan, MAX_BODY_DEPTH, MAX_BODY_MEMBERS, nestsDeeperThan, rawShapeProblem } from '../../../src/common/validation/body-depth';

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

describe('the body\'s shape read off its bytes, before it is parsed', () => {
  const raw = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

  it('agrees with the walks on depth, and does not count brackets or commas inside strings', () => {
    expect(rawShapeProblem(raw(nested(MAX_BODY_DEPTH)))).toBeNull();
    expect(rawShapeProblem(raw(nested(MAX_BODY_DEPTH + 1)))).toMatch(/nest deeper than 32/);
    expect(rawShapeProblem(raw({ note: '[[[[{{{{,,,,'.repeat(5000), escaped: 'a\\"[[[[' }))).toBeNull();
  });

  it('refuses more than 1000 fields and items, and lets through what the exact count accepts (no empty containers)', () => {
    expect(hasMoreMembersThan(wide(MAX_BODY_MEMBERS), MAX_BODY_MEMBERS)).toBe(false);
    expect(rawShapeProblem(raw(wide(MAX_BODY_MEMBERS)))).toBeNull();
    expect(rawShapeProblem(raw(wide(2000)))).toMatch(/more than 1000 fields/);
    expect(rawShapeProblem(raw(Array(2000).fill(0)))).toMatch(/more than 1000 fields/);
  });

  it('reads a megabyte of brackets in one pass and stops at the first level too deep', () => {
    const body = Buffer.from(`${'['.repeat(524_000)}${']'.repeat(524_000)}`);
    expect(rawShapeProblem(body)).toMatch(/nest deeper than 32/);
    expect(rawShapeProblem(Buffer.from(`[${'{},'.repeat(349_000)}{}]`))).toMatch(/more than 1000 fields/);
  });
});
