// What a deploy decides from, read in one query: the job, whether it is being served (a deploy is then a
// redeploy), whether it is still live, whether it has a build newer than its last deploy and whether that
// build has a dist/index.html. The one copy of the deploy rule: startDeployIfDue (lib/jobs/lifecycle.ts)
// marks a first deploy that is due (FIRST_DEPLOY_DUE_SQL) deploying in the statement that reads these;
// lib/deploy.ts decides every other case (a redeploy, a rollback, a forced deploy) from the same flags,
// with a readable reason.
import type { Queryable } from '../db.ts';
import { UNDEPLOYED_BUILD_SQL } from './phase-runs.ts';
import { jobColumns, type JobRow } from './repository.ts';

/**
 * Job $1 and its deploy flags (see DeployState). A function, as jobColumns is (repository.ts and this
 * module import each other through lifecycle.ts); named columns, not `j.*`, so it can be a prepared statement.
 */
export const deployStateSql = () => `select ${jobColumns('j')},
       (j.status = 'deployed' and j.slot is not null and j.url is not null) as served,
       j.status not in ('failed', 'removed', 'cancelled') as live,
       ${UNDEPLOYED_BUILD_SQL} as newer_build,
       exists (select 1 from gamepocgen.artifacts a where a.job_id = j.id and a.path = 'dist/index.html') as has_index
  from gamepocgen.jobs j where j.id = $1`;

/** A first deploy is due (of a deployStateSql row): not served yet, live, with a newer build that has an index. */
export const FIRST_DEPLOY_DUE_SQL = 'not served and live and newer_build and has_index';

export interface DeployState {
  job: JobRow;
  /** Deployed with a slot and a url: a deploy replaces what its slot serves (a redeploy). */
  served: boolean;
  /** Not failed, removed or cancelled. */
  live: boolean;
  /** A build (or repair) finished after its last deploy. */
  newerBuild: boolean;
  /** Its stored dist/ has an index.html. */
  hasIndex: boolean;
  /** startDeployIfDue marked it deploying (a first deploy that was due); always false from readDeployState. */
  deploying: boolean;
}

export type DeployStateRow = JobRow & { served: boolean; live: boolean; newer_build: boolean; has_index: boolean };

export function deployStateOf(row: DeployStateRow, deploying: boolean): DeployState {
  const { served, live, newer_build, has_index, ...job } = row;
  return { job, served, live, newerBuild: newer_build, hasIndex: has_index, deploying };
}

/** The job and its deploy flags, writing nothing (a rollback, a forced deploy); null when it does not exist. */
export async function readDeployState(db: Queryable, jobId: number): Promise<DeployState | null> {
  const { rows } = await db.query<DeployStateRow>(deployStateSql(), [jobId]);
  return rows[0] ? deployStateOf(rows[0], false) : null;
}
