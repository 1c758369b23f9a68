// The reads behind GET /api/jobs/:id and GET /api/jobs, one round trip each, with
// the response's JSON text built by Postgres: the API passes it through (ETag, write)
// instead of parsing every column (dates, jsonb) into objects and
// serialising them again, which was most of a list read's CPU. The objects have the
// keys, order and values of lib/job-view.ts's jobView/phaseRunView (plus archiveUrl,
// phases, artifacts, comparison); timestamps are formatted exactly as a JS Date
// serialises (UTC, milliseconds, "Z"). test/read-views.test.ts holds both to the
// JSON the per-part queries and JS views give. Both are named statements (each
// connection plans them once); every part is an index scan (jobs_pkey,
// phase_runs_job, artifacts_pkey, jobs_compare_group).
import { createHash } from 'node:crypto';
import type { Queryable } from '../db.ts';
import { PHASES, type PhaseNo } from '../phases.ts';
import type { JobStatus } from './lifecycle.ts';

/** A timestamptz as JSON.stringify(new Date(...)) writes it. */
const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Phase names by number, for `($1::text[])[phase]` (null for 0, before any phase). */
const PHASE_NAMES = (Object.keys(PHASES).map(Number) as PhaseNo[]).sort((a, b) => a - b).map((n) => PHASES[n].name);

/** Where a job's archived game is served: prefix || id || suffix (functions/archive.ts archiveUrlParts). */
export interface ArchiveUrlParts {
  prefix: string;
  suffix: string;
}

/**
 * jobView(j) and archiveUrl as columns named and ordered as its JSON keys: json_agg/row_to_json of
 * a row of these (a third of the Postgres CPU of json_build_object, which looks up every argument's
 * type on every row). $1 = phase names, $2/$3 = archive URL prefix/suffix.
 */
const jobColumns = (j: string) => `
  ${j}.id, ${j}.idea, ${j}.genre, coalesce(${j}.game_genre, ${j}.genre) as "gameGenre",
  ${j}.seed, ${j}.status, ${j}.phase, ($1::text[])[${j}.phase] as "phaseName",
  ${j}.title, ${j}.error, ${j}.agent, ${j}.slot, ${j}.url,
  ${j}.provider, ${j}.compare_group as "compareGroup", ${j}.usage, ${j}.playtest,
  ${iso(`${j}.created_at`)} as "createdAt", ${iso(`${j}.started_at`)} as "startedAt",
  ${iso(`${j}.deployed_at`)} as "deployedAt", ${iso(`${j}.finished_at`)} as "finishedAt",
  $2::text || ${j}.id || $3::text as "archiveUrl"`;

/**
 * The job view's version: what changes whenever its JSON can. Every row the view reads (the job, its
 * phase runs, its artifacts, its comparison group's jobs) is listed by its xmin, the transaction that
 * wrote that row version: an insert or update brings a transaction id the list did not hold, a delete
 * shortens it, so any change to any of those rows changes the list (a write that changes nothing the
 * view shows changes it too: a needless 200, never a stale 304). Postgres keeps a row's xmin through
 * VACUUM FREEZE (test/job-etag.test.ts); only a row rewritten by a transaction whose 32-bit id has come
 * round again, four billion transactions later, could repeat a list. JOB_VERSION_SQL reads no JSON,
 * timestamps or bytes; JOB_DETAIL_SQL lists the same xmins, in the same order, from the scans that
 * build the view. `xmins` are the three lists (null when empty).
 */
const version = (j: string, xmins: [string, string, string]) =>
  `md5(${j}.xmin::text || '|' || ${xmins.map((x) => `coalesce(${x}, '')`).join(" || '|' || ")})`;

const JOB_VERSION_SQL = `
select ${version('j', [
  "(select string_agg(r.xmin::text, ',' order by r.id) from gamepocgen.phase_runs r where r.job_id = j.id)",
  "(select string_agg(a.xmin::text, ',' order by a.path) from gamepocgen.artifacts a where a.job_id = j.id)",
  "(select string_agg(s.xmin::text, ',' order by s.id) from gamepocgen.jobs s where s.compare_group = j.compare_group)",
])} as version
from gamepocgen.jobs j where j.id = $1`;

// Each part's rows are read once, for its JSON and its xmins.
const JOB_DETAIL_SQL = `
select ${version('j', ['pr.xmins', 'ar.xmins', 'cg.xmins'])} as version,
  (select row_to_json(v)::text from (select ${jobColumns('j')}, coalesce(pr.json, '[]') as phases,
    coalesce(ar.json, '[]') as artifacts, coalesce(cg.json, '[]') as comparison) v) as json
from gamepocgen.jobs j
cross join lateral (select json_agg((select x from (select r.phase, ($1::text[])[r.phase] as name, r.status,
      r.runtime, r.agent, ${iso('r.started_at')} as "startedAt", ${iso('r.finished_at')} as "finishedAt",
      r.duration_ms as "durationMs", r.agent_ms as "agentMs", r.error, r.usage) x) order by r.id) as json,
    string_agg(r.xmin::text, ',' order by r.id) as xmins
  from gamepocgen.phase_runs r where r.job_id = j.id) pr
cross join lateral (select json_agg((select x from (select a.path, octet_length(a.bytes) as size, a.sha256) x)
      order by a.path) as json, string_agg(a.xmin::text, ',' order by a.path) as xmins
  from gamepocgen.artifacts a where a.job_id = j.id) ar
cross join lateral (select json_agg((select x from (select s.id, s.provider, s.status, s.url, s.title) x)
      order by s.id) as json, string_agg(s.xmin::text, ',' order by s.id) as xmins
  from gamepocgen.jobs s where s.compare_group = j.compare_group) cg
where j.id = $4`;

/** GET /api/jobs/:id's view, as built by this code for these archive URLs: part of every version tag. */
export function jobDetailFormat(archive: ArchiveUrlParts): string {
  const format = JSON.stringify([JOB_DETAIL_SQL, JOB_VERSION_SQL, PHASE_NAMES, archive.prefix, archive.suffix]);
  return createHash('sha1').update(format).digest('base64url').slice(0, 10);
}

/** The job's version (the one jobDetailJson gives with its view), or null when there is no such job. */
export async function jobVersion(db: Queryable, id: number): Promise<string | null> {
  const { rows } = await db.query<{ version: string }>({ name: 'job-version', text: JOB_VERSION_SQL, values: [id] });
  return rows[0]?.version ?? null;
}

/** The body of GET /api/jobs/:id ({"job": …}) as JSON text with its version, or null when there is no such job. */
export async function jobDetailJson(
  db: Queryable,
  id: number,
  archive: ArchiveUrlParts,
): Promise<{ version: string; json: string } | null> {
  // Named: each connection prepares it once and reuses the plan (its planning costs more than its execution).
  const { rows } = await db.query<{ version: string; json: string }>({
    name: 'job-detail-json',
    text: JOB_DETAIL_SQL,
    values: [PHASE_NAMES, archive.prefix, archive.suffix, id],
  });
  const row = rows[0];
  return row ? { version: row.version, json: `{"job":${row.json}}` } : null;
}

// The page is chosen first (an index scan down jobs_pkey, sargable with or without a cursor, so the
// statement's generic plan uses it too) and only its rows are turned into JSON.
const JOB_LIST_SQL = `
select coalesce(json_agg(v order by v.id desc), '[]')::text as jobs, count(*)::int as n, min(v.id) as last_id
from (select ${jobColumns('j')} from (select * from gamepocgen.jobs
    where id < coalesce($5::bigint, 9223372036854775807) and ($4::text is null or status = $4)
      and ($7::text is null or coalesce(game_genre, genre) = $7)
    order by id desc limit $6) j) v`;

/** The body of GET /api/jobs ({"jobs": […], "nextCursor": …}) as JSON text: newest first, keyset-paged by id. */
export async function jobListJson(
  db: Queryable,
  q: { status?: JobStatus; genre?: string; limit: number; before?: number },
  archive: ArchiveUrlParts,
): Promise<string> {
  const { rows } = await db.query<{ jobs: string; n: number; last_id: number | null }>({
    name: 'job-list-json',
    text: JOB_LIST_SQL,
    values: [PHASE_NAMES, archive.prefix, archive.suffix, q.status ?? null, q.before ?? null, q.limit, q.genre ?? null],
  });
  const { jobs, n, last_id } = rows[0]!;
  // A full page may have more after it: the cursor is its last (oldest) id, a string as before.
  const nextCursor = n === q.limit && last_id !== null ? JSON.stringify(String(last_id)) : 'null';
  return `{"jobs":${jobs},"nextCursor":${nextCursor}}`;
}
