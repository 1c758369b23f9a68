// The reads behind GET /api/jobs/:id and GET /api/jobs, one round trip each, with
// the response's JSON text built by Postgres: the API passes it through (ETag, write)
// instead of parsing every column (dates, jsonb) into objects and
// serialising them again, which was most of a list read's CPU. The job's own object
// (lib/job-view.ts's jobView) is kept on its row, in two pieces around phaseName, by a
// trigger (migrations/016_job_view_json.sql): reads concatenate it with phaseName and
// archiveUrl instead of building it (to_char and row_to_json per row were most of a
// list read's Postgres CPU). The detail adds phases (phaseRunView), artifacts and
// comparison, built here; timestamps are formatted exactly as a JS Date serialises
// (UTC, milliseconds, "Z"). test/read-views.test.ts holds both to the JSON the
// per-part queries and JS views give, and test/view-json.test.ts to the bytes the
// statements built before the trigger gave. Both are named statements (each
// connection plans them once); every part is an index scan (jobs_pkey,
// phase_runs_job, artifacts_pkey, jobs_compare_group).
import { createHash } from 'node:crypto';
import type { Queryable } from '../db.ts';
import { PHASES, type PhaseNo } from '../phases.ts';
import type { JobStatus } from './lifecycle.ts';

/** A timestamptz as JSON.stringify(new Date(...)) writes it. */
const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Phase names by number, for a phase run's `($5::text[])[phase]`. */
const PHASE_NAMES = (Object.keys(PHASES).map(Number) as PhaseNo[]).sort((a, b) => a - b).map((n) => PHASES[n].name);

/**
 * What goes between a job's view_head and view_tail for each phase number, for `($1::text[])[phase]`:
 * `,"phaseName":"<name>",` (the fallback, `,"phaseName":null,`, is for phase 0, before any phase).
 */
const PHASE_NAME_JSON = PHASE_NAMES.map((name) => `,"phaseName":${JSON.stringify(name)},`);

/** Where a job's archived game is served: prefix || id || suffix (functions/archive.ts archiveUrlParts). */
export interface ArchiveUrlParts {
  prefix: string;
  suffix: string;
}

/** A string's JSON escape without its quotes: JSON.stringify(a + b) is `"` + inJson(a) + inJson(b) + `"`. */
const inJson = (s: string) => JSON.stringify(s).slice(1, -1);

/**
 * A job's JSON object (jobView plus archiveUrl), still open after archiveUrl: its row's pieces
 * (migrations/016_job_view_json.sql) with phaseName from $1 (PHASE_NAME_JSON) and archiveUrl from
 * $2/$3 (archiveJson). For a page of 50, concatenating stored text is a quarter of the Postgres CPU of
 * building the objects (bench/read-statements.ts).
 */
const jobJsonOpen = (j: string) =>
  `${j}.view_head || coalesce(($1::text[])[${j}.phase], ',"phaseName":null,') || ${j}.view_tail || $2::text || ${j}.id::text || $3::text`;

/** $2 and $3 of jobJsonOpen: `,"archiveUrl":"<prefix>` and `<suffix>"`, JSON-escaped. */
const archiveJson = (archive: ArchiveUrlParts) => [
  `,"archiveUrl":"${inJson(archive.prefix)}`,
  `${inJson(archive.suffix)}"`,
];

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
  ${jobJsonOpen('j')} || ',"phases":' || coalesce(pr.json::text, '[]') || ',"artifacts":' || coalesce(ar.json::text, '[]')
    || ',"comparison":' || coalesce(cg.json::text, '[]') || '}' as json
from gamepocgen.jobs j
cross join lateral (select json_agg((select x from (select r.phase, ($5::text[])[r.phase] as name, r.status,
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
  const format = JSON.stringify([JOB_DETAIL_SQL, JOB_VERSION_SQL, PHASE_NAME_JSON, archive.prefix, archive.suffix]);
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
    values: [PHASE_NAME_JSON, ...archiveJson(archive), id, PHASE_NAMES],
  });
  const row = rows[0];
  return row ? { version: row.version, json: `{"job":${row.json}}` } : null;
}

/** The most jobs a page holds (functions/jobs.ts ListQuery): a bound on the page the planner can see. */
export const JOB_LIST_MAX = 200;

/**
 * The list statement for the filters a request has, one text (and name) per combination: $1–$3 as
 * jobJsonOpen, $4 the cursor (null: from the newest), $5 the limit, then the status and the genre when
 * given. The page is chosen first (an index scan down jobs_pkey, sargable with or without a cursor) and
 * only its rows' JSON is read, joined as json_agg joins objects (", \n "), so the body is byte for byte
 * what json_agg gave. With only the clauses it needs and the constant bound under the limit, the plan
 * Postgres keeps for a prepared statement (generic: planned once per connection) costs what a per-call
 * one does at any table size, so it is used, instead of planning every call (a third of its CPU).
 */
const jobListSql = (status: boolean, genre: boolean) => `
select coalesce('[' || string_agg(${jobJsonOpen('j')} || '}', E', \\n ' order by j.id desc) || ']', '[]') as jobs,
  count(*)::int as n, min(j.id) as last_id
from (select * from (select id, phase, view_head, view_tail from gamepocgen.jobs
    where id < coalesce($4::bigint, 9223372036854775807)${status ? ' and status = $6' : ''}${
      genre ? ` and coalesce(game_genre, genre) = $${status ? 7 : 6}` : ''
    }
    order by id desc limit ${JOB_LIST_MAX}) page order by id desc limit $5) j`;

/** Each combination's statement, by `s` (status) and `g` (genre): named, so each connection prepares it once. */
const LIST_STATEMENTS = new Map(
  ['', 's', 'g', 'sg'].map((key) => [
    key,
    { name: `job-list-json-${key}`, text: jobListSql(key.includes('s'), key.includes('g')) },
  ]),
);

/** The body of GET /api/jobs ({"jobs": […], "nextCursor": …}) as JSON text: newest first, keyset-paged by id. */
export async function jobListJson(
  db: Queryable,
  q: { status?: JobStatus; genre?: string; limit: number; before?: number },
  archive: ArchiveUrlParts,
): Promise<string> {
  if (!(q.limit >= 1 && q.limit <= JOB_LIST_MAX))
    throw new RangeError(`a job list page holds 1 to ${JOB_LIST_MAX} jobs, not ${q.limit}`);
  const filters = [...(q.status ? [q.status] : []), ...(q.genre ? [q.genre] : [])];
  const { rows } = await db.query<{ jobs: string; n: number; last_id: number | null }>({
    ...LIST_STATEMENTS.get(`${q.status ? 's' : ''}${q.genre ? 'g' : ''}`)!,
    values: [PHASE_NAME_JSON, ...archiveJson(archive), q.before ?? null, q.limit, ...filters],
  });
  const { jobs, n, last_id } = rows[0]!;
  // A full page may have more after it: the cursor is its last (oldest) id, a string as before.
  const nextCursor = n === q.limit && last_id !== null ? JSON.stringify(String(last_id)) : 'null';
  return `{"jobs":${jobs},"nextCursor":${nextCursor}}`;
}
