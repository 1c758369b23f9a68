// Cancelling under the graphile-worker CLI: a job cancelled while its phase runs
// on a runner started by `graphile-worker` (not `gamepocgen start`) has that
// phase's worker killed at once — the CLI's tasks hear the `cancel` event too —
// instead of running on until its time limit.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT_DIR } from '../lib/config.ts';
import { EventHub, type EventNotice } from '../lib/events.ts';
import { cancelJob } from '../lib/studio/cancel.ts';
import { createTestDatabase } from './helpers/db.ts';
import { workerPids } from './helpers/worker-pids.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-cli-cancel-'));
});
afterAll(async () => {
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Resolves with the first notice matching `pred` (the hub is subscribed before the action that causes it). */
function nextNotice(hub: EventHub, pred: (n: EventNotice) => boolean): Promise<EventNotice> {
  return new Promise((resolve) => {
    const off = hub.subscribe((n) => {
      if (!pred(n)) return;
      off();
      resolve(n);
    });
  });
}

it('a phase running on the CLI runner stops when its job is cancelled', { timeout: 90_000 }, async () => {
  const cli = spawn(path.join(ROOT_DIR, 'node_modules', '.bin', 'graphile-worker'), [], {
    cwd: ROOT_DIR,
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      RUNTIME: 'local',
      // Far beyond this test's wait: only the cancel can end the phase in time.
      PHASE_TIMEOUT_SECONDS: '600',
      AGENT_MODULE: path.join(ROOT_DIR, 'test', 'fixtures', 'agents', 'studio-agent.ts'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  cli.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const hub = new EventHub(database.url);
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    await hub.start();
    // The CLI migrates on start (graphile.config.ts): wait for the schema before generating.
    let jobId = 0;
    for (const deadline = Date.now() + 30_000; !jobId; ) {
      try {
        const { rows } = await db.query(`select gamepocgen.generate_game('a sleepy lighthouse [sleep]') as id`);
        jobId = rows[0].id;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`schema never appeared: ${(e as Error).message}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    // Phase 2 of the studio agent says so, then sleeps until its worker is killed.
    for (const deadline = Date.now() + 60_000; ; ) {
      const { rows } = await db.query(
        `select 1 from gamepocgen.job_events where job_id = $1 and message = 'sleeping until cancelled'`,
        [jobId],
      );
      if (rows.length) break;
      if (Date.now() > deadline) throw new Error(`phase 2 never started on the CLI runner\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(workerPids(dataDir, jobId).length).toBeGreaterThan(0);

    const ended = nextNotice(hub, (n) => n.jobId === jobId && n.kind === 'phase_end');
    expect((await cancelJob(db, jobId)).status).toBe('cancelled');
    await ended;
    expect(workerPids(dataDir, jobId)).toEqual([]);
    const run = await db.query(
      `select status, error from gamepocgen.phase_runs where job_id = $1 and phase = 2 order by id desc limit 1`,
      [jobId],
    );
    expect(run.rows[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/cancelled/) });
    expect((await db.query('select status from gamepocgen.jobs where id = $1', [jobId])).rows[0].status).toBe(
      'cancelled',
    );
  } finally {
    await hub.stop();
    await db.end();
    if (cli.exitCode === null) {
      cli.kill('SIGTERM');
      await new Promise((r) => cli.once('exit', r));
    }
  }
});
