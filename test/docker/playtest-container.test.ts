// Play-tests in their own container (issue 13): a real engine, the busybox slot server
// and gamepocgen-playtest:test (Chromium + bin/playtest.ts, support/playtest-image.ts).
// A good fixture game passes and a broken one fails from inside the container, reached
// at its slot container's address on the games network; `docker inspect` of the
// play-test container shows a phase container's hardening (control: the phase
// container itself, and a copy with one field weakened, which the comparison catches).
import { cp } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playtestRig } from './playtest-rig.ts';
import type { DockerDeployer } from '../../lib/deployers/docker.ts';
import { LABEL } from '../../lib/docker/labels.ts';
import { playtestContainerSpec } from '../../lib/docker/playtest-spec.ts';
import { workerContainerSpec, WORKER_LIMITS } from '../../lib/docker/worker-spec.ts';
import type { Playtester } from '../../lib/playtest/container-judge.ts';
import { PlaytestUnreachableError } from '../../lib/playtest/judge.ts';
import { PLAYTEST_TEST_IMAGE } from '../../support/playtest-image.ts';
import { containersOf, probeEngine, startRun, WORKER_TEST_IMAGE, type TestRun } from './helpers.ts';

const engine = await probeEngine();
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/playtest-games');

/** The hardening a play-test container must share with a phase container, as `docker inspect` shows it. */
function hardening(i: Docker.ContainerInspectInfo) {
  const h = i.HostConfig;
  return {
    user: i.Config.User,
    readonlyRootfs: h.ReadonlyRootfs,
    capDrop: h.CapDrop,
    capAdd: h.CapAdd ?? null,
    securityOpt: h.SecurityOpt,
    privileged: h.Privileged,
    ipcMode: h.IpcMode,
    nanoCpus: h.NanoCpus,
    memory: h.Memory,
    noSwap: h.MemorySwap === h.Memory,
    pids: h.PidsLimit,
    tmpfs: Object.keys(h.Tmpfs ?? {}).includes('/tmp'),
    log: h.LogConfig,
    devices: h.Devices ?? [],
    noSocket: !(h.Binds ?? []).some((b) => b.includes('docker.sock')),
    env: (i.Config.Env ?? []).filter((e) => /KEY|TOKEN|SECRET|PASSWORD|DATABASE_URL/i.test(e)),
  };
}

/** Fields in which `a` is weaker than or differs from `b`. */
function hardeningDiff(a: Docker.ContainerInspectInfo, b: Docker.ContainerInspectInfo): string[] {
  const ha = hardening(a);
  const hb = hardening(b);
  return (Object.keys(ha) as (keyof typeof ha)[]).filter((k) => JSON.stringify(ha[k]) !== JSON.stringify(hb[k]));
}

describe('play-test container spec (no engine needed)', () => {
  it('is a phase container spec with the playtest role, a larger /dev/shm for Chromium, and no mount at all', () => {
    const spec = playtestContainerSpec({
      image: 'img',
      name: 'n',
      command: ['node', '/app/bin/playtest.ts'],
      jobId: 7,
      deadline: 100,
      network: 'games',
      labels: { [LABEL.instance]: 'i1' },
    });
    const phase = workerContainerSpec({
      image: 'img',
      name: 'n',
      command: [],
      env: {},
      jobId: 7,
      phase: 1,
      deadline: 100,
      hostWorkspace: '/w',
      network: 'none',
    });
    for (const k of [
      'ReadonlyRootfs',
      'CapDrop',
      'SecurityOpt',
      'Privileged',
      'IpcMode',
      'NanoCpus',
      'Memory',
    ] as const)
      expect(spec.HostConfig?.[k], k).toEqual(phase.HostConfig?.[k]);
    expect(spec.User).toBe(phase.User);
    expect(spec.HostConfig?.Binds).toEqual([]);
    expect(spec.HostConfig?.NetworkMode).toBe('games');
    expect(spec.HostConfig?.PidsLimit).toBe(WORKER_LIMITS.pids);
    expect(spec.HostConfig?.ShmSize).toBeGreaterThan(64 * 1024 ** 2);
    expect(spec.Labels).toMatchObject({
      [LABEL.role]: 'playtest',
      [LABEL.job]: '7',
      [LABEL.deadline]: '100',
      [LABEL.instance]: 'i1',
    });
    expect(spec.Labels?.[LABEL.phase]).toBeUndefined();
    expect(spec.Env?.map((e) => e.split('=')[0]).sort()).toEqual(['HOME', 'PATH']);
  });
});

describe.skipIf(!engine.available)('play-test in its own container (real engine, real Chromium)', () => {
  const { docker } = engine;
  let run: TestRun;
  let deployer: DockerDeployer;
  let playtester: Playtester;
  let games: string;

  beforeAll(async () => {
    run = await startRun(docker, 'ptbox');
    ({ games, deployer, playtester } = await playtestRig(docker, run, { removeContainers: false }));
    for (const [slot, game] of [
      [1, 'good-freeform'],
      [2, 'throws-first-frame'],
    ] as const) {
      const src = path.join(run.tmp, 'src', game);
      await cp(path.join(FIXTURES, game), src, { recursive: true });
      await deployer.publish({ slot, jobId: 100 + slot, sourceDir: src });
    }
  }, 600_000);
  afterAll(async () => run?.cleanup(), 120_000);

  const playtestContainer = async (jobId: number) => {
    const [c] = await containersOf(docker, run, [`${LABEL.role}=playtest`, `${LABEL.job}=${jobId}`]);
    return docker.getContainer(c!.Id).inspect();
  };

  it('a good game passes, judged inside the container at its slot container’s address', async () => {
    const url = deployer.internalUrl!(1);
    const result = await playtester.judge(101, [{ mode: 'own-origin', url }], {
      round: 2,
      expect: { names: ['Rock Dodger'], palette: [], keypoints: [] },
    });
    expect(result).not.toBeNull();
    expect(result!.document.url).toBe(url);
    expect(result!.document.round).toBe(2);
    expect(result!.document.checks.find((c) => c.id === 'loads')?.passed).toBe(true);
    expect(result!.document.passed).toBe(true);
    // The expectations reached the judge in the container: the names were compared (else "could not check").
    expect(result!.document.checks.find((c) => c.id === 'matchesIdea')?.passed).toBe(true);
    // Screenshots come back as the PNG bytes the document names.
    expect(result!.screenshots.map((s) => s.name)).toEqual(result!.document.screenshots);
    expect(result!.screenshots[0]!.bytes.subarray(1, 4).toString()).toBe('PNG');
    const usage = await playtestContainer(101);
    console.log(`[playtest-container] exit ${usage.State.ExitCode}, OOM ${usage.State.OOMKilled}`);
  }, 600_000);

  it('a game that throws on its first frame fails there', async () => {
    const result = await playtester.judge(102, [{ mode: 'own-origin', url: deployer.internalUrl!(2) }], {});
    expect(result!.document.passed).toBe(false);
    expect(result!.document.checks.find((c) => c.id === 'loads')?.passed).toBe(false);
  }, 600_000);

  it('a slot that serves nothing is "unreachable" (a skipped round), not a verdict', async () => {
    const url = deployer.internalUrl!(9);
    await expect(playtester.judge(109, [{ mode: 'own-origin', url }], {})).rejects.toBeInstanceOf(
      PlaytestUnreachableError,
    );
  }, 600_000);

  it('docker inspect: the play-test container has a phase container’s hardening, no socket, only the games network', async () => {
    const played = await playtestContainer(101);
    // Control: a phase container as the docker runtime creates it (not started).
    const phase = await docker.createContainer(
      workerContainerSpec({
        image: WORKER_TEST_IMAGE,
        name: `${run.id}-phase`,
        command: ['true'],
        env: {},
        jobId: 101,
        phase: 4,
        deadline: 0,
        hostWorkspace: run.tmp,
        network: 'none',
        labels: run.labels,
      }),
    );
    const control = await phase.inspect();
    expect(hardeningDiff(played, control)).toEqual([]);
    // The comparison can fail: a copy with the Docker socket mounted and a capability back is caught.
    const weakened = structuredClone(played);
    weakened.HostConfig.Binds = ['/var/run/docker.sock:/var/run/docker.sock'];
    weakened.HostConfig.CapAdd = ['SYS_ADMIN'];
    expect(hardeningDiff(weakened, control)).toEqual(['capAdd', 'noSocket']);
    // Beyond the phase: a larger /dev/shm for Chromium, no mounts, one network (the games'), no Postgres.
    expect(played.HostConfig.ShmSize).toBeGreaterThan(control.HostConfig.ShmSize ?? 0);
    expect(played.Mounts).toEqual([]);
    expect(Object.keys(played.NetworkSettings.Networks)).toEqual([games]);
    expect(played.Config.Labels).toMatchObject({ [LABEL.role]: 'playtest', [LABEL.job]: '101', ...run.labels });
    expect(Number(played.Config.Labels[LABEL.deadline])).toBeGreaterThan(Date.now() / 1000);
  }, 120_000);

  it('Chromium’s own sandbox cannot start under the container’s seccomp: why the container is the sandbox', async () => {
    // lib/playtest/browser.ts CHROMIUM_SANDBOX: without --no-sandbox Chromium needs user namespaces, which Docker's
    // default seccomp profile refuses to a container without capabilities. (The passing games above are the
    // control: the same container with --no-sandbox plays.)
    const c = await docker.createContainer(
      playtestContainerSpec({
        image: PLAYTEST_TEST_IMAGE,
        name: `${run.id}-sandboxed`,
        command: ['/usr/bin/chromium', '--headless', '--disable-gpu', '--dump-dom', 'about:blank'],
        jobId: 110,
        deadline: 0,
        network: 'none',
        labels: run.labels,
      }),
    );
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const logs = ((await c.logs({ stdout: true, stderr: true })) as Buffer).toString('utf8');
    expect(StatusCode).not.toBe(0);
    expect(logs).toContain('No usable sandbox');
    expect(logs).not.toContain('<html>');
  }, 120_000);

  it('the reaper removes an exited play-test container and kills an overdue one, without storing their output', async () => {
    const { reapContainers } = await import('../../lib/reaper/containers.ts');
    const start = async (name: string, command: string[], deadline: number) => {
      const c = await docker.createContainer(
        playtestContainerSpec({
          image: PLAYTEST_TEST_IMAGE,
          name: `${run.id}-${name}`,
          command,
          jobId: 120,
          deadline,
          network: 'none',
          labels: { ...run.labels, reaptest: 'yes' },
        }),
      );
      await c.start();
      return c;
    };
    const nowS = Math.floor(Date.now() / 1000);
    const overdue = await start('overdue', ['node', '-e', 'setTimeout(() => {}, 600000)'], nowS + 30);
    const exited = await start('exited', ['node', '-e', 'console.log("{}")'], nowS + 600);
    await exited.wait();
    const stored: unknown[] = [];
    const report = await reapContainers({
      docker,
      labels: { ...run.labels, reaptest: 'yes' },
      now: Date.now() + 120_000,
      storeLogs: async (l) => void stored.push(l),
    });
    expect(report.errors).toEqual([]);
    const mine = report.actions.filter((a) => a.containerId === overdue.id || a.containerId === exited.id);
    expect(mine.map((a) => [a.action, 'role' in a ? a.role : null, a.containerId === overdue.id]).sort()).toEqual([
      ['killed-overdue', 'playtest', true],
      ['removed-worker', 'playtest', false],
      ['removed-worker', 'playtest', true],
    ]);
    expect(stored).toEqual([]);
    expect(await containersOf(docker, run, ['reaptest=yes'])).toEqual([]);
  }, 180_000);
});
