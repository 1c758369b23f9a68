// The job and list reads: one query each (lib/jobs/views.ts), the same JSON as
// the per-part queries they replaced, ETag/304 and gzip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listArtifacts, saveArtifacts } from '../lib/artifact-store.ts';
import { PlaytestSummary } from '../lib/artifacts.ts';
import { jobView, phaseRunView } from '../lib/job-view.ts';
import { comparisonOf, insertComparisonSibling, markComparisonLead } from '../lib/jobs/comparison.ts';
import { failJob, markJobRunning } from '../lib/jobs/lifecycle.ts';
import { finishPhaseRun, listPhaseRuns, startPhaseRun } from '../lib/jobs/phase-runs.ts';
import { addJobUsage, createJob, getJob, listJobs, setJobPlaytest } from '../lib/jobs/repository.ts';
import { jobDetailJson } from '../lib/jobs/views.ts';
import { archiveUrl, archiveUrlParts } from '../functions/archive.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

let h: Harness;
const ids: Record<string, number> = {};

beforeAll(async () => {
  h = await createHarness({}, { runner: false });
  const db = h.service.db;
  const make = (idea: string | null) => createJob(db, { idea, genre: null, seed: 7 });
  // A job with everything: finished and running phase runs, artifacts, usage, a play-test summary.
  ids.full = await make('a job with everything');
  const r1 = await startPhaseRun(db, { jobId: ids.full, phase: 1, runtime: 'local', agent: 'builtin', workerId: 'w1' });
  await finishPhaseRun(db, r1, { status: 'completed', error: null, durationMs: 12.6, agentMs: 3, usage: { t: 1.5 } });
  const r2 = await startPhaseRun(db, { jobId: ids.full, phase: 2, runtime: 'local', agent: 'builtin', workerId: null });
  await finishPhaseRun(db, r2, { status: 'failed', error: 'quote " and <tag>', durationMs: 1, agentMs: 0, usage: {} });
  await startPhaseRun(db, { jobId: ids.full, phase: 2, runtime: 'local', agent: 'builtin', workerId: 'w2' });
  await markJobRunning(db, ids.full, 2, 'builtin');
  await addJobUsage(db, ids.full, { inputTokens: 1200, costUsd: 0.0125 });
  await saveArtifacts(
    db,
    ids.full,
    1,
    new Map([
      ['idea.json', Buffer.from('{"title":"T"}')],
      ['dist/index.html', Buffer.alloc(5000, 'x')],
      ['Zed.txt', Buffer.from('')],
    ]),
  );
  await setJobPlaytest(
    db,
    ids.full,
    80,
    PlaytestSummary.parse({ round: 1, score: 80, passed: true, at: new Date().toISOString(), failed: [] }),
  );
  // Nothing yet; and a failed one.
  ids.bare = await make(null);
  ids.failed = await make('fails');
  await failJob(db, ids.failed, 'phase 1 (idea) failed: <b>no</b>');
  // A comparison: the lead and two siblings.
  ids.lead = await make('compare me');
  await markComparisonLead(db, ids.lead, 'anthropic:m1');
  ids.sib1 = await insertComparisonSibling(db, ids.lead, 'openai:m2');
  ids.sib2 = await insertComparisonSibling(db, ids.lead, 'ollama:m3');
});
afterAll(() => h?.close());

/** GET /api/jobs/:id as the handler built it before: four queries, mapped in JS. */
async function previousJobView(id: number) {
  const db = h.service.db;
  const job = (await getJob(db, id))!;
  const [phases, artifacts, comparison] = await Promise.all([
    listPhaseRuns(db, job.id),
    listArtifacts(db, job.id),
    job.compare_group ? comparisonOf(db, job.compare_group) : [],
  ]);
  return JSON.parse(
    JSON.stringify({
      job: {
        ...jobView(job),
        archiveUrl: archiveUrl({ config: { ...h.config, PORT: h.service.port } }, job.id),
        phases: phases.map(phaseRunView),
        artifacts: artifacts.map((a) => ({ path: a.path, size: a.size, sha256: a.sha256 })),
        comparison,
      },
    }),
  );
}

describe('GET /api/jobs/:id from one query', () => {
  it('returns the same JSON as the per-part queries, for every kind of job', async () => {
    const archive = archiveUrlParts({ config: { ...h.config, PORT: h.service.port } });
    for (const [name, id] of Object.entries(ids)) {
      const res = await h.api(`/api/jobs/${id}`);
      expect(res.status, name).toBe(200);
      const text = await res.text();
      // Same keys in the same order with the same values (the text differs only in jsonb's spacing).
      expect(JSON.stringify(JSON.parse(text)), name).toBe(JSON.stringify(await previousJobView(id)));
      // The view cache's answer (the second read) is the query's text byte for byte, with the same tag.
      const again = await h.api(`/api/jobs/${id}`);
      expect(await again.text(), name).toBe(text);
      expect(again.headers.get('etag'), name).toBe(res.headers.get('etag'));
      expect(text, name).toBe((await jobDetailJson(h.service.db, id, archive))!.json);
    }
    expect(h.service.viewCache!.stats().job.hit, 'the second reads were answered from memory').toBeGreaterThanOrEqual(
      Object.keys(ids).length,
    );
    // The fixture really has the parts the query aggregates (so the comparison above means something).
    const full = await previousJobView(ids.full!);
    expect(full.job.phases).toHaveLength(3);
    expect(full.job.phases[2].finishedAt).toBeNull();
    expect(full.job.artifacts.map((a: { path: string }) => a.path)).toEqual([
      'Zed.txt',
      'dist/index.html',
      'idea.json',
    ]);
    expect((await previousJobView(ids.sib2!)).job.comparison).toHaveLength(3);
  });

  it('answers 304 to an unchanged job and 200 with a new ETag once it changes', async () => {
    const first = await h.api(`/api/jobs/${ids.full}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    const again = await h.api(`/api/jobs/${ids.full}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // Control: a tag from another job's view is not a match.
    const other = (await h.api(`/api/jobs/${ids.bare}`)).headers.get('etag')!;
    expect((await h.api(`/api/jobs/${ids.full}`, { headers: { 'if-none-match': other } })).status).toBe(200);
    await saveArtifacts(h.service.db, ids.full!, 2, new Map([['design.json', Buffer.from('{}')]]));
    await h.syncViews();
    const changed = await h.api(`/api/jobs/${ids.full}`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('still answers on a connection that prepared it before a migration added a column', async () => {
    const client = await h.service.db.connect();
    const archive = archiveUrlParts({ config: h.config });
    const detailId = async () => JSON.parse((await jobDetailJson(client, ids.full!, archive))!.json).job.id;
    try {
      expect(await detailId()).toBe(ids.full);
      await h.service.db.query('alter table gamepocgen.jobs add column added_by_test integer');
      expect(await detailId()).toBe(ids.full);
    } finally {
      client.release();
      await h.service.db.query('alter table gamepocgen.jobs drop column added_by_test');
    }
  });

  it('404s a job that does not exist', async () => {
    const res = await h.api('/api/jobs/987654');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'job_not_found' } });
  });
});

describe('GET /api/jobs', () => {
  it('returns the same JSON as before, pages by keyset and answers 304 when unchanged', async () => {
    // Every job of the fixture (usage, play-test, failed, comparison), and no cursor after the last page.
    const all = (await (await h.api('/api/jobs?limit=50')).json()) as { jobs: unknown[]; nextCursor: unknown };
    const allRows = await listJobs(h.service.db, { limit: 50 });
    expect(all.jobs).toHaveLength(Object.keys(ids).length);
    expect(JSON.stringify(all)).toBe(
      JSON.stringify({
        jobs: allRows.map((j) => ({
          ...jobView(j),
          archiveUrl: archiveUrl({ config: { ...h.config, PORT: h.service.port } }, j.id),
        })),
        nextCursor: null,
      }),
    );
    const res = await h.api('/api/jobs?limit=3');
    const body = (await res.json()) as { jobs: { id: number }[]; nextCursor: string };
    const rows = await listJobs(h.service.db, { limit: 3 });
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({
        jobs: rows.map((j) => ({
          ...jobView(j),
          archiveUrl: archiveUrl({ config: { ...h.config, PORT: h.service.port } }, j.id),
        })),
        nextCursor: String(rows[2]!.id),
      }),
    );
    const next = (await (await h.api(`/api/jobs?limit=3&cursor=${body.nextCursor}`)).json()) as {
      jobs: { id: number }[];
    };
    expect(next.jobs[0]!.id).toBeLessThan(body.jobs[2]!.id);
    const etag = res.headers.get('etag')!;
    expect((await h.api('/api/jobs?limit=3', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await h.api('/api/jobs?limit=2', { headers: { 'if-none-match': etag } })).status).toBe(200);
  });

  it('gzips a large list when the client accepts it, and not otherwise', async () => {
    const gz = await h.api('/api/jobs?limit=50', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(((await gz.json()) as { jobs: unknown[] }).jobs.length).toBe(Object.keys(ids).length);
    const plain = await h.api('/api/jobs?limit=50', { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    // Either way the answer says it depends on Accept-Encoding (for caches), and the plain one its length.
    expect(gz.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(plain.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(Number(plain.headers.get('content-length'))).toBe(Buffer.byteLength(await plain.text()));
    // Small bodies are not worth compressing.
    const small = await h.api('/api/jobs?limit=1&status=failed', { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
  });
});
