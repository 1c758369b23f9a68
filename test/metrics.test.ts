// GET /metrics: Prometheus text with the job, queue, runner, slot, play-test, phase
// duration and HTTP families, and figures that move as a job runs.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const scrape = async () => {
  const res = await h.api('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

it('exposes every family, and the figures change as a job runs', { timeout: 120_000 }, async () => {
  // The runner registers its presence just after the service starts (on its pool's creation, asynchronously),
  // as /health's tests also wait for: read once it has, or the runner gauge can still say 0.
  const before = await vi.waitFor(
    async () => {
      const text = await scrape();
      expect(value(text, 'gamepocgen_live_runners')).toBe(1);
      return text;
    },
    { timeout: 10_000, interval: 50 },
  );
  for (const family of [
    'gamepocgen_jobs',
    'gamepocgen_queue_depth',
    'gamepocgen_live_runners',
    'gamepocgen_running_workers',
    'gamepocgen_slots',
    'gamepocgen_playtest_verdicts',
    'gamepocgen_phase_duration_seconds',
    'gamepocgen_http_request_duration_seconds',
  ])
    expect(before).toContain(`# TYPE ${family} `);
  expect(value(before, 'gamepocgen_live_runners')).toBe(1);
  expect(value(before, 'gamepocgen_jobs{status="deployed"}')).toBeUndefined();

  const res = await h.api('/api/generate', { method: 'POST', body: '{"idea":"metrics","seed":3}' });
  const id = ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
  await h.waitForJob(id);

  const after = await scrape();
  expect(value(after, 'gamepocgen_jobs{status="deployed"}')).toBe(1);
  expect(value(after, 'gamepocgen_slots{state="used"}')).toBe(1);
  expect(value(after, 'gamepocgen_phase_duration_seconds_count{phase="1",agent="builtin"}')).toBe(1);
  expect(value(after, 'gamepocgen_phase_duration_seconds_bucket{phase="4",agent="builtin",le="+Inf"}')).toBe(1);
  expect(
    value(after, 'gamepocgen_http_request_duration_seconds_count{method="POST",route="/api/generate",status="201"}'),
  ).toBe(1);
});
