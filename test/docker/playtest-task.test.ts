// The playtest-game task on the real service with the docker deployer and a play-test
// container: a builtin game is deployed to a busybox slot container, played in its own
// container from gamepocgen-playtest:test at the slot's address (PLAYTEST_URL=container),
// and the round is stored exactly as the in-process play-test stores it (playtest.json,
// the screenshots, the job's score), while the worker process never opens a browser.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerDeployer } from '../../lib/deployers/docker.ts';
import { LABEL } from '../../lib/docker/labels.ts';
import type { BrowserProvider } from '../../lib/playtest/browser.ts';
import { createContainerPlaytester } from '../../lib/playtest/container-judge.ts';
import { buildPlaytestImage, PLAYTEST_TEST_IMAGE } from '../../support/playtest-image.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { jobEvents, pngSize, storedPlaytest, waitForPlaytest, waitsFor } from '../playtest-helpers.ts';
import { containersOf, probeEngine, startRun, STATIC_TEST_IMAGE, type TestRun } from './helpers.ts';

const engine = await probeEngine();

describe.skipIf(!engine.available)('playtest-game with a play-test container (real engine, service, Chromium)', () => {
  const { docker } = engine;
  let run: TestRun;
  let h: Harness;
  let jobId: number;
  let inProcessUses = 0;

  beforeAll(async () => {
    run = await startRun(docker, 'pttask');
    await buildPlaytestImage({ log: (l) => console.log(`[test/docker] ${l}`) });
    const network = `${run.id}-games`;
    run.networks.push(network);
    const deployer = createDockerDeployer({
      docker,
      image: STATIC_TEST_IMAGE,
      network,
      domain: 'games.example.test',
      deployDir: path.join(run.tmp, 'deploy'),
      namePrefix: `${run.id.replace(/[^a-z0-9]/g, '')}g`,
      labels: run.labels,
      handoverMs: 0,
    });
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
          playtester: createContainerPlaytester({
            docker,
            image: PLAYTEST_TEST_IMAGE,
            network,
            namePrefix: `${run.id}-`,
            labels: run.labels,
            removeContainers: false,
          }),
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
    expect(info.Mounts).toEqual([]);
  });
});
