// The graphile-worker CLI alone runs the whole chain: no API process, tasks
// loaded from tasks/*.ts by `graphile-worker --once` reading graphile.config.ts.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT_DIR } from '../lib/config.ts';
import { createTestDatabase } from './helpers/db.ts';

const run = promisify(execFile);
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-cli-'));
});
afterAll(async () => {
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

it('takes a job from generate_game to deployed with `graphile-worker --once`', { timeout: 120_000 }, async () => {
  const env = {
    PATH: `${path.join(ROOT_DIR, 'node_modules', '.bin')}:${process.env.PATH}`,
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    RUNTIME: 'local',
    AGENT: 'builtin',
  };
  // The CLI migrates on start (graphile.config.ts); run it once to create the schema.
  await run(path.join(ROOT_DIR, 'node_modules', '.bin', 'graphile-worker'), ['--once'], { cwd: ROOT_DIR, env });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select gamepocgen.generate_game('a lighthouse keeper fighting sea monsters') as id`,
    );
    const { stdout, stderr } = await run(path.join(ROOT_DIR, 'node_modules', '.bin', 'graphile-worker'), ['--once'], {
      cwd: ROOT_DIR,
      env,
    });
    const job = (await client.query('select status, error, slot, url from gamepocgen.jobs where id = $1', [rows[0].id]))
      .rows[0];
    expect(job, `${stdout}\n${stderr}`).toMatchObject({ status: 'deployed', error: null });
    expect(job.url).toMatch(/^http:\/\/gamedemo\d\.localhost:\d+\/$/);
    const phases = await client.query(
      `select phase from gamepocgen.phase_runs where job_id = $1 and status = 'completed' order by phase`,
      [rows[0].id],
    );
    expect(phases.rows.map((r) => r.phase)).toEqual([1, 2, 3, 4]);
    expect(stdout + stderr).toMatch(/Completed task .* \(deploy-game/);
  } finally {
    await client.end();
  }
});

it('serves the API alone (`gamepocgen api`) while the worker CLI runs the tasks: the production shape', {
  timeout: 120_000,
}, async () => {
  const env = {
    PATH: `${path.join(ROOT_DIR, 'node_modules', '.bin')}:${process.env.PATH}`,
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    // The api service has no Docker socket: it must not even try to build a runtime.
    RUNTIME: 'docker',
    WORKER_IMAGE: 'gamepocgen-no-such-image:none',
  };
  const { spawn } = await import('node:child_process');
  const api = spawn(path.join(ROOT_DIR, 'node_modules', '.bin', 'node'), ['bin/gamepocgen.ts', 'api'], {
    cwd: ROOT_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      api.stdout!.on('data', (d) => {
        out += d;
        const m = /API at (http:\/\/localhost:\d+)\//.exec(out);
        if (m) resolve(m[1]!);
      });
      api.once('exit', (code) => reject(new Error(`api exited with ${code}: ${out}`)));
    });
    const health = (await (await fetch(`${url}/health`)).json()) as { runtime: string; db: string };
    expect(health).toMatchObject({ db: 'ok', runtime: expect.stringMatching(/^none in this process/) });
    const res = await fetch(`${url}/api/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idea: 'api and worker apart' }),
    });
    expect(res.status).toBe(201);
    const jobId = ((await res.json()) as { jobIds: number[] }).jobIds[0];
    await run(path.join(ROOT_DIR, 'node_modules', '.bin', 'graphile-worker'), ['--once'], {
      cwd: ROOT_DIR,
      env: { ...env, RUNTIME: 'local', AGENT: 'builtin' },
    });
    const job = (await (await fetch(`${url}/api/jobs/${jobId}`)).json()) as { job: { status: string } };
    expect(job.job.status).toBe('deployed');
  } finally {
    api.kill('SIGTERM');
  }
});
