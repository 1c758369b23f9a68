// 50 jobs at once with MAX_CONCURRENT=5: all finish, and the phase-run records
// prove that never more than 5 phases ran at the same time.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ MAX_CONCURRENT: '5', SLOTS: '10' });
});
afterAll(() => h?.close());

it('finishes 50 jobs with at most 5 phases running at once', { timeout: 240_000 }, async () => {
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await h.api('/api/generate', { method: 'POST', body: JSON.stringify({ count: 10, seed: i * 100 }) });
    ids.push(...((await res.json()) as { jobIds: number[] }).jobIds);
  }
  expect(ids).toHaveLength(50);
  const jobs = await Promise.all(ids.map((id) => h.waitForJob(id, ['deployed', 'failed', 'recycled'], 220_000)));
  expect(jobs.filter((j) => j.status === 'failed').map((j) => j.error)).toEqual([]);

  const { rows } = await h.service.db.query<{ n: number }>(
    'select count(*)::int n from gamepocgen.phase_runs where status = $1',
    ['completed'],
  );
  expect(rows[0]!.n).toBe(200);
  // Max overlap of [started_at, finished_at) intervals: a sweep over start/end points.
  const overlap = await h.service.db.query<{ max: number }>(`
    select max(running)::int as max from (
      select sum(delta) over (order by at, delta) as running from (
        select started_at as at, 1 as delta from gamepocgen.phase_runs
        union all select finished_at, -1 from gamepocgen.phase_runs
      ) points
    ) sweep`);
  expect(overlap.rows[0]!.max).toBeGreaterThan(1);
  expect(overlap.rows[0]!.max).toBeLessThanOrEqual(5);
  const slots = await h.service.db.query('select count(*)::int n from gamepocgen.slots where job_id is not null');
  expect(slots.rows[0].n).toBe(10);
});
