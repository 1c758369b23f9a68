// The worker image (Dockerfile.worker) ships all of lib/ but only `zod` in node_modules,
// so everything a phase process can load must import nothing else from outside the repo.
// This walks the runtime imports (static, re-exports and literal dynamic imports; type-only
// imports are erased and skipped) from worker/entrypoint.ts and checks what leaves the repo.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function runtimeSpecifiers(file: string): string[] {
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

/** Every file reached from `entry` inside the repo, and every specifier that leaves it. */
function importClosure(entry: string): { files: string[]; external: Set<string> } {
  const seen = new Set<string>();
  const external = new Set<string>();
  const queue = [path.resolve(entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of runtimeSpecifiers(file)) {
      if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec));
      else external.add(spec);
    }
  }
  return { files: [...seen].map((f) => path.relative(ROOT, f)), external };
}

describe('worker import closure', () => {
  it('worker/entrypoint.ts reaches only zod and node:* outside the repository', () => {
    const { files, external } = importClosure(path.join(ROOT, 'worker/entrypoint.ts'));
    // The walk really went through the protocol and both agents (lazy imports included).
    expect(files).toContain('lib/worker-protocol/env.ts');
    expect(files).toContain('lib/agents/claude/index.ts');
    expect(files).toContain('lib/agents/builtin/index.ts');
    const offending = [...external].filter((s) => s !== 'zod' && !s.startsWith('node:'));
    expect(offending).toEqual([]);
  });

  it('control: the same walk finds a package import where there is one', () => {
    const { external } = importClosure(path.join(ROOT, 'lib/db.ts'));
    expect([...external]).toContain('pg');
  });
});
