import fc from 'fast-check';
import { canonicalJson } from '../../../src/core/audit/canonical-json';

describe('canonical JSON (RFC 8785)', () => {
  it('reproduces the RFC 8785 §3.2.3 example byte for byte', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, so an astral character sorts before U+FB33 (RFC 8785 §3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the order off the text: JSON.parse would list the integer-like key "1" first.
    const text = canonicalJson(input);
    const order = ['"\\r"', '"1"', '"\u0080"', '"\u00f6"', '"\u20ac"', '"\ud83d\ude00"', '"\ufb33"'].map((k) => text.indexOf(`${k}:`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('sorts keys at every level of nesting and keeps array order', () => {
    expect(canonicalJson([56, { d: true, '10': null, '1': [] }])).toBe('[56,{"1":[],"10":null,"d":true}]');
    expect(canonicalJson({ b: { z: 1, a: [{ y: 2, x: 1 }, 3] }, a: 'x' })).toBe('{"a":"x","b":{"a":[{"x":1,"y":2},3],"z":1}}');
  });

  it('does not depend on the order properties were written in', () => {
    expect(canonicalJson({ after: { totalCap: '1', year: 2026 }, action: 'cap.set' })).toBe(
      canonicalJson({ action: 'cap.set', after: { year: 2026, totalCap: '1' } }),
    );
  });

  it('writes no insignificant whitespace', () => {
    expect(canonicalJson({ a: [1, 2], b: { c: 'd e' } })).toBe('{"a":[1,2],"b":{"c":"d e"}}');
  });

  it('escapes control characters in lower-case hex and leaves non-ASCII and "/" literal', () => {
    expect(canonicalJson('\u0000\u001f\b\f\n\r\t"\\/赤峰')).toBe('"\\u0000\\u001f\\b\\f\\n\\r\\t\\"\\\\/赤峰"');
  });

  it('serialises numbers the ECMAScript way', () => {
    expect(canonicalJson([0, -0, 1e21, 1e-7, 0.000001, 100, 1.5, -2])).toBe('[0,0,1e+21,1e-7,0.000001,100,1.5,-2]');
  });

  it('drops undefined properties and writes undefined array slots as null, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('writes dates as ISO-8601 strings', () => {
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.678Z') })).toBe('{"at":"2026-01-02T03:04:05.678Z"}');
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ x: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson(BigInt(1))).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });

  it('reads back as the value JSON.stringify writes, whatever the order its keys were written in', () => {
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reversed(value))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
