// `gamepocgen playtest` runs inside build and repair phases (lib/agents/claude/playtest-shim.ts),
// so the worker image ships it beside the worker. It is a separate program (bin/playtest.ts),
// not part of the worker: the worker itself still reaches only zod (worker-closure.test.ts).
// Its closure is allowed exactly the browser driver and the static game serving that it needs,
// and every repository file it loads must be in a directory Dockerfile.worker copies.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importClosure, REPO_ROOT as ROOT } from '../../support/import-closure.ts';
import { materialiseImageApp } from '../helpers/image-layout.ts';

/** playwright-core drives Chromium; hono + @hono/node-server serve dist/ with the game CSP (functions/play.ts). */
const ALLOWED = ['zod', 'playwright-core', 'hono', '@hono/node-server', 'hono-rate-limiter'];
const packageOf = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);

describe('playtest program import closure', () => {
  const { files, external } = importClosure(path.join(ROOT, 'bin/playtest.ts'));

  it('bin/playtest.ts reaches only the judge, playwright-core and the static serving: no database, no service', () => {
    expect(files).toContain('lib/playtest/judge.ts');
    expect(files).toContain('bin/serve-game-dir.ts');
    const packages = new Set([...external].filter((s) => !s.startsWith('node:')).map(packageOf));
    expect([...packages].filter((p) => !ALLOWED.includes(p))).toEqual([]);
    expect(files.filter((f) => /lib\/(db|config|events)\.ts$/.test(f))).toEqual([]);
  });

  it('Dockerfile.worker ships every file and package the program loads, and Chromium', async () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile.worker'), 'utf8');
    const app = await mkdtemp(path.join(os.tmpdir(), 'gpg-playtest-closure-'));
    const ignore = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8');
    try {
      const shipped = await materialiseImageApp(ROOT, path.join(app, 'real'), dockerfile, ignore);
      expect(files.filter((f) => !shipped.includes(f))).toEqual([]);
      // Control: without the functions/ line the game serving the program loads is missing.
      const without = dockerfile.replace(/^COPY functions .*$/m, '');
      const lacking = await materialiseImageApp(ROOT, path.join(app, 'control'), without, ignore);
      expect(files.filter((f) => !lacking.includes(f))).toContain('functions/play.ts');
    } finally {
      await rm(app, { recursive: true, force: true });
    }
    const packages = new Set([...external].filter((s) => !s.startsWith('node:')).map(packageOf));
    for (const p of packages)
      expect(dockerfile, p).toContain(`COPY --from=deps /src/node_modules/${p} /app/node_modules/${p}\n`);
    expect(dockerfile).toMatch(/apt-get install[^\n]*\bchromium\b/);
  });

  it('control: the gamepocgen CLI entry reaches the database (why the shim runs bin/playtest.ts instead)', () => {
    const all = importClosure(path.join(ROOT, 'bin/gamepocgen.ts')).external;
    expect([...all]).toContain('pg');
  });
});
