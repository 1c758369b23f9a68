// Every read and write of graphile-worker's own schema outside add_job: through
// its public `graphile_worker.jobs` view and `force_unlock_workers()` where they
// exist. One private write remains (exhaustAttempts), explained there.
import type { Queryable } from '../db.ts';
import { jobKeys } from './keys.ts';

/** Queue jobs waiting to run (not locked, attempts left), as a scalar subquery (lib/health.ts composes it). */
export const QUEUE_DEPTH_SQL =
  'select count(*)::int from graphile_worker.jobs where locked_at is null and attempts < max_attempts';

export async function queueDepth(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select (${QUEUE_DEPTH_SQL}) n`);
  return rows[0]!.n;
}

/** Whether any queue job for this job (a phase, deploy, play-test…) other than `exceptKey` is queued or running. */
export async function hasPendingSteps(db: Queryable, jobId: number, exceptKey: string | null = null): Promise<boolean> {
  const { rows } = await db.query<{ pending: boolean }>(
    `select exists (select 1 from graphile_worker.jobs
                     where key like $1 and key is distinct from $2 and attempts < max_attempts) as pending`,
    [jobKeys.anyStepOf(jobId), exceptKey],
  );
  return rows[0]!.pending;
}

/** Returns the queue jobs (and queues) locked by these graphile worker ids to the queue; how many jobs were locked. */
export async function unlockWorkers(db: Queryable, workerIds: string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int n from graphile_worker.jobs where locked_by = any($1::text[])',
    [workerIds],
  );
  await db.query('select graphile_worker.force_unlock_workers($1::text[])', [workerIds]);
  // Wake idle runners now rather than at their next poll: graphile-worker has no
  // public "wake up" call; add_job sends this same notice for every new job.
  await db.query(`select pg_notify('jobs:insert', '{"r":1}')`);
  return rows[0]!.n;
}

/**
 * Returns a running queue job to the queue as if it had not been taken: the
 * attempt it used is given back. For a step the runner's shutdown interrupted;
 * graphile-worker's own failJob then finds it unlocked and leaves it alone.
 * A private write: force_unlock_workers() would release every job of the
 * worker pool, and no public function gives an attempt back.
 */
export async function releaseToQueue(db: Queryable, queueJobId: string, lockedBy: string, reason: string) {
  await db.query(
    `update graphile_worker._private_jobs set locked_at = null, locked_by = null, run_at = now(),
       attempts = greatest(attempts - 1, 0), last_error = $3
      where id = $1 and locked_by = $2`,
    [queueJobId, lockedBy, reason],
  );
}

/**
 * After a lost connection: jobs these worker ids still have locked but this
 * process no longer runs (their completion or failure was lost with the
 * connection) go back to the queue. A private write, as releaseToQueue: the
 * same pools keep running the jobs in `activeIds`.
 */
export async function releaseStrandedJobs(db: Queryable, workerIds: string[], activeIds: string[]): Promise<number> {
  const { rowCount } = await db.query(
    `update graphile_worker._private_jobs set locked_at = null, locked_by = null, run_at = now()
      where locked_by = any($1::text[]) and not (id = any($2::bigint[])) and locked_at < now()`,
    [workerIds, activeIds],
  );
  return rowCount ?? 0;
}

/**
 * Marks a running queue job as out of attempts, so the failure being thrown is
 * its last. The one private write: the public `permanently_fail_jobs()` skips
 * locked jobs, and this job is locked by the very runner calling us.
 */
export async function exhaustAttempts(db: Queryable, queueJobId: string): Promise<void> {
  await db.query('update graphile_worker._private_jobs set max_attempts = attempts where id = $1', [queueJobId]);
}

/**
 * Removes a job's queued steps (lib/studio/cancel.ts, retry.ts): graphile_worker.remove_job deletes
 * a waiting step and, for one a runner holds, clears its key and its retries (the runner's abort
 * stops the work itself). Returns how many steps there were.
 */
export async function removePendingSteps(db: Queryable, jobId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(graphile_worker.remove_job(key))::int n from graphile_worker.jobs where key like $1',
    [jobKeys.anyStepOf(jobId)],
  );
  return rows[0]!.n;
}
