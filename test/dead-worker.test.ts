// Nothing waits on a dead process: a runner killed mid-phase leaves its graphile
// job locked; the reaper sees its Postgres session gone, returns the job to the
// queue, and a live runner finishes the game from the stored artifacts.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startService, type Service } from '../bin/server.ts';
import { loadConfig, ROOT_DIR } from '../lib/config.ts';
import { EventHub } from '../lib/events.ts';
import { reapDeadRunners } from '../lib/reaper/jobs.ts';
import { createTestDatabase } from './helpers/db.ts';
import { OFFLINE_SERVICE_ENV } from '../support/offline-env.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;
let service: Service | null = null;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-dead-'));
});
afterAll(async () => {
  await service?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

it("returns a dead runner's phase to the queue and finishes the job elsewhere", { timeout: 90_000 }, async () => {
  const env = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    RUNTIME: 'local',
    PHASE_TIMEOUT_SECONDS: '15',
    AGENT_MODULE: path.join(ROOT_DIR, 'test', 'fixtures', 'agents', 'sleepy-agent.ts'),
  };
  const cli = spawn(path.join(ROOT_DIR, 'node_modules', '.bin', 'graphile-worker'), [], {
    cwd: ROOT_DIR,
    env,
    stdio: 'ignore',
  });
  try {
    // Wait for the doomed runner to register, then hand it a job.
    const hub = new EventHub(database.url);
    const config = loadConfig({
      ...OFFLINE_SERVICE_ENV,
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
    });
    service = await startService(config, { databaseUrl: database.url, runner: false });
    await hub.start();
    const started = new Promise<number>((resolve) =>
      hub.subscribe((n) => n.kind === 'phase_start' && resolve(n.jobId)),
    );
    const { rows } = await service.db.query(`select gamepocgen.generate_game('survive the crash') as id`);
    const jobId = rows[0].id as number;
    expect(await started).toBe(jobId);

    const locked = await service.db.query(`select locked_by from graphile_worker._private_jobs where key = $1`, [
      `job:${jobId}:phase:1`,
    ]);
    expect(locked.rows[0].locked_by).toBeTruthy();
    const beforeKill = await service.db.connect();
    expect((await reapDeadRunners(beforeKill)).processes).toEqual([]); // alive: nothing to reap
    beforeKill.release();

    cli.kill('SIGKILL');
    await new Promise((r) => cli.once('exit', r));

    // Postgres drops the dead process's sessions; the reaper then frees its job.
    const report = await (async () => {
      // Generous: on a loaded CI machine the backend can take seconds to exit.
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        const c = await service!.db.connect();
        const r = await reapDeadRunners(c).finally(() => c.release());
        if (r.processes.length) return r;
        await new Promise((res) => setTimeout(res, 100)); // the backend notices the closed socket within ms
      }
      throw new Error('reaper never saw the dead runner');
    })();
    expect(report.unlockedJobs).toBe(1);
    expect(report.closedPhaseRuns).toBe(1);

    // A live runner with a working agent picks the phase up and finishes the game.
    await service.close();
    service = await startService(config, { databaseUrl: database.url });
    const done = await new Promise<string>((resolve) => {
      hub.subscribe(async (n) => {
        if (n.jobId !== jobId || n.kind !== 'status') return;
        const { rows: s } = await service!.db.query('select status from gamepocgen.jobs where id = $1', [jobId]);
        if (['deployed', 'failed'].includes(s[0].status)) resolve(s[0].status);
      });
    });
    expect(done).toBe('deployed');
    const runs = await service.db.query(
      'select phase, status, error from gamepocgen.phase_runs where job_id = $1 order by id',
      [jobId],
    );
    expect(runs.rows[0]).toMatchObject({
      phase: 1,
      status: 'failed',
      error: expect.stringMatching(/worker process died/),
    });
    expect(runs.rows.filter((r) => r.status === 'completed').map((r) => r.phase)).toEqual([1, 2, 3, 4]);
    await hub.stop();
  } finally {
    if (cli.exitCode === null) cli.kill('SIGKILL');
  }
});
