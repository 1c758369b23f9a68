// The play-test container plays under the player's CSP (issue 13): the slot container's own address (busybox
// httpd here, nginx in production; PLAYTEST_URL=container) sends no CSP, Traefik adds GAME_CSP for players.
// Real engine, real Chromium in gamepocgen-playtest:test. Fixture: inline-script fails with enforceCsp (what
// the task always asks for) and passes without it; control: good-freeform passes with it.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playtestRig } from './playtest-rig.ts';
import type { DockerDeployer } from '../../lib/deployers/docker.ts';
import type { Playtester } from '../../lib/playtest/container-judge.ts';
import { probeEngine, startRun, type TestRun } from './helpers.ts';

const engine = await probeEngine();
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/playtest-games');

describe.skipIf(!engine.available)('play-test container under the player CSP (real engine, real Chromium)', () => {
  const { docker } = engine;
  let run: TestRun;
  let deployer: DockerDeployer;
  let playtester: Playtester;

  beforeAll(async () => {
    run = await startRun(docker, 'ptcsp');
    ({ deployer, playtester } = await playtestRig(docker, run));
    for (const [slot, game] of [
      [1, 'inline-script'],
      [2, 'good-freeform'],
    ] as const) {
      const src = path.join(run.tmp, 'src', game);
      await cp(path.join(FIXTURES, game), src, { recursive: true });
      await deployer.publish({ slot, jobId: 200 + slot, sourceDir: src });
    }
  }, 600_000);
  afterAll(async () => run?.cleanup(), 120_000);

  it('fixture: an inline-script game fails at the slot address once the tester applies GAME_CSP', async () => {
    const url = deployer.internalUrl!(1);
    const result = await playtester.judge(201, [{ mode: 'own-origin', url }], { enforceCsp: true, seconds: 8 });
    expect(result!.document.servedAs).toEqual([{ mode: 'own-origin', url, csp: 'tester' }]);
    expect(result!.document.passed).toBe(false);
    expect(result!.document.checks.find((c) => c.id === 'starts')!.message).toMatch(/blocked an inline script/);
  }, 600_000);

  it('the same game passes there without the policy (the gap this closes: no CSP at the slot address)', async () => {
    const url = deployer.internalUrl!(1);
    const result = await playtester.judge(202, [{ mode: 'own-origin', url }], { seconds: 8 });
    expect(result!.document.servedAs).toEqual([{ mode: 'own-origin', url, csp: 'none' }]);
    expect(result!.document.checks.filter((c) => c.required && !c.passed)).toEqual([]);
  }, 600_000);

  // Same-origin scripts load from the slot's private address: the tester fetches them too (player-csp.ts).
  it('control: good-freeform passes under the applied policy', async () => {
    const url = deployer.internalUrl!(2);
    const result = await playtester.judge(203, [{ mode: 'own-origin', url }], { enforceCsp: true, seconds: 8 });
    expect(result!.document.servedAs).toEqual([{ mode: 'own-origin', url, csp: 'tester' }]);
    const { console: lines, errors } = result!.document;
    expect(
      result!.document.checks.filter((c) => c.required && !c.passed),
      JSON.stringify({ errors, console: lines.slice(0, 12) }),
    ).toEqual([]);
  }, 600_000);
});
