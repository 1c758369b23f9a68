// The repair loop keeps the best game, on the real service with real Chromium:
// a repair that scores worse is rolled back (the slot serves the earlier version
// again, byte for byte, and the worse one stays stored as its round's version),
// and a loop of several repairs keeps improving until the game passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPhaseRuns } from '../lib/jobs/phase-runs.ts';
import { getJob } from '../lib/jobs/repository.ts';
import { chromiumAvailable } from './browser/harness.ts';
import { BROKEN_MESSAGE, FLAWED_MESSAGE } from './fixtures/agents/broken-build-agent.ts';
import { sharedBrowser } from '../lib/playtest/browser.ts';
import { playtestJob } from '../lib/playtest/playtest-job.ts';
import { recordRepairFailed } from '../lib/playtest/store.ts';
import type { Harness } from './helpers/harness.ts';
import {
  createRepairHarness,
  generateJob,
  jobEvents,
  queuedSteps,
  storedPlaytest,
  waitForEvent,
  waitForPlaytest,
  waitsFor,
  withClientOf,
  type EventRow,
} from './playtest-helpers.ts';

const describeBrowser = chromiumAvailable() ? describe : describe.skip; // throws in CI when missing
let h: Harness;

beforeAll(async () => {
  h = await createRepairHarness();
});
afterAll(() => h?.close());

const generate = (idea: string) => generateJob(h, idea, 12);

const artifactText = async (jobId: number, p: string) => {
  const res = await h.api(`/api/jobs/${jobId}/artifacts/${p}`);
  expect(res.status, p).toBe(200);
  return res.text();
};

describeBrowser('a repair that makes the game worse', () => {
  let jobId: number;
  let round1: EventRow;
  let round2: EventRow;
  let rollback: EventRow;

  beforeAll(async () => {
    jobId = await generate('a [worse-repair] beekeeper defending the hive from wasps');
    round1 = await waitForPlaytest(h, jobId, 1);
    round2 = await waitForPlaytest(h, jobId, 2);
    rollback = await waitForEvent(h, jobId, (e) => e.kind === 'deployed' && e.data?.rollbackTo === 1);
    await waitForEvent(h, jobId, (e) => e.kind === 'done');
  }, waitsFor(2));

  it('fails round 1 (an uncaught error in a game that plays), scores the broken repair lower and rolls it back', () => {
    expect(round1.data).toMatchObject({ round: 1, passed: false, loop: 'repairing', repair: 1 });
    expect(round1.message).toContain(FLAWED_MESSAGE);
    expect(round2.data).toMatchObject({ round: 2, passed: false, served: 1, rolledBack: true, loop: 'plateau' });
    expect(round2.data!.score).toBeLessThan(round1.data!.score);
    expect(round2.message).toContain(
      `worse than round 1 (${round1.data!.score}/100): rolled back to round 1; stopped: the repair brought no improvement`,
    );
    expect(rollback.message).toMatch(/^rolled back to round 1's version: deployed to slot \d+/);
  });

  it('stores both rounds and both versions; dist/ and the latest play-test are round 1 again', async () => {
    const r1 = await storedPlaytest(h, jobId, 1);
    const r2 = await storedPlaytest(h, jobId, 2);
    expect([r1.score, r2.score]).toEqual([round1.data!.score, round2.data!.score]);
    expect(r2.errors.join('\n')).toContain(BROKEN_MESSAGE);
    expect(await storedPlaytest(h, jobId)).toEqual(r1);
    expect(await artifactText(jobId, 'versions/round-2/dist/main.js')).toContain(BROKEN_MESSAGE);
    const { artifacts } = (await (await h.api(`/api/jobs/${jobId}/artifacts`)).json()) as {
      artifacts: { path: string; sha256: string }[];
    };
    const sha = new Map(artifacts.map((a) => [a.path, a.sha256]));
    expect(sha.has('dist/main.js')).toBe(false);
    const dist = [...sha.keys()].filter((p) => p.startsWith('dist/')).sort();
    const v1 = [...sha.keys()].filter((p) => p.startsWith('versions/round-1/dist/')).sort();
    expect(v1.map((p) => p.slice('versions/round-1/'.length))).toEqual(dist);
    for (const p of dist) expect(sha.get(p), p).toBe(sha.get(`versions/round-1/${p}`));
  });

  it('serves round 1’s bytes from the slot, not the worse repair’s', async () => {
    const job = (await getJob(h.service.db, jobId))!;
    expect(job.status).toBe('deployed');
    const page = await h.fetchSlot(job.slot!, '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(await artifactText(jobId, 'versions/round-1/dist/index.html'));
    expect(page.body).not.toBe(await artifactText(jobId, 'versions/round-2/dist/index.html'));
    const config = await h.fetchSlot(job.slot!, '/config.js');
    expect(config.body).toBe(await artifactText(jobId, 'versions/round-1/dist/config.js'));
    expect(config.body).toContain(FLAWED_MESSAGE);
    expect((await h.fetchSlot(job.slot!, '/main.js')).status).toBe(404);
  });

  it('lists the game as failed with its reasons, serving round 1, and plays no third round', async () => {
    const { games } = (await (await h.api('/api/games')).json()) as { games: { id: number; playtest: any }[] };
    const listed = games.find((g) => g.id === jobId);
    expect(listed?.playtest).toMatchObject({
      round: 1,
      score: round1.data!.score,
      passed: false,
      goodEnough: false,
      loop: 'plateau',
      rounds: [
        { round: 1, outcome: 'kept' },
        { round: 2, outcome: 'rolled-back' },
      ],
    });
    expect(listed!.playtest.reasons.join('\n')).toContain(FLAWED_MESSAGE);
    const events = await jobEvents(h, jobId);
    expect(events.filter((e) => e.kind === 'playtest' && typeof e.data?.score === 'number')).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'deployed')).toHaveLength(3); // build, repair, rollback
    expect((await listPhaseRuns(h.service.db, jobId)).filter((r) => r.phase === 5)).toHaveLength(1);
    expect(await queuedSteps(h, jobId)).toEqual([]);
  });

  it('ends a loop waiting on a round that cannot be played, or on a repair that failed, saying why', async () => {
    const loop = async () => (await getJob(h.service.db, jobId))!.playtest!.loop;
    const markRepairing = () =>
      h.service.db.query(
        `update gamepocgen.jobs set playtest = jsonb_set(playtest, '{loop}', '"repairing"') where id = $1`,
        [jobId],
      );
    await markRepairing();
    const deps = { ...h.service.taskDeps!, playtestBrowser: sharedBrowser('/nonexistent/chromium') };
    expect(await playtestJob(deps, withClientOf(h.service.db), jobId)).toMatch(/skipped, no browser/);
    expect(await loop()).toBe('playtest-skipped');
    await markRepairing();
    await withClientOf(h.service.db)((c) => recordRepairFailed(c, jobId, 5, 'the agent gave up', []));
    expect(await loop()).toBe('repair-failed');
    expect((await jobEvents(h, jobId)).at(-1)!.message).toBe(
      "the repair failed (the agent gave up); round 1's version stays deployed",
    );
    // A loop that already stopped keeps its reason.
    await withClientOf(h.service.db)((c) => recordRepairFailed(c, jobId, 5, 'again', []));
    expect(await loop()).toBe('repair-failed');
    expect((await getJob(h.service.db, jobId))!).toMatchObject({
      status: 'deployed',
      playtest_score: round1.data!.score,
    });
  });
});

describeBrowser('a game that needs two repairs', () => {
  let jobId: number;
  let rounds: EventRow[];

  beforeAll(async () => {
    jobId = await generate('a [two-repairs] otter juggling river stones');
    rounds = [await waitForPlaytest(h, jobId, 1)];
    rounds.push(await waitForPlaytest(h, jobId, 2));
    rounds.push(await waitForPlaytest(h, jobId, 3));
  }, waitsFor(3));

  it('keeps each better repair and stops once the game passes', async () => {
    expect(rounds.map((r) => r.data!.passed)).toEqual([false, false, true]);
    const scores = rounds.map((r) => r.data!.score as number);
    expect(scores[1]).toBeGreaterThan(scores[0]!);
    expect(scores[2]).toBeGreaterThan(scores[1]!);
    expect(rounds.map((r) => r.data!.loop)).toEqual(['repairing', 'repairing', 'good-enough']);
    expect(rounds[1]!.message).toMatch(/; repair 2 of 3 \(phase 5\) queued$/);
    const job = (await getJob(h.service.db, jobId))!;
    expect(job.playtest).toMatchObject({ round: 3, passed: true, loop: 'good-enough' });
    expect(job.playtest!.rounds.map((r) => r.outcome)).toEqual(['kept', 'kept', 'kept']);
    const runs = (await listPhaseRuns(h.service.db, jobId)).filter((r) => r.phase === 5);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
    const page = await h.fetchSlot(job.slot!, '/config.js');
    expect(page.body).toBe(await artifactText(jobId, 'versions/round-3/dist/config.js'));
    expect(page.body).not.toContain(FLAWED_MESSAGE);
  });

  it('gives repair 2 the history of the rounds so far', async () => {
    const inputs = (await jobEvents(h, jobId)).filter((e) => e.phase === 5 && e.message === 'repair inputs');
    expect(inputs).toHaveLength(2);
    const feedback = inputs[1]!.data!.feedback as string;
    expect(feedback).toMatch(/^The deployed game failed its headless play-test \(round 2,/);
    expect(feedback).toContain(FLAWED_MESSAGE);
    expect(feedback).toMatch(/- round 1: \d+\/100, failed, kept\n- round 2: \d+\/100, failed, kept/);
  });
});
