import { ILL_FORMED_KEY, ILL_FORMED_VALUE, illFormedStrings, MAX_ILL_FORMED_REPORTED } from '../../../src/common/validation/well-formed-text';

/** Parsed the way the body parser parses: the escapes below are JSON's, not TypeScript's. */
const body = (json: string): unknown => JSON.parse(json);

describe('ill-formed Unicode in a request body (lone surrogates)', () => {
  it('accepts well-formed text, surrogate pairs (an emoji) included', () => {
    expect(illFormedStrings(body('{"note":"节水 \\ud83d\\udca7","items":[{"name":"x"}],"n":1,"b":null}'))).toEqual([]);
    expect(illFormedStrings(undefined)).toEqual([]);
    expect(illFormedStrings(body('"plain"'))).toEqual([]);
  });

  it('names a lone high or low surrogate\'s field, wherever in the string it sits', () => {
    expect(illFormedStrings(body('{"note":"\\ud800x"}'))).toEqual([{ field: 'note', message: ILL_FORMED_VALUE }]);
    expect(illFormedStrings(body('{"reason":"x\\udc00"}'))).toEqual([{ field: 'reason', message: ILL_FORMED_VALUE }]);
    expect(illFormedStrings(body('{"name":"\\udc00\\ud800"}'))).toEqual([{ field: 'name', message: ILL_FORMED_VALUE }]);
  });

  it('names nested fields as validation does, items[2].name style, in document order', () => {
    const found = illFormedStrings(body('{"a":"\\ud800","items":["ok",{"name":"ok"},{"name":"\\ud800"}],"terms":[["\\udfff"]],"z":"\\ud800"}'));
    expect(found.map((e) => e.field)).toEqual(['a', 'items[2].name', 'terms[0][0]', 'z']);
  });

  it('counts field names too, naming the object that holds them', () => {
    expect(illFormedStrings(body('{"\\ud800":1}'))).toEqual([{ field: 'body', message: ILL_FORMED_KEY }]);
    expect(illFormedStrings(body('{"nested":{"ok":"\\ud800","\\udc00x":"hidden"}}'))).toEqual([
      { field: 'nested', message: ILL_FORMED_KEY },
      { field: 'nested.ok', message: ILL_FORMED_VALUE },
    ]);
    expect(illFormedStrings(body('[{"\\ud800":1}]'))).toEqual([{ field: 'body[0]', message: ILL_FORMED_KEY }]);
  });

  it('names the whole body when the body is the string', () => {
    expect(illFormedStrings(body('"\\ud800"'))).toEqual([{ field: 'body', message: ILL_FORMED_VALUE }]);
  });

  it('reports a bounded number of problems', () => {
    const many = JSON.stringify(Array.from({ length: 1000 }, () => 'X')).replace(/X/g, '\\ud800');
    expect(illFormedStrings(body(many))).toHaveLength(MAX_ILL_FORMED_REPORTED);
  });

  it('walks a body nested far past the stack without overflowing', () => {
    const deep = body(`${'['.repeat(200_000)}"\\ud800"${']'.repeat(200_000)}`);
    expect(illFormedStrings(deep)).toHaveLength(1);
  });
});
