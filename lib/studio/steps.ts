// A job's queued graphile steps (keys `job:<id>:…`, see lib/queue.ts): removing
// them stops a chain. graphile_worker.remove_job deletes a waiting step and, for
// one a runner holds, clears its key and its retries (the runner's own abort
// stops the work itself; see cancel-watch.ts).
import type { Queryable } from '../db.ts';

export async function removePendingSteps(db: Queryable, jobId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(graphile_worker.remove_job(key))::int n from graphile_worker.jobs where key like $1`,
    [`job:${jobId}:%`],
  );
  return rows[0]!.n;
}

/** Deploys the job's current dist/ even when no newer build exists (a restored version, "put on a slot"). */
export async function enqueueForcedDeploy(db: Queryable, jobId: number): Promise<void> {
  await db.query(`select graphile_worker.add_job('deploy-game', $1::json, job_key := $2, max_attempts := 3)`, [
    JSON.stringify({ jobId, force: true }),
    `job:${jobId}:deploy`,
  ]);
}
