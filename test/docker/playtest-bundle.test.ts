// What a play-test container prints is untrusted (it ran the game): the worker takes only a
// bundle that its zod schema accepts. Fixtures that must be refused (a forged verdict, no
// verdict at all) and the controls that pass (a could-not-run line, a no-browser line),
// each from a real container of gamepocgen-playtest:test with the play-test spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainerPlaytester } from '../../lib/playtest/container-judge.ts';
import { PlaytestUnreachableError } from '../../lib/playtest/judge.ts';
import { buildPlaytestImage, PLAYTEST_TEST_IMAGE } from '../../support/playtest-image.ts';
import { probeEngine, startRun, type TestRun } from './helpers.ts';

const engine = await probeEngine();
const target = [{ mode: 'own-origin' as const, url: 'http://gamedemo1/' }];

describe.skipIf(!engine.available)('play-test container output (real engine)', () => {
  const { docker } = engine;
  let run: TestRun;

  beforeAll(async () => {
    run = await startRun(docker, 'ptbundle');
    await buildPlaytestImage({ log: (l) => console.log(`[test/docker] ${l}`) });
  }, 600_000);
  afterAll(async () => run?.cleanup(), 120_000);

  /** A container that prints `line` (then exits with `code`) instead of playing. */
  const printing = (line: unknown, code = 0) =>
    createContainerPlaytester({
      docker,
      image: PLAYTEST_TEST_IMAGE,
      network: 'none',
      namePrefix: `${run.id}-`,
      labels: run.labels,
      command: ['node', '-e', `console.log(${JSON.stringify(JSON.stringify(line))}); process.exit(${code})`, '--'],
    });

  it('refuses a forged verdict that is not a play-test document', async () => {
    const forged = { document: { passed: true, score: 100 }, screenshots: [] };
    await expect(printing(forged).judge(1, target, {})).rejects.toMatchObject({
      code: 'playtest_container_failed',
      message: expect.stringMatching(/gave no verdict \(exit 0, its bundle is invalid: .*document/),
    });
  }, 180_000);

  it('refuses a container that prints nothing useful, naming its exit', async () => {
    await expect(printing('just a log line', 3).judge(2, target, {})).rejects.toMatchObject({
      code: 'playtest_container_failed',
      message: expect.stringContaining('exit 3, it printed no bundle line'),
    });
  }, 180_000);

  it('controls: "no browser" is a skip (null), "unreachable" the usual unreachable error', async () => {
    expect(
      await printing({ couldNotRun: { code: 'no_browser', message: 'no chromium' } }, 2).judge(3, target, {}),
    ).toBe(null);
    const unreachable = {
      couldNotRun: { code: 'game_unreachable', message: 'could not run: http://x/ answered HTTP 502' },
    };
    const e = await printing(unreachable, 2)
      .judge(4, target, {})
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PlaytestUnreachableError);
    expect((e as Error).message).toBe('http://x/ answered HTTP 502');
  }, 180_000);
});
