// A phase container killed from outside (docker kill, an engine restart) is not the phase's
// failure: the runtime reports it as interrupted, with the reason, so the task is retried.
// Controls: the runtime's own timeout and a worker that fails by itself are not interrupted.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerRuntime } from '../../lib/runtimes/docker.ts';
import { containersOf, eventually, probeEngine, startRun, type TestRun, WORKER_TEST_IMAGE } from './helpers.ts';

const engine = await probeEngine();
const FAKE = ['node', '/app/test/fixtures/docker/fake-worker.mjs'];

describe.skipIf(!engine.available)('a phase killed from outside (real engine)', () => {
  const { docker } = engine;
  let run: TestRun;
  beforeAll(async () => {
    run = await startRun(docker, 'interrupted');
  });
  afterAll(async () => run?.cleanup());

  async function phase(jobId: number, mode: string, timeoutSeconds: number, during?: () => Promise<void>) {
    const ws = path.join(run.tmp, `ws-${jobId}`);
    await mkdir(ws, { recursive: true });
    const rt = createDockerRuntime({
      docker,
      image: WORKER_TEST_IMAGE,
      workspaceRoot: run.tmp,
      command: FAKE,
      labels: run.labels,
      killGraceSeconds: 1,
    });
    const outcome = rt.runPhase({
      jobId,
      phase: 2,
      gameName: 'g',
      workspaceDir: ws,
      timeoutSeconds,
      env: { FAKE_MODE: mode },
      onLine: () => {},
    });
    await during?.();
    return outcome;
  }

  it('docker kill mid-phase: failed, interrupted, with the reason', async () => {
    const outcome = await phase(701, 'sleep', 120, async () => {
      const [c] = await eventually(async () => {
        const list = await containersOf(docker, run, ['gamepocgen.job=701']);
        return list.length && list[0]!.State === 'running' ? list : null;
      }, 60_000);
      await docker.getContainer(c!.Id).kill();
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.interrupted).toMatch(/killed from outside \(exit 137: SIGKILL/);
  });

  it('controls: the runtime’s own timeout and a worker failing by itself are not interrupted', async () => {
    const timedOut = await phase(702, 'sleep', 1);
    expect(timedOut.status).toBe('timeout');
    expect(timedOut.interrupted).toBeUndefined();
    const crashed = await phase(703, 'crash', 60);
    expect(crashed.status).toBe('failed');
    expect(crashed.interrupted).toBeUndefined();
  });
});
