// The runtime import closure of a module: every repository file it can load
// (static imports, re-exports and literal dynamic imports, type-only imports
// skipped since they are erased) and every specifier that leaves the repository.
// The worker-closure layer test checks the worker reaches only zod and node:*
// with it; the worker test image ships the packages it finds.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** The specifiers `file` imports at run time, in source order (`dynamic: false`: static imports and re-exports only). */
export function runtimeSpecifiers(file: string, opts: { dynamic?: boolean } = {}): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      const named = node.importClause?.namedBindings;
      const onlyTypes =
        !node.importClause?.name &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      opts.dynamic !== false &&
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Every code file reached from `entries` (paths relative to the repository root)
 * and every specifier that leaves the repository (packages and `node:*`).
 * Relative imports of other files (JSON, CSS) or of missing ones end the walk there.
 * `dynamic: false` follows static imports only: what loading the entries loads before anything runs.
 */
export function importClosure(
  entries: string | string[],
  opts: { dynamic?: boolean } = {},
): { files: string[]; external: Set<string> } {
  const seen = new Set<string>();
  const external = new Set<string>();
  const queue = [entries].flat().map((e) => path.resolve(e));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file) || !/\.(ts|mjs|js)$/.test(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const spec of runtimeSpecifiers(file, opts)) {
      if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec));
      else if (!spec.startsWith('/')) external.add(spec);
    }
  }
  return { files: [...seen].map((f) => path.relative(REPO_ROOT, f)), external };
}
