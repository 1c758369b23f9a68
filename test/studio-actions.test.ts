// The studio's actions over HTTP on the real service: cancel stops the worker
// process and frees nothing it shouldn't; retry resumes a failed job from the
// phase that failed; feedback starts exactly one repair run whose change is
// visible in the served game, and refusals answer in the error shape.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './browser/harness.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { workerPids as findWorkerPids } from './helpers/worker-pids.ts';
import { PLAYTEST_WAIT_MS, waitsFor } from './playtest-helpers.ts';

const AGENT_MODULE = path.join(import.meta.dirname, 'fixtures', 'agents', 'studio-agent.ts');

const workerPids = (h: Harness, jobId: number) => findWorkerPids(h.dataDir, jobId);

async function post(h: Harness, pathname: string, body?: unknown) {
  const res = await h.api(pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const generate = (h: Harness, idea: string) => h.generate(idea, { seed: 5 });
/** The harness's wait, read loosely (these tests look into `data` freely). */
const waitForEvent = (h: Harness, jobId: number, pred: (e: any) => boolean, timeoutMs?: number): Promise<any> =>
  h.waitForEvent(jobId, pred, timeoutMs);

describe('cancel and retry', () => {
  let h: Harness;
  let scratch: string;
  beforeAll(async () => {
    h = await createHarness({ AGENT_MODULE });
    scratch = await mkdtemp(path.join(os.tmpdir(), 'gpg-studio-'));
  });
  afterAll(() => h?.close());

  it('cancels a running job: its worker process is gone and the job ends cancelled', async () => {
    const id = await generate(h, 'a sleepy lighthouse [sleep]');
    await waitForEvent(h, id, (e) => e.kind === 'log' && e.message.includes('sleeping until cancelled'));
    expect(workerPids(h, id).length).toBeGreaterThan(0);
    // The runner's cancel watcher listens on the service's own hub: while a phase is watched, this database has
    // two event LISTEN connections (the service's and the harness's), not a third for the watcher.
    const listeners = await h.service.db.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and application_name = 'gamepocgen-events'`,
    );
    expect(listeners.rows.map((r) => r.pid)).toContain(h.service.events.backendPid);
    expect(listeners.rows).toHaveLength(2);

    const res = await post(h, `/api/jobs/${id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    await waitForEvent(h, id, (e) => e.kind === 'phase_end' && e.phase === 2);
    expect(workerPids(h, id)).toEqual([]);
    const job = (await (await h.api(`/api/jobs/${id}`)).json()) as any;
    expect(job.job.status).toBe('cancelled');
    expect(job.job.phases.find((p: any) => p.phase === 2).error).toMatch(/cancelled/);
    // Nothing is left queued for it, and a second cancel is refused with a reason.
    const again = await post(h, `/api/jobs/${id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_cancellable');
  });

  it('retries a failed job from the phase that failed, reusing phase 1', async () => {
    const marker = path.join(scratch, 'failed-once');
    const id = await generate(h, `a stubborn snail [fail-once:${marker}]`);
    const failed = await h.waitForJob(id, ['failed', 'deployed']);
    expect(failed.status).toBe('failed');
    expect(failed.phase).toBe(2);
    const phase1 = (
      await h.service.db.query('select sha256 from gamepocgen.artifacts where job_id = $1 and path = $2', [
        id,
        'idea.json',
      ])
    ).rows[0];

    const res = await post(h, `/api/jobs/${id}/retry`);
    expect(res.status).toBe(202);
    expect(res.body.phase).toBe(2);
    const done = await h.waitForJob(id, ['deployed', 'failed']);
    expect(done.status).toBe('deployed');
    const runs = (
      await h.service.db.query('select phase, status from gamepocgen.phase_runs where job_id = $1 order by id', [id])
    ).rows;
    expect(runs.filter((r) => r.phase === 1)).toHaveLength(1); // phase 1 was not run again
    expect(runs.filter((r) => r.phase === 2).map((r) => r.status)).toEqual(['failed', 'completed']);
    const after = (
      await h.service.db.query('select sha256 from gamepocgen.artifacts where job_id = $1 and path = $2', [
        id,
        'idea.json',
      ])
    ).rows[0];
    expect(after.sha256).toBe(phase1.sha256);
  });

  it('refuses to retry a job that did not fail, and answers 404 for a missing job', async () => {
    const id = await generate(h, 'a quick fox');
    await h.waitForJob(id);
    const res = await post(h, `/api/jobs/${id}/retry`);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'not_retryable' });
    expect((await post(h, '/api/jobs/999999/cancel')).status).toBe(404);
    expect((await post(h, '/api/jobs/abc/retry')).status).toBe(400);
  });
});

describe('feedback', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ AGENT_MODULE });
  });
  afterAll(() => h?.close());

  it('two concurrent posts start exactly one repair run, whose change is served', async () => {
    const id = await generate(h, 'a lighthouse keeper fighting sea monsters');
    const job = await h.waitForJob(id);
    expect(job.status).toBe('deployed');
    const before = await h.fetchSlot(job.slot!);
    expect(before.body).not.toContain('<title>Storm Keeper</title>');

    const [a, b] = await Promise.all([
      post(h, `/api/jobs/${id}/feedback`, { feedback: 'please rename to "Storm Keeper"' }),
      post(h, `/api/jobs/${id}/feedback`, { feedback: 'please rename to "Other Name"' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([202, 409]);
    const refused = a.status === 409 ? a : b;
    expect(refused.body.error.code).toBe('change_in_progress');
    const accepted = a.status === 202 ? a : b;
    const wanted = accepted.body.feedback.feedback.match(/"([^"]+)"/)[1];

    const settled = await waitForEvent(h, id, (e) => e.kind === 'feedback' && e.data?.status !== 'queued');
    expect(settled.data.status).toBe('kept');
    const after = await h.fetchSlot(job.slot!);
    expect(after.body).toContain(`<title>${wanted}</title>`);
    const runs = (
      await h.service.db.query('select count(*)::int n from gamepocgen.phase_runs where job_id = $1 and phase = 5', [
        id,
      ])
    ).rows[0];
    expect(runs.n).toBe(1);

    const history = (await (await h.api(`/api/jobs/${id}/feedback`)).json()) as any;
    expect(history.feedback).toHaveLength(1);
    expect(history.feedback[0]).toMatchObject({ status: 'kept', feedback: accepted.body.feedback.feedback });
    const versions = (await (await h.api(`/api/jobs/${id}/versions`)).json()) as any;
    expect(versions.versions.map((v: any) => v.label)).toContain(history.feedback[0].baseVersion);

    // The earlier version can be restored: the slot serves the original title again.
    const restored = await post(h, `/api/jobs/${id}/versions/${history.feedback[0].baseVersion}/restore`);
    expect(restored.status).toBe(202);
    await waitForEvent(h, id, (e) => e.kind === 'deployed' && e.id > settled.id + 1 && e.message.includes('slot'));
    expect((await h.fetchSlot(job.slot!)).body).toBe(before.body);
  });

  it('refuses feedback for a job that is not deployed, and empty feedback', async () => {
    const res = await post(h, '/api/jobs/424242/feedback', { feedback: 'x' });
    expect(res.status).toBe(404);
    const id = ((await (await h.api('/api/jobs?limit=1')).json()) as any).jobs[0].id;
    const empty = await post(h, `/api/jobs/${id}/feedback`, { feedback: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('invalid_request');
  });
});

describe('feedback that makes the game worse', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ AGENT_MODULE, PLAYTEST: 'on' });
  });
  afterAll(() => h?.close());

  it.skipIf(!chromiumAvailable())(
    'is rolled back: the player sees why and the slot serves the earlier version',
    async () => {
      const id = await generate(h, 'a snail racing league on a rainy windowsill');
      await h.waitForJob(id);
      // Hang guards, not speed checks: each wait below includes a play-test of both servings.
      const tested = await waitForEvent(
        h,
        id,
        (e) => e.kind === 'playtest' && typeof e.data?.score === 'number',
        PLAYTEST_WAIT_MS,
      );
      expect(tested.data.passed).toBe(true);
      const job = await h.waitForJob(id);
      const before = await h.fetchSlot(job.slot!);

      const res = await post(h, `/api/jobs/${id}/feedback`, { feedback: 'go wild [break]' });
      expect(res.status).toBe(202);
      const settled = await waitForEvent(
        h,
        id,
        (e) => e.kind === 'feedback' && e.data?.status !== 'queued',
        PLAYTEST_WAIT_MS,
      );
      expect(settled.data.status).toBe('rolled_back');
      expect(settled.message).toMatch(/rolled back: the changed game scored \d+\/100, worse than \d+\/100/);
      // The earlier version is redeployed: the slot serves its bytes again.
      await waitForEvent(h, id, (e) => e.kind === 'deployed' && e.id > settled.id);
      expect((await h.fetchSlot(job.slot!)).body).toBe(before.body);
      const { feedback } = (await (await h.api(`/api/jobs/${id}/feedback`)).json()) as any;
      expect(feedback[0]).toMatchObject({ status: 'rolled_back', scoreBefore: tested.data.score });
      expect(feedback[0].scoreAfter).toBeLessThan(tested.data.score);
    },
    waitsFor(2),
  );
});
