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
import type { Queryable } from '../db.ts';

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

/** The job's side of a phase starting ($1 job id, $2 phase, $3 agent). */
const MARK_RUNNING_SQL = `update gamepocgen.jobs set status = case when status = 'deployed' then 'deployed' else 'running' end,
    phase = $2, agent = $3, error = null, started_at = coalesce(started_at, now()), updated_at = now() where id = $1`;

/** A phase starts: queued/running → running; a deployed game being repaired stays deployed (and playable). */
export async function markJobRunning(db: Queryable, jobId: number, phase: PhaseNumber, agent: string): Promise<void> {
  await db.query(MARK_RUNNING_SQL, [jobId, phase, agent]);
}

/**
 * A phase starts, in one statement (one round trip on the hand-off's critical
 * path instead of begin, three writes and commit): its phase run row, the job
 * marked running as markJobRunning does, and the phase_start event. Returns the
 * run's id. The `status` event the trigger writes comes after phase_start (an
 * AFTER trigger fires at the end of the statement).
 */
export async function startPhase(
  db: Queryable,
  run: { jobId: number; phase: PhaseNumber; agent: string; runtime: string; workerId: string | null; message: string },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `with job as (${MARK_RUNNING_SQL}),
          run as (insert into gamepocgen.phase_runs (job_id, phase, status, runtime, agent, worker_id)
                  values ($1, $2, 'running', $4, $3, $5) returning id),
          event as (insert into gamepocgen.job_events (job_id, kind, phase, message) values ($1, 'phase_start', $2, $6))
     select id from run`,
    [run.jobId, run.phase, run.agent, run.runtime, run.workerId, run.message],
  );
  return rows[0]!.id;
}

/** The idea phase completed: the job has its title. */
export async function markIdeaDone(db: Queryable, jobId: number, title: string | null): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'running', title = coalesce($2, title), updated_at = now() where id = $1`,
    [jobId, title],
  );
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
