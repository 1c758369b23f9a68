// Graceful shutdown of `gamepocgen start` with 5 phases running: SIGTERM stops
// taking jobs, lets the phases finish within SHUTDOWN_GRACE_SECONDS, else stops
// their workers and returns them to the queue (the attempt given back); exit 0,
// no worker process left, nothing logged as a crash; every job finishes after a
// restart.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startService, type Service } from '../bin/server.ts';
import { loadConfig } from '../lib/config.ts';
import { createTestDatabase } from './helpers/db.ts';
import { CRASH, startApp, startCliRunner, workerProcessesUnder } from './helpers/processes.ts';
import { OFFLINE_SERVICE_ENV } from '../support/offline-env.ts';
import { freePort } from '../support/free-port.ts';

const AGENT = path.join(import.meta.dirname, 'fixtures', 'agents', 'paced-agent.ts');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;
let db: pg.Pool;
let service: Service | null = null;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-shutdown-'));
  db = new pg.Pool({ connectionString: database.url, max: 2 });
});
afterAll(async () => {
  await service?.close();
  await db?.end();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const env = (grace: number) => ({
  DATABASE_URL: database.url,
  DATA_DIR: dataDir,
  AGENT_MODULE: AGENT,
  MAX_CONCURRENT: '5',
  SHUTDOWN_GRACE_SECONDS: String(grace),
});

async function generate(ideas: string[]): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    'select gamepocgen.generate_game(i) as id from unnest($1::text[]) i',
    [ideas],
  );
  return rows.map((r) => r.id);
}

/** A bounded wait for `n` phase-1 runs of `ids` to be running in worker processes. */
async function allRunning(ids: number[]) {
  for (let i = 0; i < 600; i++) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int n from gamepocgen.phase_runs where job_id = any($1) and status = 'running'`,
      [ids],
    );
    if (rows[0]!.n === ids.length && (await workerProcessesUnder(dataDir)).length === ids.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the phases never all ran');
}

async function stopWithSigterm(app: Awaited<ReturnType<typeof startApp>>) {
  app.proc.kill('SIGTERM');
  const exit = await app.exited;
  return { exit, output: app.output() };
}

let finishedIds: number[] = [];
let releasedIds: number[] = [];

it('lets running phases finish within the grace, then exits 0', { timeout: 120_000 }, async () => {
  const app = await startApp(env(60));
  finishedIds = await generate(Array.from({ length: 5 }, (_, i) => `wait:2500 finishing ${i}`));
  await allRunning(finishedIds);
  const { exit, output } = await stopWithSigterm(app);
  expect(exit, output).toEqual({ code: 0, signal: null });
  expect(output).toMatch(/SIGTERM: shutting down/);
  expect(output).not.toMatch(CRASH);
  expect(await workerProcessesUnder(dataDir)).toEqual([]);
  const { rows } = await db.query(
    `select job_id, status from gamepocgen.phase_runs where job_id = any($1) and phase = 1 order by job_id`,
    [finishedIds],
  );
  expect(rows.map((r) => r.status)).toEqual(Array(5).fill('completed'));
  const live = await db.query('select count(*)::int n from gamepocgen.worker_processes');
  expect(live.rows[0].n).toBe(0); // deregistered, not left for the reaper
});

it('stops phases still running at the end of the grace and returns them to the queue', {
  timeout: 120_000,
}, async () => {
  const grace = 2;
  const app = await startApp(env(grace));
  releasedIds = await generate(Array.from({ length: 5 }, (_, i) => `hang released ${i}`));
  await allRunning(releasedIds);
  const { exit, output } = await stopWithSigterm(app);
  expect(exit, output).toEqual({ code: 0, signal: null });
  expect(output).not.toMatch(CRASH);
  expect(await workerProcessesUnder(dataDir)).toEqual([]); // no orphaned worker
  const runs = await db.query(`select status, error from gamepocgen.phase_runs where job_id = any($1) and phase = 1`, [
    releasedIds,
  ]);
  for (const r of runs.rows)
    expect(r).toMatchObject({ status: 'failed', error: expect.stringMatching(/runner stopped/) });
  const queued = await db.query(
    `select locked_by, attempts, max_attempts from graphile_worker._private_jobs where key = any($1)`,
    [releasedIds.map((id) => `job:${id}:phase:1`)],
  );
  expect(queued.rows).toHaveLength(5);
  for (const j of queued.rows) expect(j).toMatchObject({ locked_by: null, attempts: 0, max_attempts: 3 });
  const jobs = await db.query(`select status from gamepocgen.jobs where id = any($1)`, [releasedIds]);
  expect(jobs.rows.map((r) => r.status)).not.toContain('failed');
});

it('finishes every job after a restart', { timeout: 180_000 }, async () => {
  await db.query(`update gamepocgen.jobs set idea = 'finish now' where id = any($1)`, [releasedIds]);
  const config = loadConfig({
    ...OFFLINE_SERVICE_ENV,
    DATA_DIR: dataDir,
    PLAYTEST: 'off',
    AGENT_MODULE: AGENT,
    MAX_CONCURRENT: '5',
    DATABASE_URL: database.url,
  });
  service = await startService(config, { databaseUrl: database.url });
  const all = [...finishedIds, ...releasedIds];
  for (let i = 0; i < 1500; i++) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int n from gamepocgen.jobs where id = any($1) and status in ('deployed', 'failed')`,
      [all],
    );
    if (rows[0]!.n === all.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const { rows } = await db.query(`select id, status, error from gamepocgen.jobs where id = any($1) order by id`, [
    all,
  ]);
  expect(rows.map((r) => `${r.id}:${r.status}`)).toEqual(all.map((id) => `${id}:deployed`));
  await service.close();
  service = null;
});

it('does the same on the graphile-worker CLI path', { timeout: 120_000 }, async () => {
  const cli = startCliRunner({ ...env(2), DATABASE_URL: database.url });
  const ids = await generate(['hang cli 1', 'hang cli 2']);
  await allRunning(ids);
  cli.proc.kill('SIGTERM');
  const exit = await cli.exited;
  expect(exit, cli.output()).toEqual({ code: 0, signal: null });
  expect(cli.output()).not.toMatch(CRASH);
  expect(await workerProcessesUnder(dataDir)).toEqual([]);
  const queued = await db.query(`select locked_by, attempts from graphile_worker._private_jobs where key = any($1)`, [
    ids.map((id) => `job:${id}:phase:1`),
  ]);
  expect(queued.rows).toEqual([
    { locked_by: null, attempts: 0 },
    { locked_by: null, attempts: 0 },
  ]);
  const live = await db.query('select count(*)::int n from gamepocgen.worker_processes');
  expect(live.rows[0].n).toBe(0);
});

it('with the embedded Postgres: stops it last, no crash trace', { timeout: 120_000 }, async () => {
  const embeddedDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-shutdown-embedded-'));
  await chmod(embeddedDir, 0o755); // as root the server runs as `postgres`, which must reach its directory
  const pidFile = path.join(embeddedDir, 'postgres', 'data', 'postmaster.pid');
  try {
    const port = await freePort();
    const app = await startApp({
      DATA_DIR: embeddedDir,
      EMBEDDED_PG_PORT: String(port),
      EMBEDDED_PG_FSYNC: 'off',
      AGENT_MODULE: AGENT,
      SHUTDOWN_GRACE_SECONDS: '2',
    });
    const url = `postgres://gamepocgen:gamepocgen-local@127.0.0.1:${port}/postgres`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(`select gamepocgen.generate_game('hang embedded') as id`);
    await client.end();
    const running = new pg.Client({ connectionString: url });
    await running.connect();
    for (let i = 0; i < 600; i++) {
      const r = await running.query(`select count(*)::int n from gamepocgen.phase_runs where job_id = $1`, [
        rows[0].id,
      ]);
      if (r.rows[0].n === 1) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await running.end();
    expect(existsSync(pidFile)).toBe(true);
    app.proc.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit, app.output()).toEqual({ code: 0, signal: null });
    expect(app.output()).not.toMatch(CRASH);
    expect(existsSync(pidFile)).toBe(false); // the server shut down cleanly (it removes its pid file last)
    expect(await workerProcessesUnder(embeddedDir)).toEqual([]);
  } finally {
    if (existsSync(pidFile)) process.kill(Number((await readFile(pidFile, 'utf8')).split('\n')[0]), 'SIGINT');
    await rm(embeddedDir, { recursive: true, force: true });
  }
});
