// Postgres restarts under running jobs: the embedded server (restarted by the
// app that runs it) and, when enabled, Debian's PostgreSQL 15 through
// DATABASE_URL (`pg_ctlcluster 15 main restart`; set PG15_RESTART_TEST=1 — it
// restarts a machine-wide server, so it is opt-in). Two runners (`gamepocgen
// start` and the graphile-worker CLI) survive, every job finishes, /health
// counts both, nobody alive is reaped as dead, and a runner killed after the
// restart has its job running again elsewhere within 10 s.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, startCliRunner, type Child } from './helpers/processes.ts';
import { freePort } from '../support/free-port.ts';

const AGENT = path.join(import.meta.dirname, 'fixtures', 'agents', 'paced-agent.ts');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
});

/** Retries `fn` until it returns a truthy value (queries fail while Postgres restarts); a functional deadline. */
async function eventually<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${what} did not happen within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`,
  );
}

interface Setup {
  /** Env for both runners. */
  env: Record<string, string>;
  url: string;
  restart(): Promise<void>;
}

async function scenario(setup: (dataDir: string) => Promise<Setup>) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-restart-'));
  await chmod(dataDir, 0o755);
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const s = await setup(dataDir);
  const env = { ...s.env, DATA_DIR: dataDir, AGENT_MODULE: AGENT, MAX_CONCURRENT: '2' };
  const children: Child[] = [];
  cleanups.push(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
  });
  const app = await startApp(env);
  children.push(app);
  const db = new pg.Pool({ connectionString: s.url, max: 3 });
  db.on('error', () => {});
  cleanups.push(() => db.end());
  const cli = startCliRunner({ ...env, DATABASE_URL: s.url });
  children.push(cli);
  const health = async () =>
    (await (await fetch(`http://127.0.0.1:${app.port}/health`)).json()) as { workers?: { live: number } };
  await eventually('both runners registered', async () => (await health()).workers?.live === 2, 60_000);

  const { rows } = await db.query<{ id: number }>(
    `select gamepocgen.generate_game('wait:1500 restart ' || g) as id from generate_series(1, 4) g`,
  );
  const ids = rows.map((r) => r.id);
  await eventually('phases running', async () => {
    const r = await db.query(`select count(*)::int n from gamepocgen.phase_runs where status = 'running'`);
    return r.rows[0].n >= 2;
  });
  await s.restart();

  await eventually('every job deployed', async () => {
    const r = await db.query<{ status: string }>('select status from gamepocgen.jobs where id = any($1)', [ids]);
    expect(r.rows.map((x) => x.status)).not.toContain('failed');
    return r.rows.every((x) => x.status === 'deployed');
  });
  expect(app.proc.exitCode, app.output()).toBeNull();
  expect(cli.proc.exitCode, cli.output()).toBeNull();
  for (const c of children) expect(c.output()).not.toMatch(/Unhandled|seppuku|uncaughtException/i);
  await eventually('/health counts both runners', async () => (await health()).workers?.live === 2, 30_000);
  const reaped = await db.query(
    `select count(*)::int n from gamepocgen.phase_runs where job_id = any($1) and error like '%worker process died%'`,
    [ids],
  );
  expect(reaped.rows[0].n).toBe(0); // nobody alive was taken for dead

  // A runner killed after the restart: whichever holds the job, the other runs it again within 10 s.
  const marker = path.join(dataDir, 'hung-once');
  const [{ id: jobId }] = (await db.query(`select gamepocgen.generate_game($1) as id`, [`hang-once:${marker}`])).rows;
  const holder = await eventually('the hanging phase running', async () => {
    const r = await db.query<{ pid: number }>(
      `select wp.pid from gamepocgen.phase_runs r join gamepocgen.worker_processes wp on r.worker_id = any(wp.worker_ids)
        where r.job_id = $1 and r.status = 'running'`,
      [jobId],
    );
    return r.rows[0]?.pid && existsSync(marker) ? r.rows[0].pid : null;
  });
  const victim = children.find((c) => c.proc.pid === holder);
  expect(victim, `runner pid ${holder} is one of ours`).toBeDefined();
  const killedAt = Date.now();
  victim!.proc.kill('SIGKILL');
  await victim!.exited;
  const { rows: resumed } = await eventually(
    'the phase running again',
    () =>
      db
        .query(`select started_at from gamepocgen.phase_runs where job_id = $1 and phase = 1 order by id`, [jobId])
        .then((r) => (r.rows.length >= 2 ? r : null)),
    10_000,
  );
  expect(resumed).toHaveLength(2);
  const resumedMs = Date.now() - killedAt;
  console.info(`killed runner's phase running again after ${resumedMs} ms`);
  expect(resumedMs).toBeLessThan(10_000);
  await eventually('the resumed job deployed', async () => {
    const r = await db.query('select status from gamepocgen.jobs where id = $1', [jobId]);
    return r.rows[0].status === 'deployed';
  });
  return { app, cli, victim: victim! };
}

describe('the embedded Postgres', () => {
  it('restarts under running jobs and everything carries on', { timeout: 300_000 }, async () => {
    await scenario(async (dataDir) => {
      const port = await freePort();
      const pidFile = path.join(dataDir, 'postgres', 'data', 'postmaster.pid');
      const postmaster = async () => Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      // A killed app leaves its server running: stop it before the data dir goes.
      cleanups.push(async () => {
        if (existsSync(pidFile)) process.kill(await postmaster(), 'SIGINT');
      });
      return {
        env: { EMBEDDED_PG_PORT: String(port), EMBEDDED_PG_FSYNC: 'off' },
        url: `postgres://gamepocgen:gamepocgen-local@127.0.0.1:${port}/postgres`,
        // Stopped as an operator or a crash would; the app that runs it starts it again.
        restart: async () => void process.kill(await postmaster(), 'SIGINT'),
      };
    });
  });
});

const pg15 = process.env.PG15_RESTART_TEST === '1' && existsSync('/usr/bin/pg_ctlcluster');
describe.skipIf(!pg15)("Debian's PostgreSQL 15 through DATABASE_URL", () => {
  it('restarts under running jobs and everything carries on', { timeout: 300_000 }, async () => {
    const password = 'gamepocgen-restart-test';
    const wasDown = /down/.test(execFileSync('pg_lsclusters', ['15', 'main'], { encoding: 'utf8' }));
    if (wasDown) execFileSync('pg_ctlcluster', ['15', 'main', 'start']);
    if (wasDown) cleanups.push(async () => void execFileSync('pg_ctlcluster', ['15', 'main', 'stop']));
    execFileSync('su', ['postgres', '-c', `psql -qc "alter user postgres password '${password}'"`]);
    const name = `gpg_restart_${process.pid}`;
    const admin = `postgres://postgres:${password}@127.0.0.1:5432/postgres`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`create database ${name}`);
    await c.end();
    cleanups.push(async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    });
    const url = `postgres://postgres:${password}@127.0.0.1:5432/${name}`;
    await scenario(async () => ({
      env: { DATABASE_URL: url },
      url,
      async restart() {
        execFileSync('pg_ctlcluster', ['15', 'main', 'restart']);
      },
    }));
  });
});
