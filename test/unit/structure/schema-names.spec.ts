import ts from 'typescript';
import { at, loadSources, nodesOf } from './source-graph';

/**
 * The OpenAPI document names each request and response schema after its class, so two
 * classes of one name in different modules would silently share one schema: one
 * endpoint's document would describe the other's body. Every class in src/ has a name of
 * its own.
 */
describe('schema names (the OpenAPI document)', () => {
  it('gives every class in src/ a name no other class has', () => {
    const seen = new Map<string, string[]>();
    for (const file of loadSources().values()) {
      for (const node of nodesOf(file.ast)) {
        if (ts.isClassDeclaration(node) && node.name) seen.set(node.name.text, [...(seen.get(node.name.text) ?? []), at(file, node)]);
      }
    }
    expect([...seen].filter(([, where]) => where.length > 1)).toEqual([]);
  });
});
