// The playtest-game task on the real service with the docker deployer and a play-test
// container: a builtin game is deployed to a busybox slot container, played in its own
// container from gamepocgen-playtest:test at the slot's address (PLAYTEST_URL=container),
// and the round is stored exactly as the in-process play-test stores it (playtest.json,
// the screenshots, the job's score), while the worker process never opens a browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../lib/docker/labels.ts';
import type { BrowserProvider } from '../../lib/playtest/browser.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { jobEvents, pngSize, storedPlaytest, waitForPlaytest, waitsFor } from '../playtest-helpers.ts';
import { containersOf, probeEngine, startRun, type TestRun } from './helpers.ts';
import { playtestRig } from './playtest-rig.ts';

const engine = await probeEngine();

describe.skipIf(!engine.available)('playtest-game with a play-test container (real engine, service, Chromium)', () => {
  const { docker } = engine;
  let run: TestRun;
  let h: Harness;
  let jobId: number;
  let inProcessUses = 0;

  beforeAll(async () => {
    run = await startRun(docker, 'pttask');
    const { deployer, playtester } = await playtestRig(docker, run, { removeContainers: false });
    // The in-process browser must not be used: a provider that counts and refuses.
    const playtestBrowser: BrowserProvider = {
      use: async () => {
        inProcessUses++;
        throw new Error('the in-process browser was used');
      },
      close: async () => {},
    };
    h = await createHarness(
      { PLAYTEST: 'on', PLAYTEST_URL: 'container', MAX_REPAIRS: '0' },
      {
        taskDeps: {
          deployer,
          playtestBrowser,
          playtester,
        },
      },
    );
    jobId = await h.generate('a lighthouse keeper fighting sea monsters', { seed: 7 });
    expect((await h.waitForJob(jobId)).status).toBe('deployed');
    await waitForPlaytest(h, jobId, 1);
  }, waitsFor(1) + 300_000);
  afterAll(async () => {
    await h?.close();
    await run?.cleanup();
  }, 120_000);

  it('stores the round from the container as the in-process play-test does', async () => {
    const result = await storedPlaytest(h, jobId);
    expect(result.round).toBe(1);
    expect(result.passed).toBe(true);
    expect(result.url).toMatch(/^http:\/\/\w+g\d+:8080\/$/);
    // The slot's own address sends no CSP (Traefik adds it for players): the tester applied GAME_CSP itself.
    expect(result.servedAs).toEqual([{ mode: 'own-origin', url: result.url, csp: 'tester' }]);
    const end = await h.api(`/api/jobs/${jobId}/artifacts/playtest.png`);
    expect(end.status).toBe(200);
    expect(pngSize(Buffer.from(await end.arrayBuffer())).width).toBeGreaterThan(0);
    const { job } = (await (await h.api(`/api/jobs/${jobId}`)).json()) as {
      job: { status: string; playtest: { score: number; passed: boolean; round: number } };
    };
    expect(job.status).toBe('deployed');
    expect(job.playtest).toMatchObject({ score: result.score, passed: true, round: 1 });
    expect(job.playtest.score).toBeGreaterThan(0);
    const events = await jobEvents(h, jobId);
    expect(events.some((e) => e.kind === 'playtest' && /round 1 started/.test(e.message))).toBe(true);
    expect(inProcessUses).toBe(0);
  });

  it('the play-test ran in a container labelled with the job and the playtest role', async () => {
    const [c] = await containersOf(docker, run, [`${LABEL.role}=playtest`, `${LABEL.job}=${jobId}`]);
    expect(c).toBeDefined();
    const info = await docker.getContainer(c!.Id).inspect();
    expect(info.State.ExitCode).toBe(0);
    const { url } = await storedPlaytest(h, jobId);
    expect(info.Config.Cmd?.slice(0, 4)).toEqual(['node', '/app/bin/playtest.ts', url, '--bundle']);
    expect(info.Config.Cmd).toContain('--enforce-csp');
    expect(info.Mounts).toEqual([]);
  });
});
