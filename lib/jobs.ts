// The job repository: small named queries over gamepocgen.jobs and phase_runs.
import type { PhaseNumber, PlaytestSummary } from './artifacts.ts';
import type { Queryable } from './db.ts';

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

export interface JobRow {
  id: number;
  idea: string | null;
  genre: string | null;
  /** The genre the idea phase chose (migrations/006_studio.sql). */
  game_genre: string | null;
  seed: number;
  status: JobStatus;
  phase: number;
  game_name: string;
  title: string | null;
  error: string | null;
  agent: string | null;
  slot: number | null;
  url: string | null;
  provider: string | null;
  compare_group: number | null;
  usage: Record<string, number>;
  /** The latest play-test (migrations/005_playtest.sql); null until one ran. */
  playtest_score: number | null;
  playtest: PlaytestSummary | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  deployed_at: Date | null;
  finished_at: Date | null;
}

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

/** Creates a job and enqueues its phase 1 in the caller's transaction (via the SQL function psql users call too). */
export async function createJob(
  db: Queryable,
  input: { idea: string | null; genre: string | null; seed: number | null },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>('select gamepocgen.generate_game($1, $2, $3) as id', [
    input.idea,
    input.genre,
    input.seed,
  ]);
  return rows[0]!.id;
}

export async function getJob(db: Queryable, id: number, opts: { forUpdate?: boolean } = {}): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(
    `select * from gamepocgen.jobs where id = $1${opts.forUpdate ? ' for update' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** The job and whether `phase` already completed for it (one round trip, on the hot path). */
export async function getJobForPhase(
  db: Queryable,
  id: number,
  phase: number,
): Promise<{ job: JobRow; phaseDone: boolean } | null> {
  const { rows } = await db.query<JobRow & { phase_done: boolean }>(
    // A repair (5) is done only if one completed since the last deploy: each feedback or repair round runs anew.
    `select j.*, exists (select 1 from gamepocgen.phase_runs r where r.job_id = j.id and r.phase = $2 and r.status = 'completed'
                   and ($2 < 5 or r.finished_at > coalesce(j.deployed_at, '-infinity'))) as phase_done
       from gamepocgen.jobs j where j.id = $1`,
    [id, phase],
  );
  if (!rows[0]) return null;
  const { phase_done, ...job } = rows[0];
  return { job, phaseDone: phase_done };
}

export async function listJobs(
  db: Queryable,
  q: { status?: JobStatus; genre?: string; limit: number; before?: number },
): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `select * from gamepocgen.jobs
      where ($1::text is null or status = $1) and ($2::bigint is null or id < $2) and ($4::text is null or coalesce(game_genre, genre) = $4)
      order by id desc limit $3`,
    [q.status ?? null, q.before ?? null, q.limit, q.genre ?? null],
  );
  return rows;
}

export async function listPhaseRuns(db: Queryable, jobId: number): Promise<PhaseRunRow[]> {
  const { rows } = await db.query<PhaseRunRow>('select * from gamepocgen.phase_runs where job_id = $1 order by id', [
    jobId,
  ]);
  return rows;
}

export async function markJobRunning(db: Queryable, jobId: number, phase: PhaseNumber, agent: string): Promise<void> {
  await db.query(
    // A deployed game being repaired stays deployed (and playable) meanwhile.
    `update gamepocgen.jobs set status = case when status = 'deployed' then 'deployed' else 'running' end, phase = $2, agent = $3, error = null,
       started_at = coalesce(started_at, now()), updated_at = now() where id = $1`,
    [jobId, phase, agent],
  );
}

/** Whether a build (phase 4 or a repair) finished after the job was last deployed. */
export async function hasUndeployedBuild(db: Queryable, jobId: number): Promise<boolean> {
  const { rows } = await db.query<{ newer: boolean }>(
    `select exists (
       select 1 from gamepocgen.phase_runs r join gamepocgen.jobs j on j.id = r.job_id
        where r.job_id = $1 and r.phase in (4, 5) and r.status = 'completed'
          and r.finished_at > coalesce(j.deployed_at, '-infinity')) as newer`,
    [jobId],
  );
  return rows[0]!.newer;
}

/** Whether any graphile job for this job (a phase, deploy, play-test…) other than `exceptKey` is queued or running. */
export async function hasPendingSteps(db: Queryable, jobId: number, exceptKey: string | null = null): Promise<boolean> {
  const { rows } = await db.query<{ pending: boolean }>(
    `select exists (select 1 from graphile_worker._private_jobs
                     where key like $1 and key is distinct from $2 and attempts < max_attempts) as pending`,
    [`job:${jobId}:%`, exceptKey],
  );
  return rows[0]!.pending;
}

/** Whether the job's newest event is `done` (see lib/task-deps.ts defineJobTask). */
export async function isSettled(db: Queryable, jobId: number): Promise<boolean> {
  const { rows } = await db.query<{ kind: string }>(
    'select kind from gamepocgen.job_events where job_id = $1 order by id desc limit 1',
    [jobId],
  );
  return rows[0]?.kind === 'done';
}

export async function setJobStatus(
  db: Queryable,
  jobId: number,
  status: JobStatus,
  fields: { title?: string | null } = {},
): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = $2, title = coalesce($3, title), updated_at = now(),
       finished_at = case when $2 in ('deployed', 'failed') then now() else finished_at end
     where id = $1`,
    [jobId, status, fields.title ?? null],
  );
}

/** The genre the idea phase chose (jobs.genre stays what was asked for), for filters and cards. */
export async function setGameGenre(db: Queryable, jobId: number, genre: string | null): Promise<void> {
  if (genre) await db.query('update gamepocgen.jobs set game_genre = $2 where id = $1', [jobId, genre]);
}

export async function failJob(db: Queryable, jobId: number, reason: string): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'failed', error = $2, updated_at = now(), finished_at = now()
      where id = $1 and status not in ('failed', 'removed', 'cancelled')`,
    [jobId, reason.slice(0, 4000)],
  );
}

export async function addJobUsage(db: Queryable, jobId: number, usage: Record<string, number>): Promise<void> {
  // Sums each numeric key into jobs.usage.
  await db.query(
    `update gamepocgen.jobs j set usage = (
       select coalesce(jsonb_object_agg(k, coalesce((j.usage->>k)::numeric, 0) + coalesce((($2::jsonb)->>k)::numeric, 0)), '{}')
         from (select jsonb_object_keys(j.usage || $2::jsonb) k) keys)
     where id = $1`,
    [jobId, JSON.stringify(usage)],
  );
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

export async function finishPhaseRun(
  db: Queryable,
  id: number,
  result: {
    status: 'completed' | 'failed' | 'timeout';
    error: string | null;
    durationMs: number;
    agentMs: number;
    usage: Record<string, number>;
  },
): Promise<void> {
  await db.query(
    `update gamepocgen.phase_runs set status = $2, error = $3, duration_ms = $4, agent_ms = $5, usage = $6, finished_at = clock_timestamp()
      where id = $1`,
    [
      id,
      result.status,
      result.error,
      Math.round(result.durationMs),
      Math.round(result.agentMs),
      JSON.stringify(result.usage),
    ],
  );
}

/** Titles of games already made, so the next idea can avoid them. */
export async function recentTitles(db: Queryable, limit = 50): Promise<string[]> {
  const { rows } = await db.query<{ title: string }>(
    `select title from gamepocgen.jobs where title is not null order by id desc limit $1`,
    [limit],
  );
  return rows.map((r) => r.title);
}
