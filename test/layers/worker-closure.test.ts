// The worker image (Dockerfile.worker) ships all of lib/ but only `zod` in node_modules,
// so everything a phase process can load must import nothing else from outside the repo.
// This walks the runtime imports (support/import-closure.ts: static, re-exports and literal
// dynamic imports; type-only imports are erased and skipped) from worker/entrypoint.ts and
// checks what leaves the repo.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importClosure, REPO_ROOT as ROOT } from '../../support/import-closure.ts';

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

  it('worker/egress-gateway.ts (the egress gateway container, same image) reaches only zod and node:* too', () => {
    const { files, external } = importClosure(path.join(ROOT, 'worker/egress-gateway.ts'));
    expect(files).toContain('lib/llm/egress-proxy.ts');
    expect([...external].filter((s) => s !== 'zod' && !s.startsWith('node:'))).toEqual([]);
  });

  it('control: the same walk finds a package import where there is one', () => {
    const { external } = importClosure(path.join(ROOT, 'lib/db.ts'));
    expect([...external]).toContain('pg');
  });
});
