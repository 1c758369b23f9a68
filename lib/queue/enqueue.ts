// Enqueueing the next step of a chain inside the caller's transaction, with a
// job_key (lib/queue/keys.ts) so the same step can never be queued twice.
import type { PhaseNumber } from '../artifacts.ts';
import type { Queryable } from '../db.ts';
import { jobKeys } from './keys.ts';
import type { TaskName, TaskPayload } from './tasks.ts';

export const MAX_ATTEMPTS = 3;
// After the phases and deploys already queued: play-testing must not hold up building games.
const PLAYTEST_PRIORITY = 10;

export async function enqueue<T extends TaskName>(
  db: Queryable,
  task: T,
  payload: TaskPayload<T>,
  jobKey: string,
  opts: { priority?: number } = {},
): Promise<void> {
  await db.query('select graphile_worker.add_job($1, $2::json, job_key := $3, max_attempts := $4, priority := $5)', [
    task,
    JSON.stringify(payload),
    jobKey,
    MAX_ATTEMPTS,
    opts.priority ?? null,
  ]);
}

export const enqueuePhase = (db: Queryable, jobId: number, phase: PhaseNumber) =>
  enqueue(db, 'run-phase', { jobId, phase }, jobKeys.phase(jobId, phase));

export const enqueueDeploy = (db: Queryable, jobId: number) =>
  enqueue(db, 'deploy-game', { jobId }, jobKeys.deploy(jobId));

/** Repair k of a job's repair loop (lib/playtest/store.ts): its own key, so each repair is a new step. */
export const enqueueRepair = (db: Queryable, jobId: number, repair: number) =>
  enqueue(db, 'run-phase', { jobId, phase: 5, repair }, jobKeys.repair(jobId, repair));

/** Republishes round `round`'s version after round `afterRound` was rolled back. */
export const enqueueRollback = (db: Queryable, jobId: number, round: number, afterRound: number) =>
  enqueue(db, 'deploy-game', { jobId, rollbackTo: round }, jobKeys.rollback(jobId, afterRound));

/** Chained after a deploy; the key names the round so a redeploy after a repair queues a new one. */
export const enqueuePlaytest = (db: Queryable, jobId: number, round: number) =>
  enqueue(db, 'playtest-game', { jobId }, jobKeys.playtest(jobId, round), { priority: PLAYTEST_PRIORITY });

export const enqueueRemoveGame = (db: Queryable, jobId: number, slot: number) =>
  enqueue(db, 'remove-game', { jobId, slot }, jobKeys.removeGame(slot, jobId));
