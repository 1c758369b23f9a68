// The play-test task plays a locally served game where it is served: on its own
// origin (gamedemoN.localhost) and sandboxed under /play/N/ (functions/play.ts).
// A game that works on its own origin but throws on the sandboxed one (it reads
// localStorage, which throws on an opaque origin) fails the task's verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playtest } from '../lib/artifacts.ts';
import { getJob } from '../lib/jobs/repository.ts';
import { chromiumAvailable } from './browser/harness.ts';
import type { Harness } from './helpers/harness.ts';
import {
  createRepairHarness,
  generateJob,
  type EventRow,
  storedPlaytest,
  waitForPlaytest,
  waitsFor,
} from './playtest-helpers.ts';

const describeBrowser = chromiumAvailable() ? describe : describe.skip; // throws in CI when missing

describeBrowser('a game that breaks only sandboxed', () => {
  let h: Harness;
  let jobId: number;
  let round1: EventRow;
  let stored: Playtest;

  beforeAll(async () => {
    h = await createRepairHarness();
    jobId = await generateJob(h, 'a rock dodger that keeps its best score [sandbox-storage]', 5);
    round1 = await waitForPlaytest(h, jobId, 1);
    stored = await storedPlaytest(h, jobId, 1);
  }, waitsFor(1));
  afterAll(() => h?.close());

  it('was played on its own origin and on /play/N/ of the same server', async () => {
    const job = (await getJob(h.service.db, jobId))!;
    const sandboxUrl = `${new URL(job.url!).origin.replace(`gamedemo${job.slot}.`, '')}/play/${job.slot}/`;
    expect(stored.servedAs).toEqual([
      { mode: 'own-origin', url: job.url, csp: 'server' },
      { mode: 'sandboxed', url: sandboxUrl, csp: 'server' },
    ]);
    expect(round1.data).toMatchObject({ round: 1 });
  });

  it('fails the verdict on the sandboxed check only, with the storage error as its reason', () => {
    expect(stored.passed).toBe(false);
    expect(stored.score).toBeLessThanOrEqual(40);
    const failed = stored.checks.filter((c) => c.required && !c.passed);
    expect(failed.map((c) => c.id)).toEqual(['sandboxed']);
    expect(failed[0]!.message).toMatch(/localStorage.*storage throws on an opaque origin/);
    expect(round1.data!.failed).toEqual(expect.arrayContaining(['sandboxed']));
  });
});
