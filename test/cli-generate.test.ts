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

const cli = (args: string[]) =>
  run(path.join(ROOT_DIR, 'node_modules', '.bin', 'node'), ['bin/gamepocgen.ts', ...args], {
    cwd: ROOT_DIR,
    env: { PATH: process.env.PATH!, DATABASE_URL: h.service.databaseUrl, DATA_DIR: h.dataDir },
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
