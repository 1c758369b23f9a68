// The play-test step on the real service with real Chromium: a deployed game is
// played headless, judged, its playtest.json and screenshots stored and its score
// shown by the API, while the job stays `deployed`. Conditions that say nothing
// about the game (no browser, unreachable URL, PLAYTEST=off) never fail a job.
// One judged job serves every test here; the builtin kits' games are judged in
// test/playtest/kits-*.test.ts, a game that breaks only sandboxed in playtest-sandboxed.test.ts.
import type { JobHelpers } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYTEST_CHECKS, type Playtest } from '../lib/artifacts.ts';
import { getJob, setJobPlaytest } from '../lib/jobs/repository.ts';
import type { Browser } from 'playwright-core';
import { type BrowserProvider, oneShotBrowser, sharedBrowser } from '../lib/playtest/browser.ts';
import { playtestJob } from '../lib/playtest/playtest-job.ts';
import { createPlaytestGameTask } from '../tasks/playtest-game.ts';
import { freePort } from '../support/free-port.ts';
import { chromiumAvailable } from './browser/harness.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import {
  jobEvents,
  pngSize,
  queuedSteps,
  storedPlaytest,
  waitForPlaytest,
  waitsFor,
  withClientOf,
} from './playtest-helpers.ts';

const hasChromium = chromiumAvailable(); // throws in CI when missing
const describeBrowser = hasChromium ? describe : describe.skip;
const PASS_SCORE = 85;

const generate = (h: Harness, idea: string, seed = 7) => h.generate(idea, { seed });

describeBrowser('a normal job', () => {
  let h: Harness;
  let jobId: number;
  let result: Playtest;
  /** Where the task played it: the slot's own origin, and /play/N/ on the same server. */
  let played: string;

  beforeAll(async () => {
    h = await createHarness({ PLAYTEST: 'on' });
    jobId = await generate(h, 'a lighthouse keeper fighting sea monsters');
    expect((await h.waitForJob(jobId)).status).toBe('deployed');
    await waitForPlaytest(h, jobId, 1);
    result = await storedPlaytest(h, jobId);
    played = result.servedAs.map((s) => s.url).join(' and ');
  }, waitsFor(1));
  afterAll(() => h?.close());

  it('passes every check with a high score', () => {
    const failed = result.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.message}`);
    expect(failed).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.score).toBeGreaterThanOrEqual(PASS_SCORE);
    // Every check ran or says why not.
    const ids = [...result.checks.map((c) => c.id), ...result.couldNotCheck.map((u) => u.id)];
    expect(ids).toEqual(expect.arrayContaining(Object.keys(PLAYTEST_CHECKS)));
    expect(result.errors).toEqual([]);
    expect(result.foreignRequests).toEqual([]);
    expect(result.checks.find((c) => c.id === 'starts')!.evidence).toMatchObject({
      start: { before: 'title', after: 'playing' },
    });
    expect(result.trace.length).toBeGreaterThan(3);
    expect(result.inputScript.length).toBeGreaterThan(5);
    expect(result.round).toBe(1);
  });

  it('played the URL the job was deployed to, and its sandboxed /play/N/ variant', async () => {
    const job = (await getJob(h.service.db, jobId))!;
    expect(result.url).toBe(job.url);
    const sandboxed = `${new URL(job.url!).origin.replace(`gamedemo${job.slot}.`, '')}/play/${job.slot}/`;
    expect(result.servedAs).toEqual([
      // The local deployer's app sends GAME_CSP itself: the tester had none to add.
      { mode: 'own-origin', url: job.url, csp: 'server' },
      { mode: 'sandboxed', url: sandboxed, csp: 'server' },
    ]);
  });

  it('stored screenshots that are real PNGs of the viewport', async () => {
    expect(result.screenshots).toEqual(
      ['own-origin', 'sandboxed'].flatMap((m) => ['title', 'play-2s', 'mid', 'end'].map((n) => `${m}-${n}.png`)),
    );
    const res = await h.api(`/api/jobs/${jobId}/artifacts/playtest-own-origin-end.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(pngSize(png)).toEqual({ width: 1280, height: 800 });
    expect(png.length).toBeGreaterThan(5000); // a painted game, not a blank page
  });

  it('shows the score on the job and keeps it deployed, with no repair', async () => {
    const body = (await (await h.api(`/api/jobs/${jobId}`)).json()) as {
      job: {
        status: string;
        playtest: { score: number; passed: boolean; round: number; failed: string[] };
        phases: { phase: number }[];
        artifacts: { path: string }[];
      };
    };
    expect(body.job.status).toBe('deployed');
    expect(body.job.playtest).toMatchObject({
      score: result.score,
      passed: true,
      round: 1,
      failed: result.checks.filter((c) => !c.passed).map((c) => c.id),
    });
    expect(body.job.phases.map((p) => p.phase)).toEqual([1, 2, 3, 4]);
    expect(body.job.artifacts.map((a) => a.path)).toEqual(
      expect.arrayContaining(['playtest.json', 'playtest-own-origin-end.png']),
    );
    expect((await getJob(h.service.db, jobId))!.playtest_score).toBe(result.score);
    expect(await queuedSteps(h, jobId)).toEqual([]);
  });

  it('recorded the play-test as events after the deploy, without a status change', async () => {
    const events = await jobEvents(h, jobId);
    const deployedAt = events.findIndex((e) => e.kind === 'deployed');
    const playtests = events.filter((e) => e.kind === 'playtest');
    expect(playtests.map((e) => e.message)).toEqual([
      `play-test round 1 started: ${played}`,
      expect.stringMatching(new RegExp(`^play-test round 1: score ${result.score}/100, passed`)),
    ]);
    expect(events.indexOf(playtests[0]!)).toBeGreaterThan(deployedAt);
    expect(events.filter((e) => e.kind === 'status').at(-1)!.message).toBe('deployed');
  });

  it('records "skipped: no browser" without failing the job when Chromium is missing', async () => {
    await awaitRound(h, jobId);
    const deps = { ...h.service.taskDeps!, playtestBrowser: sharedBrowser('/nonexistent/chromium') };
    const summary = await playtestJob(deps, withClientOf(h.service.db), jobId);
    expect(summary).toMatch(/skipped, no browser/);
    const last = (await jobEvents(h, jobId)).at(-1)!;
    expect(last).toMatchObject({
      kind: 'playtest',
      message: 'play-test skipped: no browser (/usr/bin/chromium is not installed)',
    });
    expect((await getJob(h.service.db, jobId))!).toMatchObject({ status: 'deployed', playtest_score: result.score });
  });

  it('stops when the runner shuts down (abort signal) and records nothing, so the task is retried', async () => {
    await awaitRound(h, jobId);
    const controller = new AbortController();
    // The runner stops as the judge opens the game: right after its browser context is made (the moment
    // a listener on the signal is not yet registered), not after a guessed delay.
    const deps = h.service.taskDeps!;
    const abortingBrowser: BrowserProvider = {
      use: (fn) =>
        deps.playtestBrowser.use((b) =>
          fn(
            b &&
              new Proxy(b, {
                get(target, key) {
                  if (key !== 'newContext') {
                    const v = Reflect.get(target, key);
                    return typeof v === 'function' ? v.bind(target) : v;
                  }
                  return async (...args: Parameters<Browser['newContext']>) => {
                    const context = await target.newContext(...args);
                    controller.abort();
                    return context;
                  };
                },
              }),
          ),
        ),
      close: async () => {},
    };
    const before = (await jobEvents(h, jobId)).length;
    await expect(
      playtestJob({ ...deps, playtestBrowser: abortingBrowser }, withClientOf(h.service.db), jobId, {
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'playtest_aborted' });
    const added = (await jobEvents(h, jobId)).slice(before);
    expect(added.map((e) => e.message)).toEqual([`play-test round 1 started: ${played}`]);
    expect((await getJob(h.service.db, jobId))!.playtest).toMatchObject({ round: 1, score: result.score });
  });

  it('retries a crashed play-test, and after the last attempt records it without failing the job', async () => {
    await awaitRound(h, jobId);
    const crashing = {
      ...h.service.taskDeps!,
      playtestBrowser: { use: async () => Promise.reject(new Error('Target crashed')), close: async () => {} },
    };
    const task = createPlaytestGameTask(crashing);
    const helpers = (attempts: number) =>
      ({
        job: { id: 0, attempts, max_attempts: 3 },
        withPgClient: withClientOf(h.service.db),
        logger: { info() {}, error() {} },
        abortSignal: new AbortController().signal,
      }) as unknown as JobHelpers;
    await expect(task({ jobId }, helpers(1))).rejects.toThrow('Target crashed'); // graphile-worker retries it
    await task({ jobId }, helpers(3));
    const events = await jobEvents(h, jobId);
    expect(events.at(-2)).toMatchObject({
      kind: 'playtest',
      message: 'play-test gave up after 3 attempts: Target crashed',
    });
    expect(events.at(-1)).toMatchObject({ kind: 'done' }); // the chain has settled
    expect((await getJob(h.service.db, jobId))!).toMatchObject({ status: 'deployed', error: null });
  });

  it('records an unreachable game as skipped, not as a defect to repair', async () => {
    await awaitRound(h, jobId);
    const port = await freePort() /* nothing listens there now */;
    const deps = {
      ...h.service.taskDeps!,
      config: { ...h.service.taskDeps!.config, PLAYTEST_URL: `http://gamedemo{slot}.localhost:${port}/` },
    };
    await playtestJob(deps, withClientOf(h.service.db), jobId);
    const last = (await jobEvents(h, jobId)).at(-1)!;
    expect(last.kind).toBe('playtest');
    expect(last.message).toMatch(
      new RegExp(
        String.raw`^play-test skipped: game unreachable from this worker \(could not load http:\/\/gamedemo\d+\.localhost:${port}\/: .*ERR_CONNECTION_REFUSED`,
      ),
    );
    expect((await getJob(h.service.db, jobId))!).toMatchObject({ status: 'deployed', playtest_score: result.score });
    expect(await queuedSteps(h, jobId)).toEqual([]);
  });
});

describeBrowser('the play-test browser', () => {
  it('is shared, relaunched after a crash, and refused once closed', async () => {
    const provider = sharedBrowser();
    const first = await provider.use(async (b) => b!);
    expect(await provider.use(async (b) => b)).toBe(first);
    await first.close(); // as if Chromium died
    const second = await provider.use(async (b) => b!);
    expect(second).not.toBe(first);
    expect(second.isConnected()).toBe(true);
    await provider.close();
    expect(second.isConnected()).toBe(false);
    await expect(provider.use(async () => 1)).rejects.toThrow(/closed/);
  });

  it('one-shot (the CLI path): a browser per use, closed afterwards', async () => {
    const provider = oneShotBrowser();
    const used = await provider.use(async (b) => {
      expect(b!.isConnected()).toBe(true);
      return b!;
    });
    expect(used.isConnected()).toBe(false);
  });
});

/**
 * Puts the played job back where the play-test's other paths run: a repair loop waiting on its round.
 * A play-test acts only when its round is due (issue 12: idempotent by state), and round 1 was played above.
 */
async function awaitRound(h: Harness, jobId: number) {
  const job = (await getJob(h.service.db, jobId))!;
  await setJobPlaytest(h.service.db, jobId, job.playtest_score!, { ...job.playtest!, loop: 'repairing' });
}

describe('PLAYTEST=off', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ PLAYTEST: 'off' });
  });
  afterAll(() => h?.close());

  it('deploys without queueing a play-test', async () => {
    const jobId = await generate(h, 'a snake that eats stars');
    expect((await h.waitForJob(jobId)).status).toBe('deployed');
    const { rows } = await h.service.db.query(
      `select count(*)::int n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'playtest-game'`,
    );
    expect(rows[0].n).toBe(0);
    expect((await jobEvents(h, jobId)).filter((e) => e.kind === 'playtest')).toEqual([]);
    expect((await getJob(h.service.db, jobId))!.playtest).toBeNull();
  });
});
