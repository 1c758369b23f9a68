// The view cache in the API (lib/jobs/view-cache.ts, functions/jobs.ts): hits and misses at /metrics,
// the API's own changes shown at once (read-your-writes, before their notification is applied) and a
// deleted job gone once its delete is. The cache itself: test/view-cache.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../lib/jobs/repository.ts';
import { createHarness, type Harness } from './helpers/harness.ts';

describe('view cache in the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({}, { runner: false });
  });
  afterAll(() => h?.close());
  const job = async (id: number) => {
    const res = await h.api(`/api/jobs/${id}`);
    return { status: res.status, body: (await res.json()) as { job: { status: string; title: string | null } } };
  };
  const listed = async () =>
    ((await (await h.api('/api/jobs?limit=50')).json()) as { jobs: { id: number; status: string }[] }).jobs;

  it('answers repeated reads from memory and counts hits and misses at /metrics', async () => {
    const id = await createJob(h.service.db, { idea: 'read me twice', genre: null, seed: 1 });
    await h.syncViews();
    for (let i = 0; i < 3; i++) expect((await h.api(`/api/jobs/${id}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await h.api('/api/jobs?limit=50')).status).toBe(200);
    expect(h.service.viewCache!.stats()).toMatchObject({ job: { miss: 1, hit: 2 }, list: { miss: 1, hit: 1 } });
    const metrics = await (await h.api('/metrics')).text();
    expect(metrics).toContain('gamepocgen_view_cache_reads_total{view="job",result="hit"} 2');
    expect(metrics).toContain('gamepocgen_view_cache_reads_total{view="list",result="miss"} 1');
  });

  it("shows the API's own change at once, before its notification is applied", async () => {
    const cache = h.service.viewCache!;
    const id = await createJob(h.service.db, { idea: 'cancel me', genre: null, seed: 2 });
    await h.syncViews();
    expect((await job(id)).body.job.status).toBe('queued');
    expect((await listed()).find((j) => j.id === id)?.status).toBe('queued');
    // Notifications held back (still counted for sync()): only the API's own drop can make the change show.
    const notify = cache.notify.bind(cache);
    cache.notify = (payload) => (payload.startsWith('sync:') ? notify(payload) : undefined);
    try {
      // Control: a change made elsewhere stays unseen while they are held (so the check below means something).
      await h.service.db.query("update gamepocgen.jobs set title = 'Elsewhere' where id = $1", [id]);
      await h.syncViews();
      expect((await job(id)).body.job.title).toBeNull();
      const res = await h.api(`/api/jobs/${id}/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      expect((await job(id)).body.job).toMatchObject({ status: 'cancelled', title: 'Elsewhere' });
      expect((await listed()).find((j) => j.id === id)?.status).toBe('cancelled');
    } finally {
      cache.notify = notify;
    }
  });

  it('404s a deleted job and lists it no more once the delete is applied', async () => {
    const id = await createJob(h.service.db, { idea: 'delete me', genre: null, seed: 3 });
    await h.syncViews();
    expect((await job(id)).status).toBe(200);
    expect((await listed()).some((j) => j.id === id)).toBe(true);
    await h.service.db.query('delete from gamepocgen.jobs where id = $1', [id]);
    await h.syncViews();
    expect((await job(id)).status).toBe(404);
    expect((await listed()).some((j) => j.id === id)).toBe(false);
  });
});
