// reapContainers against a real engine: orphaned and overdue workers, a phase
// killed on timeout, stale game containers, and two reapers at once.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSYBOX_PROFILE, gameContainerSpec } from '../../lib/docker/game-spec.ts';
import { workerContainerSpec } from '../../lib/docker/worker-spec.ts';
import { reapContainers, type ReapOptions, type StoredLogs } from '../../lib/reaper/containers.ts';
import { createDockerRuntime } from '../../lib/runtimes/docker.ts';
import {
  containersOf,
  probeEngine,
  sleep,
  startRun,
  STATIC_TEST_IMAGE,
  WORKER_TEST_IMAGE,
  type TestRun,
} from './helpers.ts';

const engine = await probeEngine();
const FAKE = ['node', '/app/test/fixtures/docker/fake-worker.mjs'];

describe.skipIf(!engine.available)('reapContainers (real engine)', () => {
  const { docker } = engine;
  let run: TestRun;
  let seq = 0;

  beforeAll(async () => {
    run = await startRun(docker, 'reaper');
  });
  afterAll(async () => run?.cleanup());

  /** A worker container started directly, as if its runner process had died after starting it. */
  async function orphanWorker(mode: string, deadline: number, jobId: number) {
    const ws = path.join(run.tmp, `ws-${jobId}`);
    await mkdir(ws, { recursive: true });
    const spec = workerContainerSpec({
      image: WORKER_TEST_IMAGE,
      name: `${run.id}-orphan-${seq++}`,
      command: FAKE,
      env: { FAKE_MODE: mode, WORKSPACE_DIR: '/workspace', PHASE: '2', JOB_ID: String(jobId), TIMEOUT_SECONDS: '1' },
      jobId,
      phase: 2,
      deadline,
      hostWorkspace: ws,
      network: 'none',
      labels: run.labels,
    });
    const c = await docker.createContainer(spec);
    await c.start();
    return c;
  }

  const reap = (o: Partial<ReapOptions> = {}) => reapContainers({ docker, labels: run.labels, ...o });
  const nowS = () => Math.floor(Date.now() / 1000);

  it('kills a worker past its deadline, reports it for a timeout, stores its logs, then removes it', async () => {
    const c = await orphanWorker('sleep', nowS() + 30, 501);
    await sleep(500);
    const stored: StoredLogs[] = [];
    const storeLogs = async (l: StoredLogs) => void stored.push(l);
    // Before the deadline: a running worker is left alone.
    expect((await reap({ storeLogs })).actions).toEqual([]);
    expect((await c.inspect()).State.Running).toBe(true);
    const report = await reap({ storeLogs, now: Date.now() + 60_000 });
    expect(report.errors).toEqual([]);
    expect(report.actions.map((a) => a.action)).toEqual(['killed-overdue', 'removed-worker']);
    expect(report.actions[0]).toMatchObject({ jobId: 501, phase: 2, containerId: c.id });
    expect(report.actions[1]).toMatchObject({ jobId: 501, phase: 2, exitCode: 137, logLines: 1 });
    expect(stored).toEqual([
      {
        containerId: c.id,
        name: expect.stringContaining('-orphan-'),
        jobId: 501,
        phase: 2,
        exitCode: 137,
        lines: [{ kind: 'log', message: 'sleeping forever' }],
      },
    ]);
    expect(await containersOf(docker, run, ['gamepocgen.job=501'])).toEqual([]);
    // Idempotent: nothing left to do.
    expect(await reap({ storeLogs, now: Date.now() + 60_000 })).toEqual({ actions: [], errors: [] });
  });

  it('a phase that sleeps past its timeout is killed by the runtime (timeout); the reaper then removes its container', async () => {
    const ws = path.join(run.tmp, 'ws-runtime');
    await mkdir(ws, { recursive: true });
    const rt = createDockerRuntime({
      docker,
      image: WORKER_TEST_IMAGE,
      workspaceRoot: run.tmp,
      command: FAKE,
      labels: run.labels,
      killGraceSeconds: 1,
      removeContainers: false,
    });
    const outcome = await rt.runPhase({
      jobId: 502,
      phase: 3,
      gameName: 'g',
      workspaceDir: ws,
      timeoutSeconds: 1,
      env: { FAKE_MODE: 'sleep' },
      onLine: () => {},
    });
    expect(outcome.status).toBe('timeout');
    const [left] = await containersOf(docker, run, ['gamepocgen.job=502']);
    expect(left.State).toBe('exited');
    // Within the grace a live runtime could still be handling it: untouched.
    expect((await reap()).actions).toEqual([]);
    const stored: StoredLogs[] = [];
    const report = await reap({ now: Date.now() + 61_000, storeLogs: async (l) => void stored.push(l) });
    expect(report.actions).toEqual([
      expect.objectContaining({ action: 'removed-worker', jobId: 502, phase: 3, exitCode: 137 }),
    ]);
    expect(stored[0].lines).toEqual([{ kind: 'log', message: 'sleeping forever' }]);
    expect(await containersOf(docker, run, ['gamepocgen.job=502'])).toEqual([]);
  });

  it('keeps a worker whose logs could not be stored, and retries it once the claim goes stale', async () => {
    const c = await orphanWorker('quick', nowS() + 600, 503);
    await c.wait();
    const failing = await reap({
      now: Date.now() + 61_000,
      storeLogs: async () => Promise.reject(new Error('db down')),
    });
    expect(failing.actions).toEqual([]);
    expect(failing.errors).toEqual([expect.objectContaining({ containerId: c.id, message: 'db down' })]);
    expect(await containersOf(docker, run, ['gamepocgen.job=503'])).toHaveLength(1);
    // Claimed a moment ago: a second reaper leaves it alone; two claim buckets later it is taken over.
    expect((await reap({ now: Date.now() + 62_000, storeLogs: async () => {} })).actions).toEqual([]);
    const stored: StoredLogs[] = [];
    const retried = await reap({ now: Date.now() + 61_000 + 600_000, storeLogs: async (l) => void stored.push(l) });
    expect(retried.actions).toEqual([expect.objectContaining({ action: 'removed-worker', jobId: 503, exitCode: 0 })]);
    expect(stored[0].lines).toEqual([{ kind: 'log', message: 'quick' }]);
  });

  it('three reapers at once: exactly one stores the logs of each container and removes it, none errors', async () => {
    const ids: string[] = [];
    for (const job of [511, 512, 513, 514]) {
      const c = await orphanWorker('quick', nowS() + 600, job);
      await c.wait();
      ids.push(c.id);
    }
    const stored: string[] = [];
    const storeLogs = async (l: StoredLogs) => {
      await sleep(50); // widen the race window
      stored.push(l.containerId);
    };
    const later = Date.now() + 61_000;
    const reports = await Promise.all([
      reap({ now: later, storeLogs }),
      reap({ now: later + 400, storeLogs }),
      reap({ now: later + 900, storeLogs }),
    ]);
    expect(reports.flatMap((r) => r.errors)).toEqual([]);
    const removed = reports
      .flatMap((r) => r.actions)
      .filter((x) => x.action === 'removed-worker')
      .map((x) => x.containerId);
    expect(removed.sort()).toEqual([...ids].sort());
    expect(stored.sort()).toEqual([...ids].sort());
  });

  it('removes a game container started by hand with a stale slot label, keeps the one its slot points at', async () => {
    const hostSlotDir = path.join(run.tmp, 'slot');
    await mkdir(hostSlotDir, { recursive: true });
    const start = async (jobId: number, slot: number, name: string) => {
      const c = await docker.createContainer(
        gameContainerSpec({
          containerName: name,
          routeName: name,
          image: STATIC_TEST_IMAGE,
          profile: BUSYBOX_PROFILE,
          hostSlotDir,
          slot,
          jobId,
          domain: 'example.test',
          network: 'none',
          labels: run.labels,
        }),
      );
      await c.start();
      return c;
    };
    const stale = await start(99, 7, `${run.id}-stale7`);
    const live = await start(123, 8, `${run.id}-live8`);
    const orphanSlot = await start(124, 9, `${run.id}-free9`);
    const owners = new Map<number, number | null>([
      [7, 123],
      [8, 123],
      [9, null],
    ]);
    const slotOwner = async (slot: number) => owners.get(slot) ?? null;
    // Freshly created: might belong to a publish in progress.
    expect((await reap({ slotOwner })).actions).toEqual([]);
    const report = await reap({ slotOwner, now: Date.now() + 61_000 });
    expect(report.errors).toEqual([]);
    expect(report.actions).toEqual(
      expect.arrayContaining([
        { action: 'removed-game', containerId: stale.id, name: `${run.id}-stale7`, slot: 7, jobId: 99, slotOwner: 123 },
        {
          action: 'removed-game',
          containerId: orphanSlot.id,
          name: `${run.id}-free9`,
          slot: 9,
          jobId: 124,
          slotOwner: null,
        },
      ]),
    );
    expect(report.actions).toHaveLength(2);
    expect((await live.inspect()).State.Running).toBe(true);
    // Without a slot lookup, game containers are not touched.
    expect((await reap({ now: Date.now() + 61_000 })).actions).toEqual([]);
  });
});
