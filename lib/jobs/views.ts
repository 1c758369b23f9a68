// The reads behind GET /api/jobs/:id and GET /api/jobs, one round trip each.
// The job detail gathers its phase runs, artifact list and comparison rows with
// json_agg subqueries; their timestamps are formatted in SQL exactly as a JS Date
// serialises (UTC, milliseconds, "Z"), so the JSON is the same as when each part
// was its own query (test/read-views.test.ts compares both). Every part is an
// index scan (jobs_pkey, phase_runs_job, artifacts_pkey, jobs_compare_group).
import type { Queryable } from '../db.ts';
import type { PhaseRunRow } from './phase-runs.ts';
import type { JobRow } from './repository.ts';

/** A timestamptz as JSON.stringify(new Date(...)) writes it. */
const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export interface ArtifactSummary {
  path: string;
  size: number;
  sha256: string;
}

export interface ComparisonMember {
  id: number;
  provider: string | null;
  status: string;
  url: string | null;
  title: string | null;
}

/** A phase run as the detail query returns it: the row, with its timestamps already ISO strings. */
export type PhaseRunJson = Omit<PhaseRunRow, 'started_at' | 'finished_at'> & {
  started_at: string;
  finished_at: string | null;
};

export interface JobDetailRow extends JobRow {
  phase_runs: PhaseRunJson[];
  artifact_list: ArtifactSummary[];
  comparison: ComparisonMember[];
}

const JOB_DETAIL_SQL = `
select j.*,
  coalesce((select json_agg(json_build_object(
      'id', r.id, 'job_id', r.job_id, 'phase', r.phase, 'status', r.status, 'runtime', r.runtime, 'agent', r.agent,
      'worker_id', r.worker_id, 'started_at', ${iso('r.started_at')}, 'finished_at', ${iso('r.finished_at')},
      'duration_ms', r.duration_ms, 'agent_ms', r.agent_ms, 'error', r.error, 'usage', r.usage) order by r.id)
    from gamepocgen.phase_runs r where r.job_id = j.id), '[]') as phase_runs,
  coalesce((select json_agg(json_build_object('path', a.path, 'size', octet_length(a.bytes), 'sha256', a.sha256)
      order by a.path)
    from gamepocgen.artifacts a where a.job_id = j.id), '[]') as artifact_list,
  case when j.compare_group is null then '[]'::json else coalesce((select json_agg(json_build_object(
      'id', s.id, 'provider', s.provider, 'status', s.status, 'url', s.url, 'title', s.title) order by s.id)
    from gamepocgen.jobs s where s.compare_group = j.compare_group), '[]') end as comparison
from gamepocgen.jobs j where j.id = $1`;

/** The job with its phase runs, artifacts and comparison, or null when there is no such job. */
export async function getJobDetail(db: Queryable, id: number): Promise<JobDetailRow | null> {
  // Named: each connection prepares it once and reuses the plan (its planning costs more than its execution).
  // A migration that adds a column to jobs changes j.*: that connection's prepared plan then refuses
  // ("cached plan must not change result type", 0A000), and the unnamed query answers instead.
  const { rows } = await db
    .query<JobDetailRow>({ name: 'job-detail', text: JOB_DETAIL_SQL, values: [id] })
    .catch((e: { code?: string }) => {
      if (e.code !== '0A000') throw e;
      return db.query<JobDetailRow>(JOB_DETAIL_SQL, [id]);
    });
  return rows[0] ?? null;
}
