// Property-based fuzzing of the task queue (fast-check): ≥ 1 000 generated payloads
// to every task, added through graphile_worker.add_job from SQL as an operator would
// (wrong types, missing and extra keys, NUL and lone surrogates, forged log lines,
// unknown jobs, huge numbers). Each fails once with a readable reason, or — when it
// is a valid-shaped step a healthy job's state doesn't call for — does nothing.
// No crash, no unhandled rejection, no forged log line, the healthy game untouched.
// (It found: a failure message holding half an emoji made graphile-worker's batched
// failJob refuse the whole batch, leaving those jobs locked; lib/task-deps.ts wellFormed.)
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getJob, type JobRow } from '../lib/jobs/repository.ts';
import { createLogger, memoryDestination } from '../lib/log.ts';
import { TASKS, type TaskName } from '../lib/queue/tasks.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

const PER_TASK = 1000;
const SEED = 1212;
const FORGED = '\n{"level":60,"msg":"FORGED","forged":true}\n';
const logs = memoryDestination();
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);
let h: Harness;
let healthy: JobRow;

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  h = await createHarness({}, { logger: createLogger({ destination: logs, level: 'debug' }) });
  const { rows } = await h.service.db.query(`select gamepocgen.generate_game('a fuzz-proof game', 'snake', 7) as id`);
  expect((await h.waitForJob(rows[0].id)).status).toBe('deployed');
  healthy = (await getJob(h.service.db, rows[0].id))!;
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await h?.close();
});

const nasty = fc.constantFrom('\u0000', '\ud800', '\udfff', FORGED, '%zz', '../../etc/passwd', '1e309', ' 7', '');
const anyValue = fc.oneof(fc.jsonValue(), nasty, fc.string({ unit: 'binary' }));
/** A job id that is wrong in type or range, or names no job. */
const badJobId = fc.oneof(
  anyValue,
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.integer({ min: 900_000, max: 2_000_000_000 }), // unknown jobs
  fc.constantFrom(2 ** 53, -(2 ** 53), 0.5, 1e308, Number.MAX_SAFE_INTEGER),
  nasty,
);

/** A payload the task must refuse (or, for the healthy job, ignore), by task. */
function payloads(task: TaskName) {
  const fields = {
    phase: fc.oneof(anyValue, fc.integer({ min: -3, max: 9 })),
    slot: fc.oneof(anyValue, fc.integer({ min: -3, max: 200 })),
    repair: fc.oneof(anyValue, fc.integer({ min: -1, max: 30 })),
    rollbackTo: fc.oneof(anyValue, fc.integer({ min: -1, max: 30 })),
    force: anyValue,
    extra: anyValue,
  };
  const malformed = fc.record({ jobId: badJobId, ...fields }, { requiredKeys: [] });
  const healthyShaped = {
    'run-phase': fc.record({ jobId: fc.constant(healthy.id), phase: fc.integer({ min: 1, max: 5 }) }),
    'deploy-game': fc.constant({ jobId: healthy.id }),
    'playtest-game': fc.constant({ jobId: healthy.id }),
    'remove-game': fc.constant({ jobId: healthy.id, slot: healthy.slot }),
    'reap-containers': fc.constant({ jobId: healthy.id }),
    'reconcile-slots': fc.constant({}),
  }[task];
  return fc.oneof(
    { weight: 6, arbitrary: malformed },
    { weight: 2, arbitrary: fc.jsonValue() },
    { weight: 1, arbitrary: nasty },
    { weight: 1, arbitrary: healthyShaped },
  );
}

type QueueRow = { task_identifier: string; attempts: number; max_attempts: number; last_error: string | null };

it(`every task survives ${PER_TASK} generated payloads from add_job: one readable failure each, or a no-op`, {
  timeout: 180_000,
}, async () => {
  const tasks = Object.keys(TASKS) as TaskName[];
  const added: { task: string; payload: string }[] = [];
  for (const [i, task] of tasks.entries())
    for (const p of fc.sample(payloads(task), { numRuns: PER_TASK, seed: SEED + i }))
      added.push({ task, payload: JSON.stringify(p === undefined ? null : p) });
  const before = await h.service.db.query<{ max: string | null }>(
    'select max(id)::text as max from graphile_worker._private_jobs',
  );
  const firstId = BigInt(before.rows[0]!.max ?? '0');

  // In batches of 500 (one statement each): the runner takes them as they commit.
  for (let i = 0; i < added.length; i += 500) {
    const batch = added.slice(i, i + 500);
    await h.service.db.query(
      'select count(graphile_worker.add_job(t, p)) from unnest($1::text[], $2::json[]) as x(t, p)',
      [batch.map((b) => b.task), batch.map((b) => b.payload)],
    );
  }
  // Done: nothing of ours is waiting, running or due a retry (succeeded rows are deleted, failed ones kept).
  const pending = () =>
    h.service.db
      .query<{ n: number }>(
        'select count(*)::int n from graphile_worker._private_jobs where id > $1 and (attempts < max_attempts or locked_by is not null)',
        [String(firstId)],
      )
      .then((r) => r.rows[0]!.n);
  try {
    await expect.poll(pending, { timeout: 150_000, interval: 500 }).toBe(0);
  } catch (e) {
    const r = await h.service.db.query(
      `select t.identifier, j.payload::text, j.attempts, j.max_attempts, j.locked_by, j.run_at, j.last_error
         from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where j.id > $1 and (attempts < max_attempts or locked_by is not null) limit 5`,
      [String(firstId)],
    );
    throw new Error(`still pending: ${JSON.stringify(r.rows, null, 1)}`, { cause: e });
  }

  const { rows: failed } = await h.service.db.query<QueueRow>(
    `select t.identifier as task_identifier, j.attempts, j.max_attempts, j.last_error
         from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where j.id > $1`,
    [String(firstId)],
  );
  // Every failure happened once, and reads as a sentence naming its task — no stack, no retry.
  expect(failed.filter((r) => r.attempts !== 1 || r.max_attempts !== 1)).toEqual([]);
  const unreadable = failed.filter(
    (r) => !r.last_error?.startsWith(`${r.task_identifier}: `) || /\n\s+at /.test(r.last_error),
  );
  expect(unreadable.slice(0, 5)).toEqual([]);
  // Malformed payloads did fail: far more failures than valid-shaped no-ops, for every job task.
  const ignorePayload = ['reap-containers', 'reconcile-slots'];
  for (const task of tasks.filter((t) => !ignorePayload.includes(t)))
    expect(failed.filter((r) => r.task_identifier === task).length, task).toBeGreaterThan(PER_TASK / 2);
  // reap-containers and reconcile-slots ignore their payload: all of their runs succeeded.
  expect(failed.filter((r) => ignorePayload.includes(r.task_identifier))).toEqual([]);

  // The healthy game: still deployed, on its slot, built once, not redeployed.
  const after = (await getJob(h.service.db, healthy.id))!;
  expect(after).toMatchObject({ status: 'deployed', slot: healthy.slot, url: healthy.url, error: null });
  expect(after.deployed_at).toEqual(healthy.deployed_at);
  expect((await h.fetchSlot(healthy.slot!)).status).toBe(200);
  // No job was made up from a payload.
  const { rows: jobs } = await h.service.db.query('select count(*)::int n from gamepocgen.jobs');
  expect(jobs[0].n).toBe(1);

  // The process is fine, nothing rejected unhandled, and every log line is one JSON object with no forgery.
  expect(rejections).toEqual([]);
  expect((await h.api('/health')).status).toBe(200);
  const lines = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.length).toBeGreaterThan(added.length);
  expect(lines.filter((l) => l.forged !== undefined || l.msg === 'FORGED' || l.level === 60)).toEqual([]);
  // The control for that: the forged text did reach the log, escaped inside a message.
  expect(lines.some((l) => String(l.msg).includes('FORGED'))).toBe(true);
});
