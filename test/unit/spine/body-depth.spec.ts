import { MAX_BODY_DEPTH, MAX_BODY_MEMBERS, rawShapeProblem } from '../../../src/common/validation/body-depth';

const nested = (depth: number): unknown => (depth <= 1 ? {} : { a: nested(depth - 1) });
/** The body as the parser's `verify` hook sees it: its bytes. */
const raw = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const deeperThan = (value: unknown, maxDepth: number) => rawShapeProblem(raw(value), maxDepth) !== null;

describe('request body nesting limit, read off the bytes', () => {
  it('counts a flat object as one level and scalars as none', () => {
    expect(deeperThan({ name: 'x', kind: 'ENTERPRISE' }, 1)).toBe(false);
    expect(deeperThan('x', 0)).toBe(false);
    expect(deeperThan(null, 0)).toBe(false);
  });

  it('accepts a body exactly at the limit and refuses one level more', () => {
    expect(deeperThan(nested(MAX_BODY_DEPTH), MAX_BODY_DEPTH)).toBe(false);
    expect(deeperThan(nested(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH)).toBe(true);
    expect(rawShapeProblem(raw(nested(MAX_BODY_DEPTH + 1)))).toMatch(/nest deeper than 32/);
  });

  it('counts arrays as levels too', () => {
    expect(deeperThan({ terms: [[{}]] }, 3)).toBe(true);
    expect(deeperThan({ terms: [{}] }, 3)).toBe(false);
  });

  it('finds the deep branch beside shallow ones', () => {
    expect(deeperThan({ a: 1, b: { c: 2 }, d: nested(5) }, 5)).toBe(true);
  });

  it('measures a body nested far past the stack without building it', () => {
    expect(rawShapeProblem(Buffer.from(`${'['.repeat(200_000)}${']'.repeat(200_000)}`))).toMatch(/nest deeper than 32/);
  });

  it('does not count brackets or commas inside strings, escaped quotes included', () => {
    expect(rawShapeProblem(raw({ note: '[[[[{{{{,,,,'.repeat(5000), escaped: 'a\\"[[[[' }))).toBeNull();
  });

  it('leaves room for every body the API defines', () => {
    expect(MAX_BODY_DEPTH).toBeGreaterThanOrEqual(4);
  });
});

describe('request body size limit, in fields and array items, read off the bytes', () => {
  const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

  it('accepts exactly 1000 fields and refuses one more, in objects or arrays', () => {
    expect(rawShapeProblem(raw(wide(MAX_BODY_MEMBERS)))).toBeNull();
    expect(rawShapeProblem(raw(wide(MAX_BODY_MEMBERS + 1)))).toMatch(/more than 1000 fields/);
    expect(rawShapeProblem(raw(Array(MAX_BODY_MEMBERS).fill(0)))).toBeNull();
    expect(rawShapeProblem(raw(Array(2000).fill(0)))).toMatch(/more than 1000 fields/);
  });

  it('reads a megabyte of brackets in one pass and stops at the first bound passed', () => {
    expect(rawShapeProblem(Buffer.from(`${'['.repeat(524_000)}${']'.repeat(524_000)}`))).toMatch(/nest deeper than 32/);
    expect(rawShapeProblem(Buffer.from(`[${'{},'.repeat(349_000)}{}]`))).toMatch(/more than 1000 fields/);
  });
});
