import { builtinModules } from 'node:module';
import ts from 'typescript';
import { at, Import, loadSources, nodesOf, SourceFile } from './source-graph';

/**
 * The layers of docs/architecture.md, checked from the source: what each folder of src/ may
 * import, no `any`, no global feature module, and repositories loadable without Nest (the
 * repository tier runs them in Jest, where NestJS 12, ESM-only, cannot load; decision 0006).
 */
const sources = loadSources();
const files = [...sources.values()];

const under = (folder: string) => (path: string | null): boolean => path !== null && path.startsWith(`src/${folder}/`);
const inCore = under('core');
const inModules = under('modules');
const inScripts = under('scripts');
/** The entry points that assemble everything: nothing below them imports them. */
const ENTRY = new Set(['src/main.ts', 'src/app.module.ts', 'src/configure-app.ts']);

const NODE_BUILTINS = new Set(builtinModules);
const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier);

const violations = (check: (file: SourceFile, imp: Import) => string | null, which: (file: SourceFile) => boolean): string[] =>
  files.filter(which).flatMap((file) => file.imports.map((imp) => check(file, imp)).filter((v): v is string => v !== null));

describe('layering (docs/architecture.md)', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => inCore(f.path))).toBe(true);
  });

  it('keeps src/core pure: it imports only itself, decimal.js and Node built-ins', () => {
    const found = violations((file, imp) => {
      if (imp.target !== null) return inCore(imp.target) ? null : `${file.path} imports ${imp.specifier}`;
      return imp.specifier === 'decimal.js' || isNodeBuiltin(imp.specifier) ? null : `${file.path} imports package ${imp.specifier}`;
    }, (f) => inCore(f.path));
    expect(found).toEqual([]);
  });

  it('keeps src/common, src/database and src/config free of every feature module', () => {
    const found = violations(
      (file, imp) => (inModules(imp.target) || inScripts(imp.target) || ENTRY.has(imp.target ?? '') ? `${file.path} imports ${imp.specifier}` : null),
      (f) => ['common', 'database', 'config'].some((folder) => under(folder)(f.path)),
    );
    expect(found).toEqual([]);
  });

  it('lets nothing but the entry points import the scripts, and nothing import the entry points', () => {
    const found = violations(
      (file, imp) => ((inScripts(imp.target) && !inScripts(file.path)) || ENTRY.has(imp.target ?? '') && !ENTRY.has(file.path) && !inScripts(file.path) ? `${file.path} imports ${imp.specifier}` : null),
      () => true,
    );
    expect(found).toEqual([]);
  });

  it('loads every repository and the rows it returns without Nest: no run-time import of @nestjs/* in their import closure', () => {
    const found: string[] = [];
    const seen = new Set<string>();
    const visit = (path: string, via: string[]) => {
      if (seen.has(path)) return;
      seen.add(path);
      for (const imp of sources.get(path)?.imports ?? []) {
        if (imp.typeOnly) continue;
        if (imp.specifier.startsWith('@nestjs/')) found.push(`${[...via, path].join(' → ')} imports ${imp.specifier}`);
        if (imp.target !== null) visit(imp.target, [...via, path]);
      }
    };
    const repositories = files.filter((f) => /\.(repository|rows)\.ts$/.test(f.path));
    expect(repositories.length).toBeGreaterThan(10);
    for (const repository of repositories) visit(repository.path, []);
    expect(found).toEqual([]);
  });

  it('has no `any` anywhere in src/', () => {
    const found = files.flatMap((file) => [...nodesOf(file.ast)].filter((n) => n.kind === ts.SyntaxKind.AnyKeyword).map((n) => at(file, n)));
    expect(found).toEqual([]);
  });

  it('has no @Global() feature module: every module declares what it imports', () => {
    const found = files
      .filter((f) => inModules(f.path))
      .flatMap((file) => [...nodesOf(file.ast)].filter((n) => ts.isDecorator(n) && ts.isCallExpression(n.expression) && n.expression.expression.getText() === 'Global').map((n) => at(file, n)));
    expect(found).toEqual([]);
  });

  it('declares every query DTO with @QueryParams(), never a bare @Query(): an operation without it refuses every query parameter', () => {
    const found = files
      .filter((f) => !f.path.endsWith('query-params.ts'))
      .flatMap((file) => [...nodesOf(file.ast)].filter((n) => ts.isDecorator(n) && ts.isCallExpression(n.expression) && n.expression.expression.getText() === 'Query').map((n) => at(file, n)));
    expect(found).toEqual([]);
  });

  it('gives every feature module folder a Nest module of its own', () => {
    const folders = new Set(files.filter((f) => inModules(f.path)).map((f) => f.path.split('/')[2]));
    // health is a single controller registered by the application module itself.
    const withoutModule = [...folders].filter((folder) => folder !== 'health' && !files.some((f) => f.path === `src/modules/${folder}/${folder}.module.ts`));
    expect(withoutModule).toEqual([]);
  });
});
