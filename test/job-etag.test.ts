// GET /api/jobs/:id is tagged by the job's version (lib/jobs/views.ts), not by its body's hash, so a
// conditional read of an unchanged job is answered 304 without the view being built. That is only
// right if the tag changes whenever the JSON does: every change below changes the view (checked, so the
// case means something) and must give a client holding the old tag a 200 with the new JSON and a new
// tag. The controls: an unchanged job, a new event, another job's change and VACUUM FREEZE keep the 304.
// Run with the view cache (lib/jobs/view-cache.ts: the change must reach it as a notification, applied by
// syncViews()) and without it (READ_CACHE=off: the version query answers the 304).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteArtifacts, saveArtifacts } from '../lib/artifact-store.ts';
import { PlaytestSummary } from '../lib/artifacts.ts';
import { withTransaction } from '../lib/db.ts';
import { addEvent } from '../lib/events.ts';
import { insertComparisonSibling, markComparisonLead } from '../lib/jobs/comparison.ts';
import { failJob, markDeployed, markIdeaDone, markJobRunning } from '../lib/jobs/lifecycle.ts';
import { finishPhaseRun, startPhaseRun } from '../lib/jobs/phase-runs.ts';
import { addJobUsage, createJob, setJobPlaytest } from '../lib/jobs/repository.ts';
import { recordPlaytest } from '../lib/playtest/store.ts';
import { jobListJson } from '../lib/jobs/views.ts';
import { archiveUrlParts } from '../functions/archive.ts';
import { heldVersions, versionTag } from '../functions/cached-json.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

let h: Harness;
let id: number;

const db = () => h.service.db;

async function read(jobId: number, etag?: string) {
  const res = await h.api(`/api/jobs/${jobId}`, etag ? { headers: { 'if-none-match': etag } } : {});
  return { status: res.status, etag: res.headers.get('etag')!, body: await res.text() };
}

/** GET /api/jobs?limit=50 as served, and as Postgres has it now (lib/jobs/views.ts, no cache). */
async function lists() {
  const archive = archiveUrlParts({ config: { ...h.config, PORT: h.service.port } });
  const served = await (await h.api('/api/jobs?limit=50')).text();
  return { served, now: await jobListJson(db(), { limit: 50 }, archive) };
}

/**
 * `change` must change the view; a client holding the old tag then gets it, with a new tag that is 304'd.
 * The list page read (and kept) before the change is, after it, what Postgres has.
 */
async function expectChanged(name: string, change: () => Promise<unknown>, jobId = id) {
  await h.syncViews(); // the set-up's own writes reach the cache first, or `before` could be a view they outdate
  await lists();
  const before = await read(jobId);
  expect(before.status, name).toBe(200);
  expect((await read(jobId, before.etag)).status, `${name}: unchanged before`).toBe(304);
  await change();
  await h.syncViews();
  const after = await read(jobId, before.etag);
  expect(after.status, name).toBe(200);
  expect(after.body, `${name}: the fixture changes the view`).not.toBe(before.body);
  expect(after.body, name).toBe((await read(jobId)).body);
  expect(after.etag, name).not.toBe(before.etag);
  expect((await read(jobId, after.etag)).status, `${name}: unchanged after`).toBe(304);
  const list = await lists();
  expect(list.served, `${name}: the list`).toBe(list.now);
}

/** Controls: `change` leaves the view as it was, and the tag held still gets a 304. */
async function expectUnchanged(name: string, change: () => Promise<unknown>) {
  const before = await read(id);
  await change();
  await h.syncViews();
  expect((await read(id, before.etag)).status, name).toBe(304);
  expect((await read(id)).body, name).toBe(before.body);
}

describe.each(['on', 'off'])(
  'GET /api/jobs/:id with READ_CACHE=%s: the version tag changes exactly when it must',
  (cache) => {
    beforeAll(async () => {
      h = await createHarness({ READ_CACHE: cache }, { runner: false });
      expect(h.service.viewCache === null, 'the cache is on or off as asked').toBe(cache === 'off');
      id = await createJob(h.service.db, { idea: 'a job that changes', genre: null, seed: 3 });
    });
    afterAll(() => h?.close());

    it('changes with every step of a job through the real write paths', async () => {
      const run1 = await startPhaseRun(db(), {
        jobId: id,
        phase: 1,
        runtime: 'local',
        agent: 'builtin',
        workerId: 'w',
      });
      await expectChanged('phase run started', async () => {
        await startPhaseRun(db(), { jobId: id, phase: 2, runtime: 'local', agent: 'builtin', workerId: 'w' });
      });
      await expectChanged('status and phase', () => markJobRunning(db(), id, 2, 'builtin'));
      await expectChanged('phase run finished', () =>
        finishPhaseRun(db(), run1, { status: 'completed', error: null, durationMs: 5, agentMs: 1, usage: { t: 1 } }),
      );
      await expectChanged('usage', () => addJobUsage(db(), id, { inputTokens: 10 }));
      await expectChanged('title', () => markIdeaDone(db(), id, 'Changing Game'));
      await expectChanged('new artifact', () =>
        saveArtifacts(db(), id, 4, new Map([['dist/index.html', Buffer.from('<p>1</p>')]])),
      );
      await expectChanged('artifact rewritten', () =>
        saveArtifacts(db(), id, 4, new Map([['dist/index.html', Buffer.from('<p>22</p>')]])),
      );
      await expectChanged('artifact deleted', () => deleteArtifacts(db(), id, ['dist/index.html']));
      await saveArtifacts(db(), id, 4, new Map([['dist/index.html', Buffer.from('<p>3</p>')]]));
      await expectChanged('deployed', () => markDeployed(db(), id, 4, 'http://gamedemo4.localhost/'));
      await expectChanged('play-test round', () =>
        withTransaction(db(), (tx) =>
          recordPlaytest(
            tx,
            { config: { QUALITY_THRESHOLD: 10, MAX_REPAIRS: 0 }, secrets: [] },
            id,
            playtest(1),
            [],
            null,
          ),
        ),
      );
      await expectChanged('play-test summary alone', () =>
        setJobPlaytest(
          db(),
          id,
          50,
          PlaytestSummary.parse({ round: 2, score: 50, passed: false, at: now(), failed: [] }),
        ),
      );
      await expectChanged('failed', () => failJob(db(), id, 'stopped by the test'));
    });

    it('changes with a change to any column the view shows, in any of the rows it reads', async () => {
      const run = await startPhaseRun(db(), { jobId: id, phase: 3, runtime: 'local', agent: 'builtin', workerId: 'w' });
      await saveArtifacts(db(), id, 3, new Map([['plan.json', Buffer.from('{}')]]));
      // [table, set]: the row is the job, its phase run `run`, or its artifact plan.json.
      const sets: [table: 'jobs' | 'phase_runs' | 'artifacts', set: string][] = [
        ['jobs', "idea = 'x'"],
        ['jobs', "genre = 'puzzle'"],
        ['jobs', "game_genre = 'arcade'"],
        ['jobs', 'seed = seed + 1'],
        ['jobs', 'phase = 1'],
        ['jobs', "error = 'e2'"],
        ['jobs', "agent = 'a2'"],
        ['jobs', 'slot = 9'],
        ['jobs', "url = 'http://u2/'"],
        ['jobs', "provider = 'p2'"],
        ['jobs', 'playtest = \'{"round":9}\''],
        ['jobs', "title = 'T2'"],
        ['jobs', "status = 'queued'"],
        ['jobs', 'usage = \'{"z":1}\''],
        ['jobs', "created_at = created_at - interval '1 ms'"],
        ['jobs', 'started_at = now()'],
        ['jobs', "deployed_at = now() - interval '1 s'"],
        ['jobs', "finished_at = now() - interval '2 s'"],
        ['phase_runs', "status = 'timeout'"],
        ['phase_runs', "runtime = 'docker'"],
        ['phase_runs', 'agent = null'],
        ['phase_runs', 'phase = 4'],
        ['phase_runs', "started_at = started_at - interval '1 s'"],
        ['phase_runs', 'finished_at = now(), duration_ms = 7, agent_ms = 2'],
        ['phase_runs', "error = 'boom'"],
        ['phase_runs', 'usage = \'{"u":2}\''],
        ['artifacts', "sha256 = 'f00'"],
        ['artifacts', "bytes = 'more bytes'"],
        ['artifacts', "path = 'plan2.json'"],
      ];
      const where = { jobs: 'id = $1', phase_runs: 'id = $1', artifacts: "job_id = $1 and path = 'plan.json'" };
      for (const [table, set] of sets) {
        const sql = `update gamepocgen.${table} set ${set} where ${where[table]}`;
        await expectChanged(sql, async () => {
          const { rowCount } = await db().query(sql, [table === 'phase_runs' ? run : id]);
          expect(rowCount, sql).toBe(1);
        });
      }
      await expectChanged('phase run deleted', () =>
        db().query('delete from gamepocgen.phase_runs where id = $1', [run]),
      );
    });

    it("changes with the comparison group's jobs", async () => {
      const lead = await createJob(db(), { idea: 'compared', genre: null, seed: 4 });
      await expectChanged('becomes a lead', () => markComparisonLead(db(), lead, 'anthropic:m'), lead);
      let sibling = 0;
      await expectChanged(
        'new sibling',
        async () => {
          sibling = await insertComparisonSibling(db(), lead, 'openai:m');
        },
        lead,
      );
      await expectChanged('sibling failed', () => failJob(db(), sibling, 'no key'), lead);
      await expectChanged(
        'sibling title',
        () => db().query("update gamepocgen.jobs set title = 'Sib' where id = $1", [sibling]),
        lead,
      );
    });

    it('keeps the 304 when nothing the view shows changed (controls)', async () => {
      await expectUnchanged('nothing', async () => {});
      await expectUnchanged('a new event', () => addEvent(db(), { jobId: id, kind: 'log', message: 'hello' }));
      await expectUnchanged('another job changes', async () => {
        const other = await createJob(db(), { idea: 'other', genre: null, seed: 5 });
        await saveArtifacts(db(), other, 1, new Map([['idea.json', Buffer.from('{}')]]));
        await markJobRunning(db(), other, 1, 'builtin');
      });
      // Postgres keeps a frozen row's xmin (the version is made of xmins).
      await expectUnchanged('VACUUM FREEZE', () =>
        db().query('vacuum (freeze) gamepocgen.jobs, gamepocgen.phase_runs, gamepocgen.artifacts'),
      );
    });

    it('matches only tags of its own format: another format, an old body hash or junk get a 200; * a 304', async () => {
      const { etag } = await read(id);
      const [, format, version] = /^W\/"([^.]+)\.([0-9a-f]{32})"$/.exec(etag)!;
      expect(heldVersions(etag, format!)).toEqual([version]);
      expect(heldVersions(`"x", ${etag.slice(2)}`, format!)).toEqual([version]);
      expect((await read(id, etag.slice(2))).status).toBe(304); // the strong form compares weakly
      expect((await read(id, `"other", ${etag}`)).status).toBe(304);
      expect((await read(id, '*')).status).toBe(304);
      for (const tag of [versionTag('another', version!), 'W/"an-old-body-hash"', `W/"${format}."`, `${etag}x`, 'junk'])
        expect((await read(id, tag)).status, tag).toBe(200);
      expect((await read(987654, etag)).status).toBe(404);
    });
  },
);

const now = () => new Date().toISOString();

/** A passed play-test round with no checks (what recordPlaytest stores; lib/playtest/document.ts). */
function playtest(round: number) {
  const url = 'http://gamedemo4.localhost/';
  return {
    version: 2 as const,
    round,
    url,
    at: now(),
    durationMs: 10,
    score: 90,
    passed: true,
    checks: [],
    couldNotCheck: [],
    defects: [],
    errors: [],
    foreignRequests: [],
    servedAs: [{ mode: 'own-origin' as const, url }],
    seed: 1,
    inputScript: [],
    trace: [],
    console: [],
    screenshots: [],
    rubric: [],
  };
}
