// Enqueueing the next step of a chain inside the caller's transaction, with a
// job_key (lib/queue/keys.ts) so the same step can never be queued twice.
import type { PhaseNumber } from '../artifacts.ts';
import { namedStatement, type Queryable } from '../db.ts';
import { jobKeys } from './keys.ts';
import type { TaskName, TaskPayload } from './tasks.ts';

export const MAX_ATTEMPTS = 3;

/**
 * A fair queue: graphile-worker runs lower priority numbers first, so each step
 * further along a job's chain outranks the steps before it, and every later step
 * outranks phase 1 of a new job (0, add_job's default, which
 * gamepocgen.generate_game uses). Under a backlog the started games then finish
 * one after another instead of every job creeping through phase 1, then phase 2, ….
 */
export const PRIORITY = {
  phase: { 1: 0, 2: -1, 3: -2, 4: -3, 5: -6 } satisfies Record<PhaseNumber, number>,
  deploy: -4,
  playtest: -5,
  /** An operator's removal: ahead of the pipeline. */
  removeGame: -10,
  /** The reaper (crontab `?priority=-20`, and the run scheduled after a Postgres restart). */
  reaper: -20,
} as const;

/**
 * A write that runs in the same statement as an add_job, just before it (one round trip for both): its SQL
 * uses its own parameters from $1 and must end in `returning …`.
 */
export interface LeadingWrite {
  sql: string;
  params: unknown[];
}

export async function enqueue<T extends TaskName>(
  db: Queryable,
  task: T,
  payload: TaskPayload<T>,
  jobKey: string,
  opts: { priority?: number; leading?: LeadingWrite } = {},
): Promise<void> {
  const lead = opts.leading;
  const at = (i: number) => `$${(lead?.params.length ?? 0) + i}`;
  const addJob = `graphile_worker.add_job(${at(1)}, ${at(2)}::json, job_key := ${at(3)}, max_attempts := ${at(4)}, priority := ${at(5)})`;
  // The main query reads the leading write's rows, so it runs to completion before the add_job.
  // Named (prepared once per connection, lib/db.ts): it is on the hand-off's critical path.
  await db.query(
    namedStatement(
      lead ? `with lead as (${lead.sql}) select ${addJob} from (select count(*) from lead) done` : `select ${addJob}`,
      [...(lead?.params ?? []), task, JSON.stringify(payload), jobKey, MAX_ATTEMPTS, opts.priority ?? null],
    ),
  );
}

export const enqueuePhase = (db: Queryable, jobId: number, phase: PhaseNumber, leading?: LeadingWrite) =>
  enqueue(db, 'run-phase', { jobId, phase }, jobKeys.phase(jobId, phase), { priority: PRIORITY.phase[phase], leading });

export const enqueueDeploy = (db: Queryable, jobId: number, leading?: LeadingWrite) =>
  enqueue(db, 'deploy-game', { jobId }, jobKeys.deploy(jobId), { priority: PRIORITY.deploy, leading });

/** Deploys the job's current dist/ even when no newer build exists (a restored version, "put on a slot"). */
export const enqueueForcedDeploy = (db: Queryable, jobId: number) =>
  enqueue(db, 'deploy-game', { jobId, force: true }, jobKeys.deploy(jobId));

/** Repair k of a job's repair loop (lib/playtest/store.ts): its own key, so each repair is a new step. */
export const enqueueRepair = (db: Queryable, jobId: number, repair: number, leading?: LeadingWrite) =>
  enqueue(db, 'run-phase', { jobId, phase: 5, repair }, jobKeys.repair(jobId, repair), {
    priority: PRIORITY.phase[5],
    leading,
  });

/** Republishes round `round`'s version after round `afterRound` was rolled back. */
export const enqueueRollback = (
  db: Queryable,
  jobId: number,
  round: number,
  afterRound: number,
  leading?: LeadingWrite,
) =>
  enqueue(db, 'deploy-game', { jobId, rollbackTo: round }, jobKeys.rollback(jobId, afterRound), {
    priority: PRIORITY.deploy,
    leading,
  });

/** Chained after a deploy; the key names the round so a redeploy after a repair queues a new one. */
export const enqueuePlaytest = (db: Queryable, jobId: number, round: number, leading?: LeadingWrite) =>
  enqueue(db, 'playtest-game', { jobId }, jobKeys.playtest(jobId, round), { priority: PRIORITY.playtest, leading });

export const enqueueRemoveGame = (db: Queryable, jobId: number, slot: number) =>
  enqueue(db, 'remove-game', { jobId, slot }, jobKeys.removeGame(slot, jobId), { priority: PRIORITY.removeGame });

/** A reconcile pass for a games-host runner (asked for by a reaper pass on an extra worker host); one queued at most. */
export const enqueueReconcile = (db: Queryable) =>
  enqueue(db, 'reconcile-slots', {}, jobKeys.reconcileSlots, { priority: PRIORITY.reaper });

/**
 * After a Postgres restart: one reaper run at the end of the runners' reconnect
 * grace, for runners that did not come back (scheduled, not polled for). One per
 * restart, whoever reconnects first (job key).
 */
export async function scheduleReapAfterRestart(db: Queryable, graceSeconds: number): Promise<void> {
  await db.query(
    `select graphile_worker.add_job('reap-containers', '{}'::json, job_key := 'reap:after-restart', priority := $2,
       run_at := pg_postmaster_start_time() + make_interval(secs => $1 + 1))
      where pg_postmaster_start_time() > now() - make_interval(secs => $1)`,
    [graceSeconds, PRIORITY.reaper],
  );
}
