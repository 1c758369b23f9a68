// Idea → deployed game through the real service: HTTP and psql entry points,
// the phase records, artifacts in Postgres, the event stream and local serving.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ MAX_CONCURRENT: '2', SLOTS: '3' });
});
afterAll(() => h?.close());

type JobBody = {
  job: {
    status: string;
    slot: number;
    url: string;
    title: string;
    phases: { phase: number; status: string; durationMs: number }[];
    artifacts: { path: string; size: number; sha256: string }[];
  };
};

describe('a job started over HTTP', () => {
  let jobId: number;
  let job: JobBody['job'];

  beforeAll(async () => {
    const res = await h.api('/api/generate', {
      method: 'POST',
      body: JSON.stringify({ idea: 'a lighthouse keeper fighting sea monsters', seed: 1 }),
    });
    expect(res.status).toBe(201);
    jobId = ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
    const done = await h.waitForJob(jobId);
    expect(done.error).toBeNull();
    job = ((await (await h.api(`/api/jobs/${jobId}`)).json()) as JobBody).job;
  });

  it('is deployed to a slot with a URL of its own origin', () => {
    expect(job.status).toBe('deployed');
    expect(job.url).toBe(`http://gamedemo${job.slot}.localhost:${h.service.port}/`);
    expect(job.title?.length).toBeGreaterThan(0);
  });

  it('recorded one completed run per phase, in order', () => {
    expect(job.phases.map((p) => [p.phase, p.status])).toEqual([
      [1, 'completed'],
      [2, 'completed'],
      [3, 'completed'],
      [4, 'completed'],
    ]);
    for (const p of job.phases) expect(p.durationMs).toBeGreaterThan(0);
  });

  it('stored every artifact in Postgres with its hash', async () => {
    const paths = job.artifacts.map((a) => a.path);
    for (const p of ['idea.json', 'idea.md', 'design.json', 'design.md', 'plan.json', 'plan.md', 'dist/index.html'])
      expect(paths).toContain(p);
    const idea = await h.api(`/api/jobs/${jobId}/artifacts/idea.json`);
    expect(idea.status).toBe(200);
    expect(((await idea.json()) as { title: string }).title).toBe(job.title);
    expect((await h.api(`/api/jobs/${jobId}/artifacts/nope.txt`)).status).toBe(404);
  });

  it('wrote every status change and phase boundary as an event', async () => {
    const { events } = (await (await h.api(`/api/jobs/${jobId}/logs`)).json()) as {
      events: { kind: string; message: string; phase: number | null }[];
    };
    const statuses = events.filter((e) => e.kind === 'status').map((e) => e.message);
    expect(statuses[0]).toBe('queued');
    expect(statuses).toContain('running');
    expect(statuses).toContain('deploying');
    expect(statuses.at(-1)).toBe('deployed');
    expect(events.filter((e) => e.kind === 'phase_start').map((e) => e.phase)).toEqual([1, 2, 3, 4]);
    expect(events.filter((e) => e.kind === 'phase_end').map((e) => e.phase)).toEqual([1, 2, 3, 4]);
  });

  it('ends its chain with one done event, after the deploy (a step that queued the next writes none)', async () => {
    await h.waitForEvent(jobId, (e) => e.kind === 'done');
    const { events } = (await (await h.api(`/api/jobs/${jobId}/logs`)).json()) as {
      events: { kind: string; message: string }[];
    };
    const kinds = events.map((e) => (e.kind === 'status' ? e.message : e.kind));
    expect(kinds.filter((k) => k === 'done')).toHaveLength(1);
    expect(kinds.indexOf('done')).toBeGreaterThan(kinds.indexOf('deployed'));
    // Each status once, in order: starting a phase in the statement that reads the job loses no transition.
    expect(events.filter((e) => e.kind === 'status').map((e) => e.message)).toEqual([
      'queued',
      'running',
      'deploying',
      'deployed',
    ]);
  });

  it('serves the game on gamedemoN.localhost with a CSP that forbids network access', async () => {
    const res = await h.fetchSlot(job.slot);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<canvas/i);
    expect(String(res.headers['content-security-policy'])).toContain("connect-src 'none'");
    const play = await h.api(`/play/${job.slot}/`);
    expect(play.status).toBe(200);
    expect(play.headers.get('content-security-policy')).toContain('sandbox allow-scripts');
    // Path traversal out of the slot is refused.
    expect((await h.fetchSlot(job.slot, '/../../../etc/passwd')).status).toBe(404);
    expect((await h.api(`/play/${job.slot}/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('follows the log as Server-Sent Events and ends when the job is finished', async () => {
    const res = await h.api(`/api/jobs/${jobId}/logs?follow=1`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text(); // ends because the job is finished
    expect(text).toContain('event: phase_end');
    expect(text).toContain('event: end');
  });

  it('is listed as a game, and removing it frees the slot', async () => {
    const { games } = (await (await h.api('/api/games')).json()) as { games: { id: number }[] };
    expect(games.map((g) => g.id)).toContain(jobId);
    const del = await h.api(`/api/games/${jobId}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.json()).toMatchObject({ removed: jobId, freedSlot: job.slot });
    const removed = await h.waitForJob(jobId, ['removed']);
    expect(removed.slot).toBeNull();
    const { rows } = await h.service.db.query('select job_id from gamepocgen.slots where slot = $1', [job.slot]);
    expect(rows[0].job_id).toBeNull();
  });
});

describe('a job started from psql', () => {
  it('runs to deployed from one SQL statement', async () => {
    const client = new pg.Client({ connectionString: h.service.databaseUrl });
    await client.connect();
    const { rows } = await client.query(`select gamepocgen.generate_game('a cozy fishing roguelite') as id`);
    await client.end();
    const job = await h.waitForJob(rows[0].id);
    expect(job.status).toBe('deployed');
    expect(job.seed).toBeGreaterThanOrEqual(0);
  });

  it('refuses an over-long idea in SQL with a readable error', async () => {
    await expect(h.service.db.query(`select gamepocgen.generate_game(repeat('x', 10001))`)).rejects.toThrow(
      /idea is too long/,
    );
  });

  it('fails a job with an unknown genre with a readable reason', async () => {
    const { rows } = await h.service.db.query(`select gamepocgen.generate_game('x', 'opera') as id`);
    const job = await h.waitForJob(rows[0].id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/genre "opera" is not one of/);
  });
});

describe('the slot pool', () => {
  it('recycles the least recently deployed slot when full', async () => {
    const res = await h.api('/api/generate', {
      method: 'POST',
      body: JSON.stringify({ idea: 'tiny tanks', count: 4, seed: 100 }),
    });
    const { jobIds } = (await res.json()) as { jobIds: number[] };
    const jobs = await Promise.all(jobIds.map((id) => h.waitForJob(id, ['deployed', 'failed', 'recycled'])));
    expect(jobs.every((j) => j.error === null)).toBe(true);
    const { rows } = await h.service.db.query<{ status: string; n: number }>(
      `select status, count(*)::int n from gamepocgen.jobs where id = any($1) group by status`,
      [jobIds],
    );
    const counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    // 3 slots: at most 3 of these 4 can still be deployed, and every slot holds exactly one job.
    expect(counts.deployed ?? 0).toBeLessThanOrEqual(3);
    expect((counts.recycled ?? 0) + (counts.deployed ?? 0)).toBe(4);
    const slots = await h.service.db.query(
      'select count(distinct job_id)::int n from gamepocgen.slots where job_id is not null',
    );
    expect(slots.rows[0].n).toBe(3);
  });
});
