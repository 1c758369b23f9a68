// The repair loop on the real service with real Chromium: a build that throws on
// load fails its play-test with the error listed, the defects reach the repair
// agent (input.json feedback + playtest.json), phase 5 (the builtin agent's
// repair) rebuilds, the chain redeploys and play-tests again, and every round is
// stored. A repair that brings no improvement stops the loop (a plateau).
// Rollbacks and several repairs: test/playtest-rollback.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Playtest } from '../lib/artifacts.ts';
import { listPhaseRuns } from '../lib/jobs/phase-runs.ts';
import { getJob } from '../lib/jobs/repository.ts';
import { chromiumAvailable } from './browser/harness.ts';
import { BROKEN_MESSAGE } from './fixtures/agents/broken-build-agent.ts';
import type { Harness } from './helpers/harness.ts';
import {
  createRepairHarness,
  generateJob,
  jobEvents,
  queuedSteps,
  storedPlaytest,
  waitForPlaytest,
  waitsFor,
  type EventRow,
} from './playtest-helpers.ts';

const describeBrowser = chromiumAvailable() ? describe : describe.skip; // throws in CI when missing
let h: Harness;

beforeAll(async () => {
  h = await createRepairHarness();
});
afterAll(() => h?.close());

const generate = (idea: string) => generateJob(h, idea, 11);

/** Round 1's stored result, read back from the repair agent's own report of its inputs. */
function repairInputs(events: EventRow[]) {
  const logged = events.find((e) => e.kind === 'log' && e.phase === 5 && e.message === 'repair inputs');
  return logged?.data as { feedback: string | null; playtest: unknown; pngBytes: number } | undefined;
}

describeBrowser('a build that throws on load', () => {
  let jobId: number;
  let round1: EventRow;
  let round2: EventRow;

  beforeAll(async () => {
    jobId = await generate('a lighthouse keeper fighting sea monsters');
    round1 = await waitForPlaytest(h, jobId, 1);
    round2 = await waitForPlaytest(h, jobId, 2);
  }, waitsFor(2));

  it('fails round 1 with the uncaught error listed', () => {
    expect(round1.data).toMatchObject({ round: 1, passed: false });
    expect(round1.data!.failed).toEqual(expect.arrayContaining(['loads', 'starts']));
    expect(round1.message).toContain(BROKEN_MESSAGE);
    expect(round1.message).toMatch(/; repair 1 of 3 \(phase 5\) queued$/);
    expect(round1.data).toMatchObject({ served: 1, rolledBack: false, loop: 'repairing', repair: 1 });
    expect(round1.data!.score).toBeLessThan(50);
  });

  it('gives the repair agent the defects in input.json feedback and playtest.json / its screenshots in its workspace', async () => {
    const inputs = repairInputs(await jobEvents(h, jobId));
    expect(inputs, 'the phase 5 agent logged its inputs').toBeDefined();
    expect(inputs!.feedback).toMatch(/^The deployed game failed its headless play-test \(round 1, score \d+\/100/);
    expect(inputs!.feedback).toMatch(new RegExp(`page \\(own-origin, \\d+ ms\\): Error: ${BROKEN_MESSAGE}`));
    expect(inputs!.feedback).toContain('- loads: uncaught error');
    const seen = Playtest.parse(inputs!.playtest);
    expect(seen).toMatchObject({ round: 1, passed: false });
    expect(seen.errors.join('\n')).toContain(BROKEN_MESSAGE);
    expect(inputs!.pngBytes).toBeGreaterThan(100);
    expect(inputs!.feedback).toContain("every round's is playtest/round-N/playtest.json");
  });

  it('the builtin repair names what it changed and the defects it fixes', async () => {
    const repairLog = (await jobEvents(h, jobId)).find((e) => e.phase === 5 && e.message.startsWith('repair: '));
    expect(repairLog?.message).toMatch(
      /differed from the .* kit's build of this design in .*dist\/main\.js.* to fix .*loads/,
    );
  });

  it('repairs once, redeploys to the same slot, passes round 2 and stops there', async () => {
    expect(round2.data).toMatchObject({ round: 2, passed: true, served: 2, rolledBack: false, loop: 'good-enough' });
    expect(round2.message).toMatch(/; kept \(round 1 scored \d+\/100\); stopped: passed with a score of at least 70$/);
    expect(round2.data!.score).toBeGreaterThanOrEqual(85);
    const stored = await storedPlaytest(h, jobId);
    expect(stored).toMatchObject({ round: 2, passed: true, errors: [] });
    const runs = await listPhaseRuns(h.service.db, jobId);
    expect(runs.map((r) => [r.phase, r.status])).toEqual([
      [1, 'completed'],
      [2, 'completed'],
      [3, 'completed'],
      [4, 'completed'],
      [5, 'completed'],
    ]);
    const job = (await getJob(h.service.db, jobId))!;
    expect(job).toMatchObject({ status: 'deployed', playtest_score: stored.score, error: null });
    expect(job.playtest).toMatchObject({
      round: 2,
      passed: true,
      goodEnough: true,
      loop: 'good-enough',
      rounds: [
        { round: 1, passed: false, outcome: 'kept' },
        { round: 2, passed: true, outcome: 'kept' },
      ],
    });
    const deploys = (await jobEvents(h, jobId)).filter((e) => e.kind === 'deployed');
    expect(deploys).toHaveLength(2);
    expect(deploys[1]!.data).toEqual(deploys[0]!.data); // same slot, same URL
  });

  it('deploys the repaired files only: the broken script is gone from the artifacts and the slot', async () => {
    const { artifacts } = (await (await h.api(`/api/jobs/${jobId}/artifacts`)).json()) as {
      artifacts: { path: string; phase: number | null }[];
    };
    expect(artifacts.map((a) => a.path)).not.toContain('dist/main.js');
    expect(artifacts.find((a) => a.path === 'dist/index.html')!.phase).toBe(5);
    expect(artifacts.find((a) => a.path === 'playtest.json')!.phase).toBeNull();
    const job = (await getJob(h.service.db, jobId))!;
    expect((await h.fetchSlot(job.slot!, '/main.js')).status).toBe(404);
  });

  it('keeps every round: its play-test, screenshot and the version it tested', async () => {
    const { artifacts } = (await (await h.api(`/api/jobs/${jobId}/artifacts`)).json()) as {
      artifacts: { path: string; sha256: string }[];
    };
    const paths = artifacts.map((a) => a.path);
    for (const round of [1, 2]) {
      expect(paths).toContain(`playtest/round-${round}/playtest.json`);
      expect(paths).toContain(`playtest/round-${round}/playtest.png`);
      expect(paths).toContain(`versions/round-${round}/dist/index.html`);
    }
    expect(paths).toContain('versions/round-1/dist/main.js'); // the broken build, kept as round 1's version
    expect(paths).not.toContain('versions/round-2/dist/main.js');
    expect(await storedPlaytest(h, jobId, 1)).toMatchObject({ round: 1, passed: false });
    expect(await storedPlaytest(h, jobId, 2)).toMatchObject({ round: 2, passed: true });
    const sha = (p: string) => artifacts.find((a) => a.path === p)!.sha256;
    expect(sha('playtest.json')).toBe(sha('playtest/round-2/playtest.json'));
    const job = (await getJob(h.service.db, jobId))!;
    const served = await h.fetchSlot(job.slot!, '/');
    const archived = await h.api(`/api/jobs/${jobId}/artifacts/versions/round-2/dist/index.html`);
    expect(served.body).toBe(await archived.text());
  });

  it('stayed deployed (and listed) through the repair and redeploy, with the play-test events in order', async () => {
    const events = await jobEvents(h, jobId);
    const statuses = events.filter((e) => e.kind === 'status').map((e) => e.message);
    expect(statuses.slice(statuses.indexOf('deployed'))).toEqual(['deployed']);
    const afterFirstDeploy = events.slice(events.findIndex((e) => e.kind === 'deployed') + 1);
    expect(afterFirstDeploy.filter((e) => e.kind === 'phase_start').map((e) => e.phase)).toEqual([5]);
    expect(afterFirstDeploy.filter((e) => e.kind === 'deployed')).toHaveLength(1); // the repaired build was published
    const playtests = events.filter((e) => e.kind === 'playtest').map((e) => e.message.replace(/:.*/, ''));
    expect(playtests).toEqual([
      'play-test round 1 started',
      'play-test round 1',
      'play-test round 2 started',
      'play-test round 2',
    ]);
    expect(await queuedSteps(h, jobId)).toEqual([]);
  });
});

describeBrowser('a build the repair cannot fix', () => {
  let jobId: number;
  let round2: EventRow;

  beforeAll(async () => {
    jobId = await generate('an [unrepairable] snake that eats stars');
    await waitForPlaytest(h, jobId, 1);
    round2 = await waitForPlaytest(h, jobId, 2);
  }, waitsFor(2));

  it('records the second failure and stops: the repair brought no improvement', async () => {
    expect(round2.data).toMatchObject({ round: 2, passed: false, loop: 'plateau' });
    expect(round2.message).toMatch(/; stopped: the repair brought no improvement$/);
    expect(round2.message).toContain(BROKEN_MESSAGE);
    // The recording transaction is where a repair would be queued: nothing is left to run.
    expect(await queuedSteps(h, jobId)).toEqual([]);
    const runs = await listPhaseRuns(h.service.db, jobId);
    expect(runs.filter((r) => r.phase === 5)).toHaveLength(1);
    const job = (await getJob(h.service.db, jobId))!;
    expect(job).toMatchObject({ status: 'deployed', error: null });
    expect(job.playtest).toMatchObject({ passed: false, loop: 'plateau', goodEnough: false });
    expect(job.playtest!.reasons.join('\n')).toContain(BROKEN_MESSAGE);
    expect(
      (await jobEvents(h, jobId)).filter((e) => e.kind === 'playtest' && e.data?.score !== undefined),
    ).toHaveLength(2);
  });
});
