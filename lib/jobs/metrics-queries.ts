// The queries behind GET /metrics: jobs, phase runs, slots and play-test verdicts
// counted in Postgres at scrape time (lib/metrics.ts turns them into families).
import type { Queryable } from '../db.ts';

/** Upper bounds (seconds) of the phase duration histogram: a builtin phase takes well under a second, an LLM one minutes. */
export const PHASE_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 900];

export async function jobsByStatus(db: Queryable) {
  const { rows } = await db.query<{ status: string; n: number }>(
    'select status, count(*)::int n from gamepocgen.jobs group by status',
  );
  return rows;
}

export async function runningPhases(db: Queryable) {
  const { rows } = await db.query<{ runtime: string; n: number }>(
    `select runtime, count(*)::int n from gamepocgen.phase_runs where status = 'running' group by runtime`,
  );
  return rows;
}

export async function slotUsage(db: Queryable) {
  const { rows } = await db.query<{ used: number; free: number }>(
    'select count(job_id)::int used, (count(*) - count(job_id))::int free from gamepocgen.slots',
  );
  return rows[0] ?? { used: 0, free: 0 };
}

export async function playtestVerdicts(db: Queryable) {
  const { rows } = await db.query<{ verdict: string; n: number }>(
    `select case when (playtest->>'passed')::boolean then 'passed' else 'failed' end verdict, count(*)::int n
       from gamepocgen.jobs where playtest is not null group by 1`,
  );
  return rows;
}

export async function phaseDurationBuckets(db: Queryable) {
  const { rows } = await db.query<{ phase: number; agent: string; buckets: number[]; sum: number; count: number }>(
    `select phase, agent, array_agg(n order by b) buckets, max(total) sum, max(runs) count
       from (select r.phase, coalesce(r.agent, 'unknown') agent, b,
                    count(*) filter (where r.duration_ms <= b * 1000)::int n,
                    sum(r.duration_ms)::float8 / 1000 total, count(*)::int runs
               from gamepocgen.phase_runs r cross join unnest($1::float8[]) b
              where r.status <> 'running' and r.duration_ms is not null
              group by 1, 2, 3) per_bucket
      group by phase, agent`,
    [PHASE_BUCKETS],
  );
  return rows.map((r) => ({ ...r, buckets: r.buckets.map(Number) }));
}
