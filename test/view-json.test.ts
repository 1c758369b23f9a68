// The job's JSON kept on its row by a trigger (migrations/016_job_view_json.sql) and concatenated by the
// list and detail reads (lib/jobs/views.ts) must give, byte for byte, what the statements that built it
// on every read gave (kept below as the reference): for every kind of job, after a write to any column
// the view shows, for odd strings and archive URLs that need escaping. A write to a column the view does
// not show leaves it as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveArtifacts } from '../lib/artifact-store.ts';
import { PlaytestSummary } from '../lib/artifacts.ts';
import { createPool, type Db } from '../lib/db.ts';
import { insertComparisonSibling, markComparisonLead } from '../lib/jobs/comparison.ts';
import { failJob, markDeployed, markIdeaDone, markJobRunning } from '../lib/jobs/lifecycle.ts';
import { finishPhaseRun, startPhaseRun } from '../lib/jobs/phase-runs.ts';
import { addJobUsage, createJob, getJob, setJobPlaytest } from '../lib/jobs/repository.ts';
import type { JobStatus } from '../lib/jobs/lifecycle.ts';
import { type ArchiveUrlParts, jobDetailJson, jobListJson } from '../lib/jobs/views.ts';
import { PHASES, type PhaseNo } from '../lib/phases.ts';
import { createTestDatabase } from './helpers/db.ts';

// The statements before the trigger (lib/jobs/views.ts at 194ad04), verbatim: the bytes to match.
const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const PHASE_NAMES = (Object.keys(PHASES).map(Number) as PhaseNo[]).sort((a, b) => a - b).map((n) => PHASES[n].name);
const jobColumns = (j: string) => `
  ${j}.id, ${j}.idea, ${j}.genre, coalesce(${j}.game_genre, ${j}.genre) as "gameGenre",
  ${j}.seed, ${j}.status, ${j}.phase, ($1::text[])[${j}.phase] as "phaseName",
  ${j}.title, ${j}.error, ${j}.agent, ${j}.slot, ${j}.url,
  ${j}.provider, ${j}.compare_group as "compareGroup", ${j}.usage, ${j}.playtest,
  ${iso(`${j}.created_at`)} as "createdAt", ${iso(`${j}.started_at`)} as "startedAt",
  ${iso(`${j}.deployed_at`)} as "deployedAt", ${iso(`${j}.finished_at`)} as "finishedAt",
  $2::text || ${j}.id || $3::text as "archiveUrl"`;
const PREVIOUS_DETAIL_SQL = `
select (select row_to_json(v)::text from (select ${jobColumns('j')}, coalesce(pr.json, '[]') as phases,
    coalesce(ar.json, '[]') as artifacts, coalesce(cg.json, '[]') as comparison) v) as json
from gamepocgen.jobs j
cross join lateral (select json_agg((select x from (select r.phase, ($1::text[])[r.phase] as name, r.status,
      r.runtime, r.agent, ${iso('r.started_at')} as "startedAt", ${iso('r.finished_at')} as "finishedAt",
      r.duration_ms as "durationMs", r.agent_ms as "agentMs", r.error, r.usage) x) order by r.id) as json
  from gamepocgen.phase_runs r where r.job_id = j.id) pr
cross join lateral (select json_agg((select x from (select a.path, octet_length(a.bytes) as size, a.sha256) x)
      order by a.path) as json
  from gamepocgen.artifacts a where a.job_id = j.id) ar
cross join lateral (select json_agg((select x from (select s.id, s.provider, s.status, s.url, s.title) x)
      order by s.id) as json
  from gamepocgen.jobs s where s.compare_group = j.compare_group) cg
where j.id = $4`;
const PREVIOUS_LIST_SQL = `
select coalesce(json_agg(v order by v.id desc), '[]')::text as jobs, count(*)::int as n, min(v.id) as last_id
from (select ${jobColumns('j')} from (select * from gamepocgen.jobs
    where id < coalesce($5::bigint, 9223372036854775807) and ($4::text is null or status = $4)
      and ($7::text is null or coalesce(game_genre, genre) = $7)
    order by id desc limit $6) j) v`;

let db: Db;
let drop: () => Promise<void>;
const ids: Record<string, number> = {};
const ARCHIVES: ArchiveUrlParts[] = [
  { prefix: 'http://127.0.0.1:8080/archive/', suffix: '/' },
  { prefix: 'http://x/"q\\b\n\t\u0001é/', suffix: '/?a="\u2028' }, // every kind of escape JSON has
];

type ListQuery = { status?: JobStatus; genre?: string; limit: number; before?: number };
/** Pages with and without each filter and a cursor (ids.deployed is the fourth job, so before it is a full page of 3). */
const pages = (): ListQuery[] => [
  { limit: 50 },
  { limit: 2 },
  { limit: 3, before: ids.deployed },
  { limit: 50, status: 'running' },
  { limit: 1, status: 'queued' },
  { limit: 50, genre: 'arcade' },
  { limit: 50, status: 'queued', genre: 'arcade', before: ids.sib },
];

async function previous(archive: ArchiveUrlParts) {
  const lists: string[] = [];
  for (const q of pages()) {
    const values = [PHASE_NAMES, archive.prefix, archive.suffix, q.status ?? null, q.before ?? null, q.limit];
    const { rows } = await db.query<{ jobs: string; n: number; last_id: number | null }>(PREVIOUS_LIST_SQL, [
      ...values,
      q.genre ?? null,
    ]);
    const { jobs, n, last_id } = rows[0]!;
    const nextCursor = n === q.limit && last_id !== null ? JSON.stringify(String(last_id)) : 'null';
    lists.push(`{"jobs":${jobs},"nextCursor":${nextCursor}}`);
  }
  const details: string[] = [];
  for (const id of Object.values(ids)) {
    const { rows } = await db.query<{ json: string }>(PREVIOUS_DETAIL_SQL, [
      PHASE_NAMES,
      archive.prefix,
      archive.suffix,
      id,
    ]);
    details.push(`{"job":${rows[0]!.json}}`);
  }
  return { lists, details };
}

async function current(archive: ArchiveUrlParts) {
  const lists: string[] = [];
  for (const q of pages()) lists.push(await jobListJson(db, q, archive));
  const details: string[] = [];
  for (const id of Object.values(ids)) details.push((await jobDetailJson(db, id, archive))!.json);
  return { lists, details };
}

/** The reads give the previous statements' bytes, for both archive URL shapes; returns the first page. */
async function expectSameBytes(name: string): Promise<string> {
  for (const archive of ARCHIVES) {
    const [now, before] = [await current(archive), await previous(archive)];
    expect(now.lists, `${name}: lists`).toEqual(before.lists);
    expect(now.details, `${name}: details`).toEqual(before.details);
  }
  return (await current(ARCHIVES[0]!)).lists[0]!;
}

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  // Written from sessions in another time zone: the JSON must not depend on the writer's.
  const url = new URL(t.url);
  url.searchParams.set('options', '-c TimeZone=Asia/Kolkata');
  db = createPool(url.toString(), 2);
  const make = (idea: string | null) => createJob(db, { idea, genre: null, seed: 7 });
  ids.full = await make('a job with "everything" \\ \n\t\u0007 é ✓ 😀');
  const r1 = await startPhaseRun(db, { jobId: ids.full, phase: 1, runtime: 'local', agent: 'builtin', workerId: 'w' });
  await finishPhaseRun(db, r1, { status: 'completed', error: null, durationMs: 12.6, agentMs: 3, usage: { t: 1.5 } });
  await startPhaseRun(db, { jobId: ids.full, phase: 2, runtime: 'local', agent: 'builtin', workerId: null });
  await markJobRunning(db, ids.full, 2, 'builtin');
  await markIdeaDone(db, ids.full, 'Tëst "title"');
  await addJobUsage(db, ids.full, { inputTokens: 1200, costUsd: 0.0125 });
  await saveArtifacts(db, ids.full, 1, new Map([['idea.json', Buffer.from('{}')]]));
  const at = '2026-01-02T03:04:05.678Z';
  const summary = { round: 2, score: 80, passed: true, at, failed: ['a "b"'], reasons: ['r\n1'] };
  await setJobPlaytest(db, ids.full, 80, PlaytestSummary.parse(summary));
  ids.bare = await make(null);
  ids.failed = await make('fails');
  await failJob(db, ids.failed, 'phase 1 (idea) failed: <b>no</b> "quoted"');
  ids.deployed = await make('deployed');
  await markDeployed(db, ids.deployed, 3, 'http://127.0.0.1/play/3/');
  ids.lead = await make('compare me');
  await markComparisonLead(db, ids.lead, 'anthropic:m1');
  ids.sib = await insertComparisonSibling(db, ids.lead, 'openai:m2');
  await db.query(`update gamepocgen.jobs set game_genre = 'arcade' where id = any($1)`, [
    [ids.lead, ids.sib, ids.bare],
  ]);
});
afterAll(async () => {
  await db?.end();
  await drop?.();
});

describe('the job JSON kept on its row', () => {
  it('gives the bytes the per-read statements gave, for every kind of job', async () => {
    const list = await expectSameBytes('fixture');
    // Every page has jobs, and the cursor page is full (so its nextCursor is a cursor).
    const lists = (await current(ARCHIVES[0]!)).lists.map((l) => JSON.parse(l));
    for (const [i, l] of lists.entries()) expect(l.jobs.length, JSON.stringify(pages()[i])).toBeGreaterThan(0);
    expect(lists[2].nextCursor).toBe(String(ids.full));
    // The fixture has what the view shows (so the comparison means something).
    const jobs = JSON.parse(list).jobs as Record<string, unknown>[];
    expect(jobs).toHaveLength(Object.keys(ids).length);
    const full = jobs.find((j) => j.id === ids.full)!;
    expect(full).toMatchObject({ phaseName: 'design', usage: { inputTokens: 1200 }, playtest: { score: 80 } });
    expect(jobs.find((j) => j.id === ids.bare)).toMatchObject({ phase: 0, phaseName: null, idea: null });
    expect(jobs.find((j) => j.id === ids.deployed)).toMatchObject({ slot: 3, deployedAt: expect.any(String) });
    expect(jobs.find((j) => j.id === ids.sib)).toMatchObject({ compareGroup: ids.lead, provider: 'openai:m2' });
  });

  // Every column the view shows, each set to a value it did not have.
  const changes: [column: string, value: string][] = [
    ['idea', `'new idea "x"'`],
    ['idea', 'null'],
    ['genre', `'puzzle'`],
    ['game_genre', `'arcade'`],
    ['seed', '424242'],
    ['status', `'failed'`],
    ['phase', '5'],
    ['phase', '0'],
    ['title', `'Another title'`],
    ['error', `E'line\\nbreak'`],
    ['agent', `'claude'`],
    ['slot', '9'],
    ['url', `'http://127.0.0.1/play/9/'`],
    ['provider', `'ollama:m3'`],
    ['compare_group', 'id'],
    ['usage', `'{"costUsd": 1.25, "inputTokens": 7}'`],
    ['playtest', `'{"round": 3, "nested": {"a": [1, 2.50, null]}}'`],
    ['playtest', 'null'],
    ['created_at', `'2025-05-06 07:08:09.123456+02'`],
    ['started_at', `'2025-05-06 07:08:09+00'`],
    ['deployed_at', `now()`],
    ['finished_at', `'1999-12-31 23:59:59.999999+00'`],
  ];
  it('follows every write to a column the view shows', async () => {
    for (const [column, value] of changes) {
      const before = (await current(ARCHIVES[0]!)).lists[0];
      await db.query(`update gamepocgen.jobs set ${column} = ${value} where id = $1`, [ids.full]);
      const after = await expectSameBytes(`${column} = ${value}`);
      expect(after, `${column} = ${value} changes the view`).not.toBe(before);
    }
  });

  it('is not read into a JobRow', async () => {
    const job = (await getJob(db, ids.full!))!;
    expect(job.title).toBeTruthy(); // the control: the row was read
    expect(Object.keys(job)).not.toContain('view_head');
    expect(Object.keys(job)).not.toContain('view_tail');
  });

  it('is left as it was by a write to a column the view does not show', async () => {
    const before = (await current(ARCHIVES[0]!)).lists[0];
    await db.query(`update gamepocgen.jobs set updated_at = now() - interval '1 day', game_name = 'renamed'`);
    expect(await expectSameBytes('updated_at, game_name')).toBe(before);
  });
});
