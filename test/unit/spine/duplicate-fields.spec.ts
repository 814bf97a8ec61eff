import fc from 'fast-check';
import { repeatedFieldPath } from '../../../src/common/validation/duplicate-fields';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('a field named twice in one object, read off the bytes', () => {
  it('names a repeated top-level field, whichever value comes first', () => {
    expect(repeatedFieldPath(bytes('{"price":"1","volume":"2","price":"9"}'))).toBe('price');
    expect(repeatedFieldPath(bytes('{ "side" : "BUY" , "side" : "SELL" }'))).toBe('side');
  });

  it('names a nested one by its path, through objects and array items', () => {
    expect(repeatedFieldPath(bytes('{"name":"p","terms":{"serviceShare":"0.5","serviceShare":"1"}}'))).toBe('terms.serviceShare');
    expect(repeatedFieldPath(bytes('{"items":[{"a":1},{"b":2},{"name":"x","name":"y"}]}'))).toBe('items[2].name');
    expect(repeatedFieldPath(bytes('[{"a":1,"a":2}]'))).toBe('body[0].a');
  });

  it('compares names as decoded: an escape spells the same name', () => {
    expect(repeatedFieldPath(bytes('{"price":"1","\\u0070rice":"9"}'))).toBe('price');
    expect(repeatedFieldPath(bytes('{"a\\"b":1,"a\\"b":2}'))).toBe('a"b');
  });

  it('lets the same name stand in different objects, and in strings that are values', () => {
    expect(repeatedFieldPath(bytes('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}'))).toBeNull();
    expect(repeatedFieldPath(bytes('{"note":"price","price":"price","x":["price","price"]}'))).toBeNull();
    expect(repeatedFieldPath(bytes('{"a":"}{\\"a\\":","b":1}'))).toBeNull();
  });

  it('leaves bytes that are not JSON to the parser', () => {
    expect(repeatedFieldPath(bytes('{"a":1,"a'))).toBeNull();
    expect(repeatedFieldPath(bytes('{"\\x":1,"\\x":2}'))).toBeNull();
  });

  it('finds nothing in any body JSON.stringify writes', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(repeatedFieldPath(bytes(JSON.stringify(value)))).toBeNull();
    }), { numRuns: 500 });
  });

  it('finds a name written twice in any object, at the top, under a field or in an array', () => {
    const entries = fc.uniqueArray(fc.tuple(fc.string(), fc.jsonValue()), { minLength: 1, maxLength: 6, selector: ([name]) => name });
    fc.assert(
      fc.property(entries, fc.nat(), fc.nat(), fc.constantFrom('top', 'field', 'item'), (fields, pick, at, where) => {
        const [name] = fields[pick % fields.length];
        const written = fields.map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify(v)}`);
        written.splice(at % (written.length + 1), 0, `${JSON.stringify(name)}:null`);
        const object = `{${written.join(',')}}`;
        const [text, path] = where === 'top' ? [object, name]
          : where === 'field' ? [`{"outer":${object}}`, `outer.${name}`]
            : [`[1,${object}]`, `body[1].${name}`];
        expect(repeatedFieldPath(bytes(text))).toBe(path);
      }),
      { numRuns: 500 },
    );
  });
});
