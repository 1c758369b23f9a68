// Every log line about a job names it: a real job runs through the service with a
// structured logger, and each line that mentions job N (in its message, or as a
// graphile-worker line about one of its steps) carries {"jobId":N}; steps carry
// their phase; request lines carry the request id.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger, memoryDestination } from '../lib/log.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

const dest = memoryDestination();
let h: Harness;
beforeAll(async () => {
  h = await createHarness({}, { logger: createLogger({ destination: dest, level: 'debug' }) });
});
afterAll(() => h?.close());

type Line = { msg: string; jobId?: number; phase?: number; task?: string; reqId?: string; [k: string]: unknown };
const JOB_TASKS = new Set(['run-phase', 'deploy-game', 'playtest-game', 'remove-game']);

it('binds jobId, phase, task and request id where each starts', async () => {
  const res = await h.api('/api/generate', { method: 'POST', body: JSON.stringify({ idea: 'a log-field test game' }) });
  expect(res.status).toBe(201);
  const reqId = res.headers.get('x-request-id');
  expect(reqId).toBeTruthy();
  const { jobs } = (await res.json()) as { jobs: { id: number }[] };
  const id = jobs[0].id;
  expect((await h.waitForJob(id)).status).toBe('deployed');
  // A step for a job that does not exist, added as an operator would: its failure names that job too.
  await h.service.db.query(`select graphile_worker.add_job('run-phase', '{"jobId":424243,"phase":3}')`);
  await expect
    .poll(() => dest.lines.some((l) => l.includes('Failed task') && l.includes('424243')), { timeout: 20_000 })
    .toBe(true);

  const lines = dest.lines.map((l) => JSON.parse(l) as Line); // every line is one JSON object
  for (const n of [id, 424243]) {
    const mentioning = lines.filter((l) => new RegExp(`\\bjob ${n}\\b`).test(l.msg));
    expect(mentioning.length, `lines mentioning job ${n}`).toBeGreaterThan(n === id ? 4 : 1);
    expect(
      mentioning.filter((l) => l.jobId !== n),
      `lines mentioning job ${n} without its jobId`,
    ).toEqual([]);
  }
  // graphile-worker's own lines about a job's step ("Completed task 12 (run-phase…)") name the job as well.
  const stepLines = lines.filter((l) => JOB_TASKS.has(l.task ?? '') && /^(Completed|Failed) task/.test(l.msg));
  expect(stepLines.length).toBeGreaterThan(5);
  expect(stepLines.filter((l) => l.jobId !== id && l.jobId !== 424243)).toEqual([]);
  // A refused step is one readable line, not a stack trace.
  expect(stepLines.find((l) => l.jobId === 424243)?.msg).not.toMatch(/\n\s+at /);
  // The job's steps: each graphile-worker line about a run-phase step has its phase, 1 to 4 in turn.
  const phases = lines.filter((l) => l.jobId === id && l.task === 'run-phase' && /^Completed task/.test(l.msg));
  expect(phases.map((l) => l.phase)).toEqual([1, 2, 3, 4]);
  expect(lines.some((l) => l.jobId === id && l.task === 'deploy-game')).toBe(true);
  // A job-step line never names another job.
  for (const l of lines.filter((x) => x.jobId === id))
    for (const m of l.msg.matchAll(/\bjob (\d+)/g)) expect(Number(m[1])).toBe(id);
  // Request lines: each has its request id; the generate request's is the one the response carried.
  const requests = lines.filter((l) => l.msg === 'request');
  expect(requests.length).toBeGreaterThan(0);
  for (const l of requests) expect(l.reqId).toMatch(/\S/);
  expect(requests.find((l) => l.path === '/api/generate')?.reqId).toBe(reqId);
});
