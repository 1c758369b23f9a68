// Enqueueing the next step of a chain inside the caller's transaction, with a
// job_key so the same step can never be queued twice.
import { z } from 'zod';
import { PhaseNumber } from './artifacts.ts';
import type { Queryable } from './db.ts';

export const RunPhasePayload = z.object({ jobId: z.number().int().positive(), phase: PhaseNumber });
export const JobIdPayload = z.object({ jobId: z.number().int().positive() });
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
