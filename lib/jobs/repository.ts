// The job repository: small named queries over gamepocgen.jobs (status writes
// are in ./lifecycle.ts, phase runs in ./phase-runs.ts, comparisons in ./comparison.ts).
import type { PlaytestSummary } from '../artifacts.ts';
import type { Queryable } from '../db.ts';
import { jobForPhaseSql, type JobForPhaseRow, type JobStatus } from './lifecycle.ts';

export { JOB_STATUSES, type JobStatus } from './lifecycle.ts';

export interface JobRow {
  id: number;
  idea: string | null;
  genre: string | null;
  /** The genre the idea phase chose (migrations/007_studio.sql); `genre` is what was asked for. */
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

/**
 * JobRow's columns, named: a prepared statement (lib/db.ts namedStatement) that said `j.*` would fail on
 * every later run on its connection once a migration added a column. test/named-statements.test.ts checks
 * this list is the table's.
 */
export const JOB_COLUMNS = [
  'id',
  'idea',
  'genre',
  'game_genre',
  'seed',
  'status',
  'phase',
  'game_name',
  'title',
  'error',
  'agent',
  'slot',
  'url',
  'provider',
  'compare_group',
  'usage',
  'playtest_score',
  'playtest',
  'created_at',
  'updated_at',
  'started_at',
  'deployed_at',
  'finished_at',
] as const satisfies readonly (keyof JobRow)[];
// Every JobRow field is listed (a compile error names the missing one).
const _allColumns: Record<Exclude<keyof JobRow, (typeof JOB_COLUMNS)[number]>, never> = {};
void _allColumns;

/** The job's columns as `alias.column, …` for a select list. */
export const jobColumns = (alias: string) => JOB_COLUMNS.map((c) => `${alias}.${c}`).join(', ');

/**
 * The table's other columns: the job's JSON for the read views, kept by a trigger
 * (migrations/016_job_view_json.sql, lib/jobs/views.ts). Not part of JobRow: JobRow reads name
 * JOB_COLUMNS (JOB_SELECT), never `*`, so they neither carry nor expose it.
 */
export const JOB_VIEW_COLUMNS = ['view_head', 'view_tail'] as const;
const JOB_SELECT = JOB_COLUMNS.join(', ');

/**
 * Jobs queued or running (not yet deployed or ended), counted under a transaction-scoped
 * advisory lock so concurrent callers of a cap check can't both slip under it. Call in a transaction.
 */
export async function lockAndCountActiveJobs(tx: Queryable): Promise<number> {
  await tx.query(`select pg_advisory_xact_lock(hashtext('gamepocgen.queue-cap'))`);
  const { rows } = await tx.query<{ n: number }>(
    `select count(*)::int n from gamepocgen.jobs where status in ('queued', 'running', 'deploying')`,
  );
  return rows[0]!.n;
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

/** The provider spec the job runs on instead of the operator's agent settings (lib/phase-runner.ts phaseAgentEnv). */
export async function setJobProvider(db: Queryable, id: number, provider: string): Promise<void> {
  await db.query('update gamepocgen.jobs set provider = $2 where id = $1', [id, provider]);
}

export async function getJob(db: Queryable, id: number, opts: { forUpdate?: boolean } = {}): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(
    `select ${JOB_SELECT} from gamepocgen.jobs where id = $1${opts.forUpdate ? ' for update' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** The job, whether `phase` already completed for it and whether the phase before did (one round trip, on the hot path). */
export async function getJobForPhase(
  db: Queryable,
  id: number,
  phase: number,
  /** Done means completed this many times (the repair loop runs phase 5 once per repair). */
  times = 1,
): Promise<{ job: JobRow; phaseDone: boolean; previousDone: boolean } | null> {
  const { rows } = await db.query<JobForPhaseRow>(jobForPhaseSql('$3'), [id, phase, times]);
  if (!rows[0]) return null;
  const { phase_done, previous_done, ...job } = rows[0];
  return { job, phaseDone: phase_done, previousDone: previous_done };
}

export async function listJobs(
  db: Queryable,
  q: { status?: JobStatus; genre?: string; limit: number; before?: number },
): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `select ${JOB_SELECT} from gamepocgen.jobs
      where ($1::text is null or status = $1) and ($2::bigint is null or id < $2) and ($4::text is null or coalesce(game_genre, genre) = $4)
      order by id desc limit $3`,
    [q.status ?? null, q.before ?? null, q.limit, q.genre ?? null],
  );
  return rows;
}

/** The genre the idea phase chose, for the gallery's filter and cards. */
export async function setGameGenre(db: Queryable, jobId: number, genre: string | null): Promise<void> {
  if (genre) await db.query('update gamepocgen.jobs set game_genre = $2 where id = $1', [jobId, genre]);
}

/** Whether the job's newest event is `done` (see lib/task-deps.ts defineJobTask). */
export async function isSettled(db: Queryable, jobId: number): Promise<boolean> {
  const { rows } = await db.query<{ kind: string }>(
    'select kind from gamepocgen.job_events where job_id = $1 order by id desc limit 1',
    [jobId],
  );
  return rows[0]?.kind === 'done';
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

/** Titles of games already made, so the next idea can avoid them. */
export async function recentTitles(db: Queryable, limit = 50): Promise<string[]> {
  const { rows } = await db.query<{ title: string }>(
    `select title from gamepocgen.jobs where title is not null order by id desc limit $1`,
    [limit],
  );
  return rows.map((r) => r.title);
}

/** The deployed games, newest deploy first. */
export async function listGames(db: Queryable, limit = 100): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `select ${JOB_SELECT} from gamepocgen.jobs where status = 'deployed' and slot is not null order by deployed_at desc limit $1`,
    [limit],
  );
  return rows;
}

/** The latest play-test's score and summary on the job row. */
export async function setJobPlaytest(
  db: Queryable,
  jobId: number,
  score: number,
  summary: PlaytestSummary,
): Promise<void> {
  await db.query('update gamepocgen.jobs set playtest_score = $2, playtest = $3, updated_at = now() where id = $1', [
    jobId,
    score,
    JSON.stringify(summary),
  ]);
}

/** Ends a repair loop the job's play-test summary still shows as `repairing` (lib/playtest/store.ts), saying why. */
export async function endRepairLoop(db: Queryable, jobId: number, state: string): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set playtest = jsonb_set(playtest, '{loop}', to_jsonb($2::text)), updated_at = now()
      where id = $1 and playtest->>'loop' = 'repairing'`,
    [jobId, state],
  );
}

export async function countJobsByStatus(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'select status, count(*)::int n from gamepocgen.jobs group by status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function countDeployedSince(db: Queryable, interval: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int n from gamepocgen.jobs where deployed_at > now() - $1::interval',
    [interval],
  );
  return rows[0]!.n;
}

/** Token and cost totals over all jobs. */
export async function totalUsage(
  db: Queryable,
): Promise<{ inputTokens: number; outputTokens: number; costUsd: number }> {
  const { rows } = await db.query<{ i: number; o: number; c: number }>(
    `select coalesce(sum((usage->>'inputTokens')::numeric), 0)::float8 i, coalesce(sum((usage->>'outputTokens')::numeric), 0)::float8 o,
            coalesce(sum((usage->>'costUsd')::numeric), 0)::float8 c from gamepocgen.jobs`,
  );
  return { inputTokens: rows[0]!.i, outputTokens: rows[0]!.o, costUsd: rows[0]!.c };
}

/** How many of the jobs `ids` are in one of `statuses`. */
export async function countJobsWithStatus(db: Queryable, ids: number[], statuses: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int n from gamepocgen.jobs where id = any($1) and status = any($2::text[])',
    [ids, statuses],
  );
  return rows[0]!.n;
}

/** Slots assigned to a deployed job: the state the reconciler makes the engine match. */
export async function servedSlots(db: Queryable, slots?: number[]): Promise<Array<{ slot: number; jobId: number }>> {
  const { rows } = await db.query<{ slot: number; job_id: string }>(
    `select s.slot, s.job_id from gamepocgen.slots s join gamepocgen.jobs j on j.id = s.job_id
      where j.status = 'deployed' and ($1::int[] is null or s.slot = any($1::int[]))
      order by s.slot`,
    [slots ?? null],
  );
  return rows.map((r) => ({ slot: r.slot, jobId: Number(r.job_id) }));
}
