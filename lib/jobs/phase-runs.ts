// Phase runs: one row per attempt of a phase (gamepocgen.phase_runs).
import type { PhaseNumber } from '../artifacts.ts';
import type { Queryable } from '../db.ts';
import { DIST_PHASES, REPAIR_PHASE } from '../phases.ts';
import type { LeadingWrite } from '../queue/enqueue.ts';

export interface PhaseRunRow {
  id: number;
  job_id: number;
  phase: number;
  status: 'running' | 'completed' | 'failed' | 'timeout';
  runtime: string;
  agent: string | null;
  worker_id: string | null;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  agent_ms: number | null;
  error: string | null;
  usage: Record<string, number>;
}

export async function listPhaseRuns(db: Queryable, jobId: number): Promise<PhaseRunRow[]> {
  const { rows } = await db.query<PhaseRunRow>('select * from gamepocgen.phase_runs where job_id = $1 order by id', [
    jobId,
  ]);
  return rows;
}

/** Whether job `j` has a build (a phase that writes dist/: the build or the repair) newer than its last deploy. */
export const UNDEPLOYED_BUILD_SQL = `exists (
       select 1 from gamepocgen.phase_runs r
        where r.job_id = j.id and r.phase = any('{${DIST_PHASES.join(',')}}'::smallint[]) and r.status = 'completed'
          and r.finished_at > coalesce(j.deployed_at, '-infinity'))`;

/** Whether a build (a phase that writes dist/: the build or the repair) finished after the job was last deployed. */
export async function hasUndeployedBuild(db: Queryable, jobId: number): Promise<boolean> {
  const { rows } = await db.query<{ newer: boolean }>(
    `select ${UNDEPLOYED_BUILD_SQL} as newer from gamepocgen.jobs j where j.id = $1`,
    [jobId],
  );
  return rows[0]?.newer ?? false;
}

export async function startPhaseRun(
  db: Queryable,
  run: { jobId: number; phase: PhaseNumber; runtime: string; agent: string; workerId: string | null },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into gamepocgen.phase_runs (job_id, phase, status, runtime, agent, worker_id)
     values ($1, $2, 'running', $3, $4, $5) returning id`,
    [run.jobId, run.phase, run.runtime, run.agent, run.workerId],
  );
  return rows[0]!.id;
}

export interface FinishedRun {
  status: 'completed' | 'failed' | 'timeout';
  error: string | null;
  durationMs: number;
  agentMs: number;
  usage: Record<string, number>;
}

/** Closing a phase run as a statement of its own, to run alone (finishPhaseRun) or before an add_job (chainNext). */
export function finishPhaseRunWrite(id: number, result: FinishedRun): LeadingWrite {
  return {
    sql: `update gamepocgen.phase_runs set status = $2, error = $3, duration_ms = $4, agent_ms = $5, usage = $6, finished_at = clock_timestamp()
      where id = $1 returning id`,
    params: [
      id,
      result.status,
      result.error,
      Math.round(result.durationMs),
      Math.round(result.agentMs),
      JSON.stringify(result.usage),
    ],
  };
}

export async function finishPhaseRun(db: Queryable, id: number, result: FinishedRun): Promise<void> {
  const { sql, params } = finishPhaseRunWrite(id, result);
  await db.query(sql, params);
}

/** The play-test round a job is on: round 1 follows the build, round k + 1 repair k (1 + completed repairs). */
export async function playtestRound(db: Queryable, jobId: number): Promise<number> {
  const { rows } = await db.query<{ round: number }>(
    `select 1 + count(*)::int as round from gamepocgen.phase_runs where job_id = $1 and phase = $2 and status = 'completed'`,
    [jobId, REPAIR_PHASE],
  );
  return rows[0]!.round;
}
