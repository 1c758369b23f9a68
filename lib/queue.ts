// Enqueueing the next step of a chain inside the caller's transaction, with a
// job_key so the same step can never be queued twice.
import { z } from 'zod';
import { PhaseNumber } from './artifacts.ts';
import type { Queryable } from './db.ts';

export const RunPhasePayload = z.object({ jobId: z.number().int().positive(), phase: PhaseNumber });
export const JobIdPayload = z.object({ jobId: z.number().int().positive() });
export type RunPhasePayload = z.infer<typeof RunPhasePayload>;

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
} as const;

export async function enqueue(
  db: Queryable,
  task: string,
  payload: Record<string, unknown>,
  jobKey: string,
  priority = 0,
): Promise<void> {
  await db.query('select graphile_worker.add_job($1, $2::json, job_key := $3, max_attempts := $4, priority := $5)', [
    task,
    JSON.stringify(payload),
    jobKey,
    MAX_ATTEMPTS,
    priority,
  ]);
}

/**
 * Returns a running graphile job to the queue as if it had not been taken: the
 * attempt it used is given back. For a step the runner's shutdown interrupted.
 * graphile-worker's own failJob then finds it unlocked and leaves it alone.
 */
export async function releaseToQueue(db: Queryable, graphileJobId: string, lockedBy: string, reason: string) {
  await db.query(
    `update graphile_worker._private_jobs set locked_at = null, locked_by = null, run_at = now(),
       attempts = greatest(attempts - 1, 0), last_error = $3
      where id = $1 and locked_by = $2`,
    [graphileJobId, lockedBy, reason],
  );
}

export const enqueuePhase = (db: Queryable, jobId: number, phase: PhaseNumber) =>
  enqueue(db, 'run-phase', { jobId, phase }, `job:${jobId}:phase:${phase}`, PRIORITY.phase[phase]);

export const enqueueDeploy = (db: Queryable, jobId: number) =>
  enqueue(db, 'deploy-game', { jobId }, `job:${jobId}:deploy`, PRIORITY.deploy);
