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
  const env = { PATH: `${path.join(ROOT_DIR, 'node_modules', '.bin')}:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', DATABASE_URL: database.url, DATA_DIR: dataDir, RUNTIME: 'local', AGENT: 'builtin' };
  // The CLI migrates on start (graphile.config.ts); run it once to create the schema.
  await run(path.join(ROOT_DIR, 'node_modules', '.bin', 'graphile-worker'), ['--once'], { cwd: ROOT_DIR, env });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query(`select gamepocgen.generate_game('a lighthouse keeper fighting sea monsters') as id`);
    const { stdout, stderr } = await run(path.join(ROOT_DIR, 'node_modules', '.bin', 'graphile-worker'), ['--once'], { cwd: ROOT_DIR, env });
    const job = (await client.query('select status, error, slot, url from gamepocgen.jobs where id = $1', [rows[0].id])).rows[0];
    expect(job, `${stdout}\n${stderr}`).toMatchObject({ status: 'deployed', error: null });
    expect(job.url).toMatch(/^http:\/\/gamedemo\d\.localhost:\d+\/$/);
    const phases = await client.query(`select phase from gamepocgen.phase_runs where job_id = $1 and status = 'completed' order by phase`, [rows[0].id]);
    expect(phases.rows.map((r) => r.phase)).toEqual([1, 2, 3, 4]);
    expect(stdout + stderr).toMatch(/Completed task .* \(deploy-game/);
  } finally {
    await client.end();
  }
});
