// The life of a job: its statuses, the transitions between them, and every
// write of gamepocgen.jobs.status (nothing else in the code sets it).
//
//            generate_game() / POST /api/generate / comparison sibling
//                          │
//                          ▼
//                       queued ─────────────────────────────┐
//                          │ a phase starts (markJobRunning) │ the shared phase 1 failed (failComparisonSiblings)
//                          ▼                                 ▼
//      ┌─────────────── running  (phases 1‥4) ──────────► failed ◄── a phase failed or could not start, a step ran
//      │                   │ phase 4 completed; deploy      ▲          out of attempts (failJob, from any live status)
//      │                   ▼                                │
//      │               deploying ── no dist/index.html ─────┘
//      │                   │ published to a slot (markDeployed)
//      │                   ▼
//      │               deployed ◄──┐ repairs (phase 5, below QUALITY_THRESHOLD) run and redeploy, and a worse
//      │                   │  │    │ one is rolled back, while the job stays deployed and playable
//      │                   │  └────┘
//      │  another game took│the slot (markRecycled)     DELETE /api/games/:id (markRemoved)
//      │                   ▼                                   ▼
//      └─────────────► recycled                             removed
//
//   POST /api/jobs/:id/cancel (markCancelled): queued / running / deploying → cancelled
//   POST /api/jobs/:id/retry (markRetried): failed / cancelled → queued (resumes from its phase)
//   POST /api/jobs/:id/deploy ("put on a slot"): recycled → deploying → deployed (lib/studio/)
//
// FINISHED_STATUSES (failed, recycled, removed, cancelled): nothing more happens to the job
// unless a person asks (retry, put on a slot).
// `deployed` is where a good job rests: it has its outcome (a playable game) but
// is not finished — a play-test, the repair, a recycle or a removal may follow.
// Whether its chain has settled is the `done` event (lib/task-deps.ts).
//
// Every status change is also a `status` event: migrations/001_schema.sql's
// trigger `jobs_status_event` writes it in the same statement, whoever changes
// the row (these functions, generate_game(), an operator in psql), so the
// event stream can never miss or invent a transition. That is why it stays a
// trigger rather than a call here.
import { z } from 'zod';
import type { PhaseNumber } from '../artifacts.ts';
import { namedStatement, type Queryable } from '../db.ts';
import { MissingJobError } from '../phase-errors.ts';
import {
  deployStateOf,
  deployStateSql,
  FIRST_DEPLOY_DUE_SQL,
  type DeployState,
  type DeployStateRow,
} from './deploy-state.ts';
// jobColumns is only called inside functions (so are jobForPhaseSql and deployStateSql): repository.ts imports this module too.
import { jobColumns, type JobRow } from './repository.ts';

export type JobForPhaseRow = JobRow & { phase_done: boolean; previous_done: boolean };

export const JOB_STATUSES = [
  'queued',
  'running',
  'deploying',
  'deployed',
  'failed',
  'recycled',
  'removed',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses nothing follows: the job's chain has ended for good. */
export const FINISHED_STATUSES: readonly JobStatus[] = ['failed', 'recycled', 'removed', 'cancelled'];
export const isFinished = (status: JobStatus | string): boolean => FINISHED_STATUSES.includes(status as JobStatus);
/** The job has its outcome: a playable game, or finished without one (what the CLI and tests wait for). */
export const OUTCOME_STATUSES: readonly JobStatus[] = ['deployed', ...FINISHED_STATUSES];
export const hasOutcome = (status: JobStatus | string): boolean => OUTCOME_STATUSES.includes(status as JobStatus);

/**
 * The kinds of gamepocgen.job_events rows, i.e. the SSE `event:` names of
 * /api/events and /api/jobs/:id/logs?follow=1 (the gallery listens for status,
 * phase_start, phase_end, deployed and playtest; the CLI redraws on any).
 * The single source: addEvent only takes these, and the OpenAPI document
 * publishes the same enum (components.schemas.EventKind).
 */
export const EventKind = z
  .enum([
    /** A status change (trigger): data {status, previous}. */
    'status',
    /** A phase began on a runtime. */
    'phase_start',
    /** A phase ended: data {status: completed|failed|timeout, files?, durationMs?, agentMs?}. */
    'phase_end',
    /** Published to a slot: data {slot, url, rollbackTo?}. */
    'deployed',
    /** A play-test started, scored, was skipped or discarded: data {round, score, passed, failed, defects, url, served, rolledBack, loop, repair, rounds} or {skipped}. */
    'playtest',
    /** The last queued step of the job ended; nothing is left to do (followers may stop). */
    'done',
    /** Free text from the service or a worker line that is not JSON (or has a kind of its own). */
    'log',
    /** Worker lines (the agent's progress): its messages, tool calls, token usage, and errors. */
    'assistant',
    'tool',
    'usage',
    'agent_error',
    /** Cancel requested (lib/studio/cancel.ts): runners kill that job's worker. data {removedSteps}. */
    'cancel',
    /** A player's feedback was received, kept, rolled back or failed: data {feedbackId, status, score?}. */
    'feedback',
  ])
  .describe('The kind of a job event: the SSE `event:` name of /api/events and /api/jobs/{id}/logs?follow=1.');
export type EventKind = z.infer<typeof EventKind>;
/**
 * Not rows: `end` is the last SSE message of a followed job's logs (it finished,
 * or it is deployed and settled); `reconnected` is an in-process EventHub
 * notice after the LISTEN connection came back (re-read from your last id).
 */
export const StreamOnlyKind = z.enum(['end', 'reconnected']);
export type StreamOnlyKind = z.infer<typeof StreamOnlyKind>;

/** The job's side of a phase starting ($2 phase, $3 agent) for the job(s) `where` picks. */
const markRunningSql = (
  where: string,
) => `update gamepocgen.jobs set status = case when status = 'deployed' then 'deployed' else 'running' end,
    phase = $2, agent = $3, error = null, started_at = coalesce(started_at, now()), updated_at = now() where ${where}`;
const MARK_RUNNING_SQL = markRunningSql('id = $1');

/** The job ($1), whether phase $2 completed `times` times for it (phase_done) and whether the phase before did (previous_done). */
export const jobForPhaseSql = (
  times: string,
) => `select ${jobColumns('j')}, (select count(*) from gamepocgen.phase_runs r where r.job_id = j.id and r.phase = $2 and r.status = 'completed') >= ${times} as phase_done,
            exists (select 1 from gamepocgen.phase_runs r where r.job_id = j.id and r.phase = $2 - 1 and r.status = 'completed') as previous_done
       from gamepocgen.jobs j where j.id = $1`;

/**
 * When phase $2 (1‥4) of a job is due: the job is queued or running, the phase has not completed, and
 * (after the idea phase) the one before it has. lib/phase-runner.ts notCalledFor says the same in
 * words for every other case; test/handoff-start.test.ts checks the two agree on every combination.
 */
const PHASE_DUE_SQL = `status in ('queued', 'running') and not phase_done and ($2 = 1 or previous_done)`;

/** A phase starts: queued/running → running; a deployed game being repaired stays deployed (and playable). */
export async function markJobRunning(db: Queryable, jobId: number, phase: PhaseNumber, agent: string): Promise<void> {
  await db.query(MARK_RUNNING_SQL, [jobId, phase, agent]);
}

/**
 * A phase starts ($2, by agent $3, on runtime $4, worker $5, with phase_start message $6) for job $1 when
 * `due` holds of its row as jobForPhaseSql reads it: its phase run row, the job marked running as
 * markJobRunning does, and the phase_start event, in the statement that reads the job. The one place
 * these writes are made (startPhase and startPhaseIfDue differ only in `due`). The `status` event the
 * trigger writes comes after phase_start (an AFTER trigger fires at the end of the statement).
 */
const startPhaseSql = (due: string) => `with found as (${jobForPhaseSql('1')}),
          due as (select id from found where ${due}),
          job as (${markRunningSql('id = (select id from due)')}),
          run as (insert into gamepocgen.phase_runs (job_id, phase, status, runtime, agent, worker_id)
                  select id, $2, 'running', $4, $3, $5 from due returning id),
          event as (insert into gamepocgen.job_events (job_id, kind, phase, message) select id, 'phase_start', $2, $6 from due)
     select found.*, (select id from run) as run_id from found`;

type PhaseStart = {
  jobId: number;
  phase: PhaseNumber;
  agent: string;
  runtime: string;
  workerId: string | null;
  message: string;
};
const startParams = (run: PhaseStart) => [run.jobId, run.phase, run.agent, run.runtime, run.workerId, run.message];

/**
 * A phase starts, in one statement (one round trip instead of begin, three writes and commit), whatever
 * the job's state (the caller decided it is due). Returns the run's id.
 */
export async function startPhase(db: Queryable, run: PhaseStart): Promise<number> {
  const { rows } = await db.query<{ run_id: number }>(startPhaseSql('true'), startParams(run));
  if (!rows[0]) throw new MissingJobError(run.jobId);
  return rows[0].run_id;
}

// The hand-off statements' texts, built on first use (not at load: jobColumns comes through an import cycle)
// rather than on every hand-off, which also spared namedStatement hashing a fresh copy each time.
const once = (build: () => string) => {
  let text: string | undefined;
  return () => {
    text ??= build();
    return text;
  };
};
const startIfDueText = once(() => startPhaseSql(`${PHASE_DUE_SQL} and provider is null`));
const deployIfDueText = once(
  () => `with found as (${deployStateSql()}),
          job as (update gamepocgen.jobs set status = 'deploying', updated_at = now()
                   where id = (select id from found where ${FIRST_DEPLOY_DUE_SQL}))
     select found.*, ${FIRST_DEPLOY_DUE_SQL} as due from found`,
);

/**
 * The hand-off's first round trip for phases 1‥4: reads the job as getJobForPhase does and, when the
 * phase is due (PHASE_DUE_SQL) and the job has no provider of its own (whose settings are checked
 * before it starts), starts it as startPhase does, in the same statement. `runId` is null when
 * nothing was started: the caller then decides from the row, exactly as before.
 */
export async function startPhaseIfDue(
  db: Queryable,
  run: PhaseStart,
): Promise<{ job: JobRow; phaseDone: boolean; previousDone: boolean; runId: number | null } | null> {
  // Named: prepared once per connection, as this is the hand-off's first round trip (lib/db.ts).
  const { rows } = await db.query<JobForPhaseRow & { run_id: number | null }>(
    namedStatement(startIfDueText(), startParams(run)),
  );
  if (!rows[0]) return null;
  const { phase_done, previous_done, run_id, ...job } = rows[0];
  return { job, phaseDone: phase_done, previousDone: previous_done, runId: run_id };
}

/** The idea phase completed: the job has its title. */
export async function markIdeaDone(db: Queryable, jobId: number, title: string | null): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'running', title = coalesce($2, title), updated_at = now() where id = $1`,
    [jobId, title],
  );
}

/**
 * The deploy's first round trip for a first deploy (not a redeploy, a rollback or a forced one): reads
 * the job and its deploy flags (lib/jobs/deploy-state.ts) and, when a first deploy is due
 * (FIRST_DEPLOY_DUE_SQL), marks it deploying in the same statement. `deploying` says whether it did;
 * lib/deploy.ts decides every other case from the same flags.
 */
export async function startDeployIfDue(db: Queryable, jobId: number): Promise<DeployState | null> {
  // Named: prepared once per connection, as this is the deploy hand-off's first round trip (lib/db.ts).
  const { rows } = await db.query<DeployStateRow & { due: boolean }>(namedStatement(deployIfDueText(), [jobId]));
  if (!rows[0]) return null;
  const { due, ...row } = rows[0];
  return deployStateOf(row, due);
}

/** running → deploying (a first deploy; a redeploy after the repair stays deployed). */
export async function markDeploying(db: Queryable, jobId: number): Promise<void> {
  await db.query(`update gamepocgen.jobs set status = 'deploying', updated_at = now() where id = $1`, [jobId]);
}

/** Published to `slot` at `url` (in the deploy's transaction). */
export async function markDeployed(db: Queryable, jobId: number, slot: number, url: string): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'deployed', slot = $2, url = $3, deployed_at = now(), finished_at = now(), updated_at = now() where id = $1`,
    [jobId, slot, url],
  );
}

/** Its slot went to a newer game. */
export async function markRecycled(db: Queryable, jobId: number): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'recycled', slot = null, url = null, updated_at = now() where id = $1`,
    [jobId],
  );
}

/** Removed by the operator (its slot freed in the same transaction). */
export async function markRemoved(db: Queryable, jobId: number): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'removed', slot = null, url = null, updated_at = now() where id = $1`,
    [jobId],
  );
}

/** Fails a job that is not already failed or removed, with a readable reason. */
export async function failJob(db: Queryable, jobId: number, reason: string): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'failed', error = $2, updated_at = now(), finished_at = now()
      where id = $1 and status not in ('failed', 'removed', 'cancelled')`,
    [jobId, reason.slice(0, 4000)],
  );
}

/** When a comparison's shared phase 1 fails, its waiting siblings can't go on either. */
export async function failComparisonSiblings(db: Queryable, leadId: number, reason: string): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'failed', error = $2, updated_at = now(), finished_at = now()
      where compare_group = $1 and id <> $1 and status = 'queued'`,
    [leadId, `the shared phase 1 (job ${leadId}) failed: ${reason}`.slice(0, 4000)],
  );
}

/** Cancelled by request (lib/studio/cancel.ts, with its slot released in the same transaction). */
export async function markCancelled(db: Queryable, jobId: number): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'cancelled', error = 'cancelled by request', slot = null, url = null,
       finished_at = now(), updated_at = now() where id = $1`,
    [jobId],
  );
}

/** failed / cancelled → queued: a retry resumes from the job's phase (lib/studio/retry.ts). */
export async function markRetried(db: Queryable, jobId: number): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'queued', error = null, finished_at = null, updated_at = now() where id = $1`,
    [jobId],
  );
}
