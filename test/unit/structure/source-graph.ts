import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(__dirname, '../../..');
export const SRC = join(ROOT, 'src');

/** One import of a source file: what it names and, for a file of ours, where that is (relative to the project root). */
export interface Import {
  specifier: string;
  /** The imported file, e.g. `src/core/decimal.ts`; null for a package or a Node built-in. */
  target: string | null;
  /** `import type` / `export type`: erased at compile time, nothing loads at run time. */
  typeOnly: boolean;
}

export interface SourceFile {
  /** Relative to the project root, e.g. `src/modules/orders/orders.service.ts`. */
  path: string;
  ast: ts.SourceFile;
  imports: Import[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : name.endsWith('.ts') ? [full] : [];
  });
}

function resolveTarget(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  const found = [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  return relative(ROOT, found ?? `${base}.ts`);
}

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'` runs x
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

function importsOf(file: string, ast: ts.SourceFile): Import[] {
  const found: Import[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const specifier = node.moduleSpecifier.text;
      found.push({ specifier, target: resolveTarget(file, specifier), typeOnly: isTypeOnly(node) });
    }
    // require('x') and import('x') load at run time too.
    if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        const specifier = node.arguments[0].text;
        found.push({ specifier, target: resolveTarget(file, specifier), typeOnly: false });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ast);
  return found;
}

/** Every TypeScript file under src/, parsed, with its imports. */
export function loadSources(): Map<string, SourceFile> {
  const files = new Map<string, SourceFile>();
  for (const full of walk(SRC)) {
    const ast = ts.createSourceFile(full, readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
    const path = relative(ROOT, full);
    files.set(path, { path, ast, imports: importsOf(full, ast) });
  }
  return files;
}

/** Every node of a file, depth first. */
export function* nodesOf(ast: ts.SourceFile): Generator<ts.Node> {
  const stack: ts.Node[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    ts.forEachChild(node, (child) => {
      stack.push(child);
    });
  }
}

/** `file:line` of a node, for messages a reader can follow. */
export const at = (file: SourceFile, node: ts.Node): string => `${file.path}:${file.ast.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
