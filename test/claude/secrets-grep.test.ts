// A whole job with AGENT=claude against the scripted model server, with the LLM key
// (ANTHROPIC_API_KEY) and API_TOKEN set to unique canaries, then a grep for both in
// everything the run produced or exposed: every log line (debug level), every row of
// every table (events, jobs, phase runs, artifacts, the queue), /metrics, every API
// response the test received, every file under DATA_DIR (workspaces, published games),
// and the environment of every other process seen while it ran (the claude CLI, its
// worker, the play-test Chromium). The control: the model server did get the key.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger, memoryDestination } from '../../lib/log.ts';
import { chromiumAvailable } from '../browser/harness.ts';
import { startModelServer, type ModelServer } from '../fixtures/model-server.ts';
import { happy } from '../fixtures/scenarios/index.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { waitForPlaytest, waitsFor } from '../playtest-helpers.ts';
import { HAVE_CLAUDE, cleanupTempDirs, tempDir } from './helpers.ts';

const KEY_CANARY = `sk-canary-key-${process.pid}-7f3a9c1e`;
const TOKEN_CANARY = `api-token-canary-${process.pid}-b2d48e60`;
const CANARIES = [KEY_CANARY, TOKEN_CANARY];
const HAVE_CHROMIUM = chromiumAvailable();

const logs = memoryDestination();
const responses: string[] = [];
const leakedEnv: string[] = [];
const sampledCommands: string[] = [];
let server: ModelServer;
let h: Harness;
let jobId: number;
let sampling = true;

/** Every other process's environment, sampled while the job runs (processes of other users are unreadable). */
async function sampleEnvironments() {
  const seen = new Set<number>();
  while (sampling) {
    for (const name of await readdir('/proc')) {
      const pid = Number(name);
      if (!pid || pid === process.pid || seen.has(pid)) continue;
      const env = await readFile(`/proc/${pid}/environ`).catch(() => null);
      if (!env) continue;
      seen.add(pid);
      const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
      sampledCommands.push(cmd);
      for (const c of CANARIES) if (env.includes(c)) leakedEnv.push(`${pid} ${cmd.slice(0, 120)}: ${c}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A request to the service with the token, its whole answer (headers and body) kept for the grep. */
async function call(pathname: string, init: RequestInit = {}) {
  const res = await h.api(pathname, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN_CANARY}`, ...(init.headers as Record<string, string>) },
  });
  const body = await res.text();
  responses.push(`${pathname} ${res.status} ${JSON.stringify([...res.headers])}\n${body}`);
  return { status: res.status, body };
}

beforeAll(async () => {
  if (!HAVE_CLAUDE) return;
  server = await startModelServer({ scenario: happy });
  const workspaceRoot = await tempDir('secrets');
  h = await createHarness(
    {
      AGENT: 'claude',
      RUNTIME: 'local',
      ALLOW_UNSANDBOXED: '1',
      LLM_BASE_URL: server.url,
      ANTHROPIC_API_KEY: KEY_CANARY,
      API_TOKEN: TOKEN_CANARY,
      MODEL: 'glm-4.6',
      MAX_TURNS: '10',
      PHASE_TIMEOUT_SECONDS: '60',
      WORKSPACE_ROOT: workspaceRoot,
      PLAYTEST: HAVE_CHROMIUM ? 'on' : 'off',
      MAX_REPAIRS: '0',
    },
    { logger: createLogger({ destination: logs, level: 'trace', secrets: [] }) },
  );
  const sampler = sampleEnvironments();
  try {
    const created = await call('/api/generate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idea: 'a lantern that breaks fog bricks', seed: 3 }),
    });
    expect(created.status).toBe(201);
    jobId = (JSON.parse(created.body) as { jobIds: number[] }).jobIds[0]!;
    expect((await h.waitForJob(jobId, ['deployed', 'failed'], 90_000)).status).toBe('deployed');
    if (HAVE_CHROMIUM) await waitForPlaytest(h, jobId, 1);
  } finally {
    sampling = false;
    await sampler;
  }
  const job = JSON.parse((await call(`/api/jobs/${jobId}`)).body) as { job: { artifacts: { path: string }[] } };
  for (const a of job.job.artifacts) await call(`/api/jobs/${jobId}/artifacts/${a.path}`);
  for (const p of [`/api/jobs/${jobId}/logs`, '/api/jobs', '/api/games', '/api/stats', '/health', '/health/ready'])
    await call(p);
  await call('/metrics');
  await call('/openapi.json');
  await call('/');
  // An error answer, too: a refused request must not echo the token it came with.
  await call('/api/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"idea":1}' });
}, waitsFor(1));
afterAll(async () => {
  sampling = false;
  await h?.close();
  await server?.close();
  await cleanupTempDirs();
});

const found = (text: string) => CANARIES.filter((c) => text.includes(c));

it.skipIf(!HAVE_CLAUDE)('the control: the run used both canaries', () => {
  // The model server got the key (through the key proxy) and the API accepted the token.
  expect(server.messageRequests().some((r) => JSON.stringify(r.headers).includes(KEY_CANARY))).toBe(true);
  expect(responses.find((r) => r.startsWith('/api/generate 201'))).toBeDefined();
  expect(responses.some((r) => r.startsWith('/metrics 200'))).toBe(true);
  expect(logs.lines.length).toBeGreaterThan(20);
  // And the grep would see a leak: the request that carried the token is in what we grep for.
  expect(found(`authorization: Bearer ${TOKEN_CANARY}`)).toEqual([TOKEN_CANARY]);
});

it.skipIf(!HAVE_CLAUDE)('no canary in any log line or API response (including /metrics)', () => {
  expect(logs.lines.filter((l) => found(l).length)).toEqual([]);
  expect(responses.filter((r) => found(r).length).map((r) => r.slice(0, 200))).toEqual([]);
});

it.skipIf(!HAVE_CLAUDE)('no canary in any row of any table', async () => {
  const { rows: tables } = await h.service.db.query<{ s: string; t: string }>(
    `select table_schema s, table_name t from information_schema.tables
      where table_schema in ('gamepocgen', 'graphile_worker') and table_type = 'BASE TABLE'`,
  );
  expect(tables.map((t) => t.t)).toEqual(expect.arrayContaining(['jobs', 'job_events', 'artifacts']));
  for (const { s, t } of tables)
    for (const c of CANARIES) {
      const { rows } = await h.service.db.query(
        `select count(*)::int n from "${s}"."${t}" x where position($1 in row_to_json(x)::text) > 0`,
        [c],
      );
      expect(rows[0].n, `${s}.${t}`).toBe(0);
    }
  const { rows } = await h.service.db.query(
    `select count(*)::int n from gamepocgen.artifacts where position(convert_to($1, 'utf8') in bytes) > 0
        or position(convert_to($2, 'utf8') in bytes) > 0`,
    CANARIES,
  );
  expect(rows[0].n).toBe(0);
});

it.skipIf(!HAVE_CLAUDE)('no canary in any file under DATA_DIR or the environment of any other process', async () => {
  const files = (await readdir(h.dataDir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile());
  expect(files.length).toBeGreaterThan(0);
  const leaked: string[] = [];
  for (const f of files) {
    const p = path.join(f.parentPath, f.name);
    const bytes = await readFile(p).catch(() => Buffer.alloc(0));
    for (const c of CANARIES) if (bytes.includes(c)) leaked.push(`${p}: ${c}`);
  }
  expect(leaked).toEqual([]);
  expect(leakedEnv).toEqual([]);
  // The sampler did see the processes that matter: the claude CLI and (with play-tests) Chromium.
  expect(sampledCommands.some((c) => /claude/.test(c))).toBe(true);
  if (HAVE_CHROMIUM) expect(sampledCommands.some((c) => /chromium/.test(c))).toBe(true);
});
