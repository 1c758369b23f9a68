// Enqueueing the next step of a chain inside the caller's transaction, with a
// job_key so the same step can never be queued twice.
import { z } from 'zod';
import { PhaseNumber } from './artifacts.ts';
import type { Queryable } from './db.ts';

export const RunPhasePayload = z.object({
  jobId: z.number().int().positive(),
  phase: PhaseNumber,
  /** Phase 5 only: which repair of the loop this is (1, 2, …); done once that many repairs completed. */
  repair: z.number().int().min(1).max(20).optional(),
});
export const JobIdPayload = z.object({ jobId: z.number().int().positive() });
/** `deploy-game`: with `rollbackTo`, republishes an earlier play-tested version (already judged, so no play-test follows). */
export const DeployPayload = JobIdPayload.extend({ rollbackTo: z.number().int().min(1).max(20).optional() });
export type DeployPayload = z.infer<typeof DeployPayload>;
export type RunPhasePayload = z.infer<typeof RunPhasePayload>;

export const MAX_ATTEMPTS = 3;

export async function enqueue(
  db: Queryable,
  task: string,
  payload: Record<string, unknown>,
  jobKey: string,
): Promise<void> {
  await db.query('select graphile_worker.add_job($1, $2::json, job_key := $3, max_attempts := $4)', [
    task,
    JSON.stringify(payload),
    jobKey,
    MAX_ATTEMPTS,
  ]);
}

export const enqueuePhase = (db: Queryable, jobId: number, phase: PhaseNumber) =>
  enqueue(db, 'run-phase', { jobId, phase }, `job:${jobId}:phase:${phase}`);

export const enqueueDeploy = (db: Queryable, jobId: number) =>
  enqueue(db, 'deploy-game', { jobId }, `job:${jobId}:deploy`);

/** Repair N of a job's repair loop (lib/playtest/store.ts): its own key, so each repair is a new step. */
export const enqueueRepair = (db: Queryable, jobId: number, repair: number) =>
  enqueue(db, 'run-phase', { jobId, phase: 5, repair }, `job:${jobId}:phase:5:repair:${repair}`);

/** Republishes round `round`'s version after round `after` was rolled back. */
export const enqueueRollback = (db: Queryable, jobId: number, round: number, after: number) =>
  enqueue(db, 'deploy-game', { jobId, rollbackTo: round }, `job:${jobId}:rollback:${after}`);
