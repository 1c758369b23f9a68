// Tasks are idempotent by state, not just by payload shape: steps added by hand
// (psql's add_job) for a job whose state doesn't call for them do nothing, and
// every task fails an unknown job once, readably.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPhaseRuns } from '../lib/jobs/phase-runs.ts';
import { getJob } from '../lib/jobs/repository.ts';
import { chromiumAvailable } from './browser/harness.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { jobEvents, waitForPlaytest, waitsFor } from './playtest-helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ PLAYTEST: chromiumAvailable() ? 'on' : 'off', MAX_CONCURRENT: '2' });
});
afterAll(() => h?.close());

/** Adds a graphile job from SQL, as an operator would, and resolves with its row once the runner finished it. */
async function addJobAndWait(task: string, payload: Record<string, unknown>, priority = 0) {
  const { rows } = await h.service.db.query<{ id: string }>(
    'select (graphile_worker.add_job($1, $2::json, priority := $3)).id',
    [task, JSON.stringify(payload), priority],
  );
  const id = rows[0]!.id;
  // Polls the row rather than waiting for the runner's event: a no-op step can finish
  // before a listener added after add_job returns would be attached.
  for (;;) {
    const r = await h.service.db.query(
      'select attempts, max_attempts, last_error, locked_by from graphile_worker._private_jobs where id = $1',
      [id],
    );
    if (!r.rows[0]) return { attempts: 1, max_attempts: 1, last_error: null as string | null, done: true };
    if (!r.rows[0].locked_by && r.rows[0].attempts > 0) return { ...r.rows[0], done: false };
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('an unknown job', () => {
  for (const [task, payload] of [
    ['run-phase', { jobId: 424242, phase: 2 }],
    ['deploy-game', { jobId: 424242 }],
    ['playtest-game', { jobId: 424242 }],
    ['remove-game', { jobId: 424242, slot: 1 }],
  ] as const) {
    it(`${task} fails once with a readable reason`, async () => {
      const row = await addJobAndWait(task, payload);
      expect(row.done).toBe(false);
      expect(row.attempts).toBe(1);
      expect(row.max_attempts).toBe(1);
      expect(row.last_error).toMatch(/job 424242 does not exist/);
    });
  }
});

describe('a healthy deployed game', () => {
  let jobId: number;
  let before: Awaited<ReturnType<typeof getJob>>;
  beforeAll(async () => {
    const { rows } = await h.service.db.query(`select gamepocgen.generate_game('a healthy game', 'snake', 5) as id`);
    jobId = rows[0].id;
    expect((await h.waitForJob(jobId)).status).toBe('deployed');
    if (chromiumAvailable()) await waitForPlaytest(h, jobId, 1);
    before = await getJob(h.service.db, jobId);
  }, waitsFor(1)); // a hang guard: the judge plays both servings, slowly on a loaded machine

  it('control: the game is deployed, built once and (with Chromium) play-tested once', async () => {
    expect(before!.status).toBe('deployed');
    expect((await listPhaseRuns(h.service.db, jobId)).map((r) => r.phase)).toEqual([1, 2, 3, 4]);
    if (chromiumAvailable()) expect(before!.playtest?.round).toBe(1);
  });

  it('ignores every step added again by hand', async () => {
    const steps: [string, Record<string, unknown>][] = [
      ['run-phase', { jobId, phase: 1 }],
      ['run-phase', { jobId, phase: 3 }],
      ['run-phase', { jobId, phase: 5 }],
      ['deploy-game', { jobId }],
      ['playtest-game', { jobId }],
      ['playtest-game', { jobId }],
      ['remove-game', { jobId, slot: before!.slot }],
    ];
    for (const [task, payload] of steps) {
      const row = await addJobAndWait(task, payload);
      expect(row.done, `${task} ${JSON.stringify(payload)}: ${row.last_error}`).toBe(true); // completed, not failed
    }
    const after = await getJob(h.service.db, jobId);
    expect(after).toMatchObject({ status: 'deployed', slot: before!.slot, url: before!.url, error: null });
    expect(after!.deployed_at).toEqual(before!.deployed_at);
    expect(after!.playtest).toEqual(before!.playtest);
    expect((await listPhaseRuns(h.service.db, jobId)).map((r) => r.phase)).toEqual([1, 2, 3, 4]);
    expect((await jobEvents(h, jobId)).filter((e) => /play-test round \d started/.test(e.message))).toHaveLength(
      chromiumAvailable() ? 1 : 0,
    );
    expect((await h.fetchSlot(before!.slot!)).status).toBe(200);
  });
});

describe('a job still being built', () => {
  it('skips a later phase added out of order, and still finishes', async () => {
    const { rows } = await h.service.db.query(`select gamepocgen.generate_game('out of order', 'runner', 6) as id`);
    const jobId = rows[0].id as number;
    // Ahead of the job's own phase 1 (priority -100): phase 4 arrives before there is a plan to build.
    const row = await addJobAndWait('run-phase', { jobId, phase: 4 }, -100);
    expect(row.done).toBe(true);
    const job = await h.waitForJob(jobId);
    expect(job.status).toBe('deployed');
    const runs = await listPhaseRuns(h.service.db, jobId);
    expect(runs.map((r) => `${r.phase}:${r.status}`)).toEqual([
      '1:completed',
      '2:completed',
      '3:completed',
      '4:completed',
    ]);
  });
});
