// Secrets stay out of child processes: the play-test browser, a worker process
// and the embedded Postgres server each get an environment built from scratch,
// even when this process holds LLM_API_KEY, API_TOKEN and DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { childEnv } from '../lib/child-env.ts';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { CHROMIUM_PATH, sharedBrowser } from '../lib/playtest/browser.ts';
import { createLocalRuntime } from '../lib/runtimes/local.ts';

const SECRET = `leak-marker-${randomBytes(8).toString('hex')}`;
const SECRET_VARS = ['LLM_API_KEY', 'API_TOKEN', 'DATABASE_URL', 'ZAI_API_KEY', 'ANTHROPIC_API_KEY'];
const saved: Record<string, string | undefined> = {};
let dir: string;

beforeAll(async () => {
  for (const key of SECRET_VARS) {
    saved[key] = process.env[key];
    process.env[key] = SECRET;
  }
  dir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-env-'));
  await chmod(dir, 0o755); // as root, the embedded server runs as `postgres` and must reach its directory
});
afterAll(async () => {
  for (const key of SECRET_VARS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await rm(dir, { recursive: true, force: true });
});

/** Environments of this process's live children whose command line contains `needle`. */
async function childEnvirons(needle: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = await readFile(`/proc/${name}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      if (!(await readFile(`/proc/${name}/cmdline`, 'utf8')).includes(needle)) continue;
      out.push(await readFile(`/proc/${name}/environ`, 'utf8'));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

it('control: this process holds the secrets the children must not get', () => {
  expect(process.env.LLM_API_KEY).toBe(SECRET);
  expect(Object.values(childEnv()).join('\n')).not.toContain(SECRET);
  expect(childEnv({ EXTRA: SECRET }).EXTRA).toBe(SECRET); // only what the caller names
});

it.skipIf(!existsSync(CHROMIUM_PATH) && process.env.CI !== 'true')('the play-test browser', async () => {
  const browser = sharedBrowser();
  try {
    const environs = await browser.use(async (b) => {
      expect(b).not.toBeNull();
      return childEnvirons('chrom');
    });
    expect(environs.length).toBeGreaterThan(0);
    for (const environ of environs) {
      expect(environ).not.toContain(SECRET);
      expect(environ).toMatch(/(^|\0)PATH=/);
    }
  } finally {
    await browser.close();
  }
});

it('a worker process', async () => {
  const workspace = await mkdtemp(path.join(dir, 'ws-'));
  const runtime = createLocalRuntime({ agent: 'builtin' });
  const lines: string[] = [];
  await writeFile(path.join(workspace, 'input.json'), JSON.stringify({ jobId: 1, idea: null, genre: null, seed: 1 }));
  const outcome = await runtime.runPhase({
    jobId: 1,
    phase: 1,
    gameName: 'env-test',
    workspaceDir: workspace,
    timeoutSeconds: 30,
    env: { AGENT_MODULE: path.join(import.meta.dirname, 'fixtures', 'agents', 'env-dump-agent.ts') },
    onLine: (l) => lines.push(l.message),
  });
  const env = JSON.parse(await readFile(path.join(workspace, 'env.json'), 'utf8')) as Record<string, string>;
  expect(env.PHASE, `${outcome.error} ${lines.join('\n')}`).toBe('1'); // the worker ran and wrote its environment
  expect(JSON.stringify(env)).not.toContain(SECRET);
  for (const key of SECRET_VARS) expect(env[key]).toBeUndefined();
});

it('the embedded Postgres server', async () => {
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: 54000 + (process.pid % 1000),
    fsync: false,
  });
  try {
    const pidFile = await readFile(path.join(dir, 'pg', 'postgres', 'data', 'postmaster.pid'), 'utf8');
    const environ = await readFile(`/proc/${Number(pidFile.split('\n')[0])}/environ`, 'utf8');
    expect(environ).toMatch(/(^|\0)PATH=/);
    expect(environ).not.toContain(SECRET);
  } finally {
    await pg.stop();
  }
});
