// `gamepocgen generate`: starts games straight in Postgres and draws progress
// until each is deployed; bad arguments exit non-zero with a readable message.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT_DIR } from '../lib/config.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

const run = promisify(execFile);
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const cli = (args: string[], env: Record<string, string> = {}) =>
  run(path.join(ROOT_DIR, 'node_modules', '.bin', 'node'), ['bin/gamepocgen.ts', ...args], {
    cwd: ROOT_DIR,
    env: { PATH: process.env.PATH!, DATABASE_URL: h.service.databaseUrl, DATA_DIR: h.dataDir, ...env },
  });

it('starts games and follows them to deployed', async () => {
  const { stdout } = await cli(['generate', 'a', 'cozy', 'fishing', 'roguelite', '--count', '2', '--seed', '5']);
  expect(stdout).toMatch(/started job\(s\) (\d+), (\d+)/);
  const ids = /started job\(s\) (\d+), (\d+)/.exec(stdout)!.slice(1).map(Number);
  const lastLines = stdout.trim().split('\n').slice(-2);
  for (const [i, id] of ids.entries()) {
    expect(lastLines[i]).toMatch(new RegExp(`job +${id} █+ .*deployed +http://gamedemo\\d\\.localhost:\\d+/`));
  }
  const { rows } = await h.service.db.query(`select idea, seed from gamepocgen.jobs where id = any($1) order by id`, [
    ids,
  ]);
  expect(rows).toEqual([
    { idea: 'a cozy fishing roguelite', seed: 5 },
    { idea: 'a cozy fishing roguelite', seed: 6 },
  ]);
});

it('refuses bad arguments readably', async () => {
  await expect(cli(['generate', 'x', '--count', '0'])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/gamepocgen: count: .*>=1/),
  });
  await expect(cli(['generate', 'x', '--genre', 'opera'])).rejects.toMatchObject({
    stderr: expect.stringMatching(/genre/),
  });
  await expect(cli(['frobnicate'])).rejects.toMatchObject({
    code: 2,
    stdout: expect.stringMatching(/usage: gamepocgen/),
  });
});

it('--provider runs the jobs on that provider, and is refused without its key or with a bad spec', async () => {
  const { stdout } = await cli(['generate', 'a', 'kite', 'race', '--provider', 'zai:glm-4.6', '--no-wait'], {
    ZAI_API_KEY: 'zk-test-1234567890',
  });
  const id = Number(/started job\(s\) (\d+)/.exec(stdout)![1]);
  const { rows } = await h.service.db.query(`select provider from gamepocgen.jobs where id = $1`, [id]);
  expect(rows).toEqual([{ provider: 'zai:glm-4.6' }]);
  const before = (await h.service.db.query(`select count(*)::int as n from gamepocgen.jobs`)).rows[0].n;
  await expect(cli(['generate', 'x', '--provider', 'anthropic:claude-x', '--no-wait'])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/gamepocgen: provider "anthropic:claude-x" needs ANTHROPIC_API_KEY: set it/),
  });
  await expect(cli(['generate', 'x', '--provider', 'openai:gpt', '--no-wait'])).rejects.toMatchObject({
    stderr: expect.stringMatching(/provider: must be "<provider>:<model>"/),
  });
  // Neither refusal left a job behind.
  expect((await h.service.db.query(`select count(*)::int as n from gamepocgen.jobs`)).rows[0].n).toBe(before);
});
