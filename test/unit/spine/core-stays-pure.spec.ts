import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

/**
 * DESIGN.md: decisions live in core/, effects in modules/. core/ may import decimal.js,
 * Node's built-ins and itself; anything else (Nest, TypeORM, pg, the modules) would pull
 * effects or framework state into rules that must stay pure.
 */
const CORE = join(__dirname, '../../../src/core');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|(?:require|import)\('([^']+)'\)/g;

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

const allowed = (specifier: string, file: string): boolean => {
  if (specifier === 'decimal.js') return true;
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return true;
  // A relative import must stay inside core/.
  return specifier.startsWith('.') && !relative(CORE, join(file, '..', specifier)).startsWith('..');
};

describe('src/core', () => {
  it('imports only decimal.js, Node built-ins and itself', () => {
    const offending = files(CORE).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(IMPORT)]
        .map((m) => m[1] ?? m[2] ?? m[3])
        .filter((specifier) => !allowed(specifier, file))
        .map((specifier) => `${relative(CORE, file)}: ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
