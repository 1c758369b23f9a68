// The hand-off's first round trip (lib/jobs/lifecycle.ts): a phase 1‥4 that is due starts in the
// statement that reads the job (startPhaseIfDue), exactly when the phase runner's own rule
// (lib/phase-runner.ts notCalledFor) would, writing exactly what startPhase writes; a first deploy that
// is due is marked deploying the same way (startDeployIfDue), exactly when lib/deploy.ts would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhaseNumber } from '../lib/artifacts.ts';
import { createPool, type Db } from '../lib/db.ts';
import { readDeployState, type DeployState } from '../lib/jobs/deploy-state.ts';
import { JOB_STATUSES, startDeployIfDue, startPhase, startPhaseIfDue, type JobStatus } from '../lib/jobs/lifecycle.ts';
import { chainNext } from '../lib/jobs/chain.ts';
import { finishPhaseRunWrite, listPhaseRuns, startPhaseRun } from '../lib/jobs/phase-runs.ts';
import { createJob } from '../lib/jobs/repository.ts';
import { notCalledFor } from '../lib/phase-runner.ts';
import { createTestDatabase } from './helpers/db.ts';
import { builtJob, builtStates, jobIn as jobInState } from './helpers/job-states.ts';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPool(t.url, 4);
});
afterAll(async () => {
  await db?.end();
  await drop?.();
});

const start = (jobId: number, phase: PhaseNumber) => ({
  jobId,
  phase,
  agent: 'builtin',
  runtime: 'local',
  workerId: 'w1',
  message: `phase ${phase} started`,
});

const jobIn = (status: JobStatus, phase: number, opts: { done: boolean; previousDone: boolean; provider?: string }) =>
  jobInState(db, status, phase, opts);

/** What a start wrote for a job: its row's phase fields, its phase runs and its events, ids and times left out. */
async function written(jobId: number) {
  const job = await db.query(
    'select status, phase, agent, error, started_at is not null as started from gamepocgen.jobs where id = $1',
    [jobId],
  );
  const runs = await db.query(
    'select phase, status, runtime, agent, worker_id from gamepocgen.phase_runs where job_id = $1 order by id',
    [jobId],
  );
  const events = await db.query(
    `select kind, phase, message, data from gamepocgen.job_events where job_id = $1 and id > (select max(id) from gamepocgen.job_events where job_id = $1 and kind = 'status' and message = 'queued') order by id`,
    [jobId],
  );
  return { job: job.rows[0], runs: runs.rows, events: events.rows };
}

describe('starting a due phase in the statement that reads the job', () => {
  it('starts exactly when the phase runner would, for every status, phase, done and previous-done', async () => {
    const started: string[] = [];
    const disagreements: string[] = [];
    for (const status of JOB_STATUSES)
      for (const phase of [1, 2, 3, 4] as PhaseNumber[])
        for (const done of [false, true])
          for (const previousDone of phase === 1 ? [false] : [false, true])
            for (const provider of [undefined, 'openai:gpt-x']) {
              const id = await jobIn(status, phase, { done, previousDone, provider });
              const client = await db.connect();
              try {
                await client.query('begin');
                const found = await startPhaseIfDue(client, start(id, phase));
                await client.query('rollback');
                const runner =
                  found!.job.status !== 'cancelled' &&
                  notCalledFor(found!.job, phase, found!.phaseDone, found!.previousDone) === null &&
                  !found!.phaseDone;
                const expected = runner && !provider;
                const label = `${status} phase ${phase} done=${done} previousDone=${previousDone} provider=${!!provider}`;
                expect([found!.phaseDone, found!.previousDone]).toEqual([done, previousDone]);
                if ((found!.runId !== null) !== expected) disagreements.push(label);
                if (found!.runId !== null) started.push(label);
              } finally {
                client.release();
              }
            }
    expect(disagreements).toEqual([]);
    // Not vacuous: both outcomes occur (queued/running, not done, previous done, no provider).
    expect(started.length).toBeGreaterThan(0);
    expect(started).toContain('queued phase 1 done=false previousDone=false provider=false');
    expect(started).not.toContain('running phase 3 done=false previousDone=false provider=false');
  });

  it('returns null for a job that does not exist, and writes nothing', async () => {
    expect(await startPhaseIfDue(db, start(987654, 2))).toBeNull();
    const { rows } = await db.query('select count(*)::int n from gamepocgen.phase_runs where job_id = 987654');
    expect(rows[0].n).toBe(0);
  });

  it('writes what startPhase writes: the run, the job marked running, phase_start then the status event', async () => {
    const a = await jobIn('queued', 2, { done: false, previousDone: true });
    const b = await jobIn('queued', 2, { done: false, previousDone: true });
    const viaIfDue = await startPhaseIfDue(db, start(a, 2));
    const viaStart = await startPhase(db, start(b, 2));
    expect(viaIfDue!.runId).toBeGreaterThan(0);
    expect(viaStart).toBeGreaterThan(0);
    // The job it returns is the row as read, before the start (as getJobForPhase's).
    expect(viaIfDue!.job.status).toBe('queued');
    const [wa, wb] = [await written(a), await written(b)];
    expect(wa).toEqual(wb);
    expect(wa.job).toMatchObject({ status: 'running', phase: 2, agent: 'builtin', started: true });
    expect(wa.runs.at(-1)).toMatchObject({ phase: 2, status: 'running', worker_id: 'w1' });
    expect(wa.events.map((e) => e.kind)).toEqual(['phase_start', 'status']);
  });

  it('startPhase starts whatever the state, and names a job that does not exist', async () => {
    // Not due (phase 1 not completed), yet started: the caller of startPhase has decided.
    const id = await jobIn('running', 3, { done: false, previousDone: false });
    expect(await startPhase(db, start(id, 3))).toBeGreaterThan(0);
    expect((await written(id)).runs.at(-1)).toMatchObject({ phase: 3, status: 'running' });
    await expect(startPhase(db, start(987653, 2))).rejects.toMatchObject({
      code: 'job_not_found',
      message: 'job 987653 does not exist',
    });
    const { rows } = await db.query('select count(*)::int n from gamepocgen.job_events where job_id = 987653');
    expect(rows[0].n).toBe(0);
  });

  it('writes nothing for a phase that is not due (control: it starts once the phase before completed)', async () => {
    const id = await jobIn('running', 3, { done: false, previousDone: false });
    const before = await written(id);
    const found = await startPhaseIfDue(db, start(id, 3));
    expect(found!.runId).toBeNull();
    expect(await written(id)).toEqual(before);
    await db.query(
      `insert into gamepocgen.phase_runs (job_id, phase, status, runtime, finished_at) values ($1, 2, 'completed', 'local', now())`,
      [id],
    );
    expect((await startPhaseIfDue(db, start(id, 3)))!.runId).toBeGreaterThan(0);
  });
});

describe('marking a first deploy deploying in the statement that reads the job', () => {
  const statusEvents = async (id: number) =>
    (
      await db.query(`select message from gamepocgen.job_events where job_id = $1 and kind = 'status' order by id`, [
        id,
      ])
    ).rows.map((r) => r.message);

  it('marks it deploying exactly when deployJob would (not served; not failed, removed or cancelled; a newer build; an index)', async () => {
    const marked: string[] = [];
    const disagreements: string[] = [];
    for (const status of JOB_STATUSES)
      for (const state of builtStates()) {
        const { served, build, index, deployedAfter } = state;
        const id = await builtJob(db, status, state);
        const before = await statusEvents(id);
        const read = await readDeployState(db, id);
        const found = await startDeployIfDue(db, id);
        // The other paths (lib/deploy.ts) read the same flags from the same predicate, writing nothing.
        const flags = ({ served, live, newerBuild, hasIndex }: DeployState) => ({ served, live, newerBuild, hasIndex });
        expect(flags(read!)).toEqual(flags(found!));
        expect(read!.deploying).toBe(false);
        const redeploy = status === 'deployed' && served;
        const expected =
          !redeploy && !['failed', 'removed', 'cancelled'].includes(status) && build && !deployedAfter && index;
        const label = `${status} served=${served} build=${build} index=${index} deployedAfter=${deployedAfter}`;
        if (found!.deploying !== expected) disagreements.push(label);
        // The row it returns is the one it read; a start writes the deploying status and its event, nothing else.
        expect(found!.job.status).toBe(status);
        const after = await statusEvents(id);
        expect(after).toEqual(found!.deploying && status !== 'deploying' ? [...before, 'deploying'] : before);
        if (found!.deploying) marked.push(label);
      }
    expect(disagreements).toEqual([]);
    expect(marked).toContain('running served=false build=true index=true deployedAfter=false');
    expect(marked).not.toContain('running served=false build=true index=false deployedAfter=false');
  });

  it('returns null for a job that does not exist', async () => {
    expect(await startDeployIfDue(db, 987655)).toBeNull();
    expect(await readDeployState(db, 987655)).toBeNull();
  });
});

describe("closing a step's phase run in the add_job statement of the next step", () => {
  const completed = { status: 'completed' as const, error: null, durationMs: 12.4, agentMs: 3, usage: { t: 1 } };
  /** chainNext on a fresh job's open phase run, counting the statements it sends. */
  async function chainWithLeadingWrite(outcome: Parameters<typeof chainNext>[2]) {
    const jobId = await createJob(db, { idea: 'leading write', genre: null, seed: 1 });
    const runId = await startPhaseRun(db, { jobId, phase: 2, runtime: 'local', agent: 'builtin', workerId: 'w1' });
    const client = await db.connect();
    let statements = 0;
    const counting = {
      query: ((...a: Parameters<typeof client.query>) => (statements++, client.query(...a))) as typeof client.query,
    };
    try {
      await client.query('begin');
      const step = await chainNext(counting, jobId, outcome, { leading: finishPhaseRunWrite(runId, completed) });
      await client.query('commit');
      const queued = await db.query<{ key: string; priority: number }>(
        `select key, priority from graphile_worker.jobs where key like $1 and key <> $2 order by id`,
        [`job:${jobId}:%`, `job:${jobId}:phase:1`],
      );
      const run = (await listPhaseRuns(db, jobId)).find((r) => r.id === runId)!;
      return { jobId, step, statements, queued: queued.rows, run };
    } finally {
      client.release();
    }
  }

  it('closes the run and queues the next step in one statement', async () => {
    const r = await chainWithLeadingWrite({ after: 'run-phase', phase: 2 });
    expect(r.step).toEqual({ task: 'run-phase', phase: 3 });
    expect(r.statements).toBe(1);
    expect(r.queued).toEqual([{ key: `job:${r.jobId}:phase:3`, priority: -2 }]);
    expect(r.run).toMatchObject({ status: 'completed', duration_ms: 12, agent_ms: 3, usage: { t: 1 } });
    expect(r.run.finished_at).not.toBeNull();
  });

  it('runs the write alone when nothing follows (control: the run is still closed, nothing is queued)', async () => {
    const r = await chainWithLeadingWrite({ after: 'deploy-game', playtest: false });
    expect(r.step).toBeNull();
    expect(r.statements).toBe(1);
    expect(r.queued).toEqual([]);
    expect(r.run).toMatchObject({ status: 'completed' });
    expect(r.run.finished_at).not.toBeNull();
  });
});
