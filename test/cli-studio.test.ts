// The studio commands of the CLI against the real service over HTTP: status,
// games, logs, open, feedback --wait (the change lands in the served game),
// and refusals that exit non-zero with the API's reason.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT_DIR } from '../lib/config.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

const run = promisify(execFile);
const AGENT_MODULE = path.join(import.meta.dirname, 'fixtures', 'agents', 'studio-agent.ts');
let h: Harness;
let id: number;
beforeAll(async () => {
  h = await createHarness({ AGENT_MODULE });
  const res = await h.api('/api/generate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idea: 'a lighthouse keeper fighting sea monsters', seed: 4 }),
  });
  id = ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
  await h.waitForJob(id);
});
afterAll(() => h?.close());

const cli = (args: string[]) =>
  run(path.join(ROOT_DIR, 'node_modules', '.bin', 'node'), ['bin/gamepocgen.ts', ...args], {
    cwd: ROOT_DIR,
    env: { PATH: process.env.PATH!, DATA_DIR: h.dataDir, GAMEPOCGEN_URL: h.service.url },
  });

it('shows status, games, logs and the address to open', async () => {
  const list = await cli(['status']);
  expect(list.stdout).toMatch(new RegExp(`^ +${id} +deployed`, 'm'));
  const one = await cli(['status', String(id)]);
  expect(one.stdout).toMatch(/1\. idea +completed/);
  expect(one.stdout).toMatch(/play: http:\/\/gamedemo\d\.localhost:\d+\//);
  const games = await cli(['games']);
  expect(games.stdout).toMatch(new RegExp(`${id} +slot \\d`));
  const logs = await cli(['logs', String(id)]);
  expect(logs.stdout).toMatch(/deployed +deployed to slot/);
  const followed = await cli(['logs', String(id), '-f']); // ends by itself: the job has settled
  expect(followed.stdout).toMatch(/done +nothing left to do/);
  const open = await cli(['open', String(id)]);
  expect(open.stdout.trim()).toMatch(/^http:\/\/gamedemo\d\.localhost:\d+\/$/);
});

it('feedback --wait returns once the change is kept, and the slot serves it', async () => {
  const { stdout } = await cli(['feedback', String(id), 'please rename to "Tide Warden"', '--wait']);
  expect(stdout).toMatch(/feedback #\d+ received/);
  expect(stdout).toMatch(/new version kept/);
  const job = await h.waitForJob(id);
  expect((await h.fetchSlot(job.slot!)).body).toContain('<title>Tide Warden</title>');
});

it('refusals exit non-zero with the reason', async () => {
  await expect(cli(['retry', String(id)])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/not_retryable: job \d+ is deployed/),
  });
  await expect(cli(['cancel', 'abc'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/job id/) });
  await expect(cli(['feedback', '424242', 'x'])).rejects.toMatchObject({
    stderr: expect.stringMatching(/job_not_found/),
  });
});
