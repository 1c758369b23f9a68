// The layer rules in biome.json fail the build when broken: each fixture in test/lint-fixtures/
// (excluded from the normal lint) is linted with the real configuration as if it lived at a
// path inside a layer, and must raise the layer rule; the control must pass.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIOME = path.join(ROOT, 'node_modules/.bin/biome');
const FIXTURES = path.join(ROOT, 'test/lint-fixtures');

interface Diagnostic {
  category: string;
  message: string;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-lint-'));
  // The real configuration, minus what ties it to this checkout (git ignore files, the excluded fixture folder).
  const config = JSON.parse(await readFile(path.join(ROOT, 'biome.json'), 'utf8'));
  delete config.$schema;
  config.vcs = { enabled: false };
  config.files.includes = ['**'];
  await writeFile(path.join(dir, 'biome.json'), JSON.stringify(config));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function lintAs(fixture: string, asPath: string): Promise<Diagnostic[]> {
  const target = path.join(dir, asPath);
  await mkdir(path.dirname(target), { recursive: true });
  await cp(path.join(FIXTURES, fixture), target);
  const out = await run(BIOME, ['lint', '--reporter=json', asPath], { cwd: dir }).catch((e: { stdout?: string }) => ({
    stdout: e.stdout ?? '',
  }));
  await rm(target);
  const json = out.stdout.slice(out.stdout.indexOf('{'));
  return (JSON.parse(json) as { diagnostics: Diagnostic[] }).diagnostics;
}

describe('layer rules (biome.json noRestrictedImports)', () => {
  it.each([
    ['lib-imports-worker.ts', 'lib/x.ts', /^Layer rule: lib\//],
    ['functions-imports-pg.ts', 'functions/x.ts', /^Layer rule: HTTP handlers call lib\//],
    ['bench-imports-test.ts', 'bench/x.ts', /^Layer rule: nothing imports worker\//],
  ])('%s linted as %s breaks its layer rule', async (fixture, asPath, message) => {
    const diagnostics = await lintAs(fixture, asPath);
    const layer = diagnostics.filter((d) => d.category === 'lint/style/noRestrictedImports');
    expect(layer.map((d) => d.message)).toEqual([expect.stringMatching(message)]);
  });

  it('control: a lib/ file importing lib/ passes', async () => {
    expect(await lintAs('lib-imports-lib.ts', 'lib/x.ts')).toEqual([]);
  });
});
