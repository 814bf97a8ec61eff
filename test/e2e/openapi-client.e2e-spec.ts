import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { ROOT, run, scratchDir, servedDocument } from './support/openapi-document';
import { startTestApp, TestApp } from './support/test-app';

const FLOW = resolve(ROOT, 'test/client/readme-flow.ts');

/** Every way TypeScript lets a program step around its types. */
function escapeHatches(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const where = (node: ts.Node) => `line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isAsExpression(node) && !(ts.isTypeReferenceNode(node.type) && node.type.getText() === 'const')) found.push(`cast at ${where(node)}`);
    if (ts.isTypeAssertionExpression(node)) found.push(`cast at ${where(node)}`);
    if (ts.isNonNullExpression(node)) found.push(`non-null assertion at ${where(node)}`);
    if (node.kind === ts.SyntaxKind.AnyKeyword) found.push(`any at ${where(node)}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (/@ts-(ignore|expect-error|nocheck)/.test(source.text)) found.push('a @ts- directive');
  return found;
}

interface Generated {
  dir: string;
  compile: () => Promise<{ ok: boolean; output: string }>;
}

/** Types from `document` by openapi-typescript (defaultNonNullable: false), beside a copy of the flow. */
async function generateClient(document: unknown): Promise<Generated> {
  const dir = scratchDir('client');
  writeFileSync(resolve(dir, 'openapi.json'), JSON.stringify(document));
  await run(process.execPath, [resolve(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), resolve(dir, 'openapi.json'), '-o', resolve(dir, 'api.ts'), '--default-non-nullable=false'], { cwd: dir });
  copyFileSync(FLOW, resolve(dir, 'readme-flow.ts'));
  writeFileSync(
    resolve(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noImplicitAny: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        types: ['node'],
        outDir: 'out',
        rootDir: '.',
        skipLibCheck: true,
      },
      files: ['readme-flow.ts', 'api.ts'],
    }),
  );
  const compile = async () => {
    try {
      const { stdout } = await run(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', resolve(dir, 'tsconfig.json')], { cwd: dir });
      return { ok: true, output: stdout };
    } catch (err: any) {
      return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
    }
  };
  return { dir, compile };
}

/**
 * A client generated from the served document (issue 16): README's walk-through through
 * openapi-fetch compiles under `tsc --strict` with no cast and no `any`, and runs green
 * against the service. When the document and the service drift apart, it fails.
 */
describe('a typed client generated from /docs-json', () => {
  let t: TestApp;
  let document: any;
  beforeAll(async () => {
    // A one-second notice, so the flow's auction closes while it runs.
    t = await startTestApp({ env: { MIN_NOTICE_SECONDS: '1' } });
    document = await servedDocument(t);
  });
  afterAll(() => t.close());

  it('is written with no cast, no non-null assertion and no any', () => {
    expect(escapeHatches(FLOW)).toEqual([]);
  });

  it('compiles README\'s flow under tsc --strict and runs it green against the service', async () => {
    const client = await generateClient(document);
    const compiled = await client.compile();
    if (!compiled.ok) throw new Error(`the README flow does not compile against the served document:\n${compiled.output}`);
    const { stdout } = await run(process.execPath, [resolve(client.dir, 'out/readme-flow.js')], {
      env: { PATH: process.env.PATH ?? '', BASE_URL: t.baseUrl, ADMIN_API_KEY: t.adminKey },
    }).catch((err: any) => {
      throw new Error(`the README flow failed against the service:\n${err.stderr}${err.stdout}`);
    });
    expect(stdout).toMatch(/README flow settled trade/);
  }, 120_000);

  it('stops compiling when the document drifts from what the flow relies on', async () => {
    const drifted = structuredClone(document);
    drifted.paths['/v1/trades/{id}/approval'] = drifted.paths['/v1/trades/{id}/approve'];
    delete drifted.paths['/v1/trades/{id}/approve'];
    delete drifted.components.schemas.MarketView.properties.autoApproveMaxVolume;
    const compiled = await (await generateClient(drifted)).compile();
    expect(compiled.ok).toBe(false);
    expect(compiled.output).toMatch(/approve/);
    expect(compiled.output).toMatch(/autoApproveMaxVolume/);
  }, 120_000);
});
