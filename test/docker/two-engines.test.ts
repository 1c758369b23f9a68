// Scale-out on this machine: two Docker engines, one Postgres, two runners. The games host's
// runner (in-process: API + runner, DOCKER_HOST = the machine's engine, SERVE_GAMES=1, slots
// published on 127.0.0.1) and an extra host's runner (the graphile-worker CLI, as the compose
// worker service runs it, DOCKER_HOST = a second dockerd, SERVE_GAMES=0). Phases run on both
// engines; every slot container is on the games engine and serves its game. Each engine's own
// event stream says which containers it created (control: the games engine's stream does hear
// the game containers, so silence on the other one means something).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifacts } from '../../lib/artifact-store.ts';
import { ROOT_DIR } from '../../lib/config.ts';
import type { DockerDeployer } from '../../lib/deployers/docker.ts';
import { LABEL } from '../../lib/docker/labels.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { secondEngineUnavailable, startSecondEngine, type SecondEngine } from '../helpers/second-engine.ts';
import { eventually, fetchText, probeEngine, STATIC_TEST_IMAGE, WORKER_TEST_IMAGE } from './helpers.ts';
import { ensureTestImages } from '../../support/docker-images.ts';

const engine = await probeEngine();
const unavailable = engine.available ? secondEngineUnavailable() : engine.reason;
if (unavailable && engine.available) {
  if (process.env.CI) throw new Error(`the two-engine test cannot run under CI: ${unavailable}`);
  console.warn(`[test/docker] two engines SKIPPED: ${unavailable}`);
}

interface Created {
  engine: 'games' | 'extra';
  role: string;
  job: string;
  phase: string;
}

/** Every container the engine creates for this installation, from its event stream (opened before any job starts). */
async function recordCreates(docker: Docker, name: Created['engine'], instanceId: string, into: Created[]) {
  const stream = (await docker.getEvents({
    filters: { type: ['container'], event: ['create'], label: [`${LABEL.instance}=${instanceId}`] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const labels = (JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } }).Actor?.Attributes ?? {};
      into.push({ engine: name, role: labels[LABEL.role]!, job: labels[LABEL.job]!, phase: labels[LABEL.phase]! });
    }
  });
  stream.on('error', () => {});
  return () => stream.destroy();
}

async function removeInstanceContainers(docker: Docker, instanceId: string) {
  const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${instanceId}`] } });
  await Promise.all(
    left.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
}

describe.skipIf(unavailable !== null)('two engines, one Postgres: phases on both, games on the games host', () => {
  const instanceId = `two-${Date.now().toString(36)}`;
  const network = `${instanceId}-net`;
  let extraEngine: SecondEngine | null = null;
  let games: Harness;
  let extraRunner: ChildProcess | null = null;
  let extraLog = '';
  let extraDataDir = '';
  const created: Created[] = [];
  const stopStreams: Array<() => void> = [];

  beforeAll(async () => {
    await ensureTestImages({ log: (l) => console.log(`[test/docker] ${l}`) });
    extraEngine = await startSecondEngine([WORKER_TEST_IMAGE]);
    console.log(
      `[two-engines] second dockerd answered after ${extraEngine.timings.startMs} ms; worker image copied in ${extraEngine.timings.loadMs} ms`,
    );
    stopStreams.push(await recordCreates(engine.docker, 'games', instanceId, created));
    stopStreams.push(await recordCreates(extraEngine.docker, 'extra', instanceId, created));

    // The games host: the machine's engine (the test's DOCKER_HOST), slots published on its loopback.
    games = await createHarness({
      RUNTIME: 'docker',
      WORKER_IMAGE: WORKER_TEST_IMAGE,
      DEPLOY: 'docker',
      GAME_SERVER_IMAGE: STATIC_TEST_IMAGE,
      PUBLISH_SLOTS: '127.0.0.1',
      DOCKER_NETWORK: network,
      DOMAIN: 'games.example.test',
      INSTANCE_ID: instanceId,
      MAX_CONCURRENT: '1',
    });

    // The extra host: the graphile-worker CLI on the second engine, with its own data directory.
    extraDataDir = await mkdtemp(path.join(os.tmpdir(), 'gpg-extra-host-'));
    extraRunner = spawn(path.join(ROOT_DIR, 'node_modules', '.bin', 'graphile-worker'), [], {
      cwd: ROOT_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: `${path.join(ROOT_DIR, 'node_modules', '.bin')}:${process.env.PATH}`,
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_URL: games.service.databaseUrl,
        DATA_DIR: extraDataDir,
        DOCKER_HOST: extraEngine.host,
        SERVE_GAMES: '0',
        RUNTIME: 'docker',
        WORKER_IMAGE: WORKER_TEST_IMAGE,
        AGENT: 'builtin',
        INSTANCE_ID: instanceId,
        MAX_CONCURRENT: '1',
        PLAYTEST: 'off',
        SHUTDOWN_GRACE_SECONDS: '2',
      },
    });
    const append = (d: Buffer) => (extraLog = (extraLog + d).slice(-20_000));
    extraRunner.stdout!.on('data', append);
    extraRunner.stderr!.on('data', append);
    await eventually(async () => {
      if (extraRunner!.exitCode !== null) throw new Error(`the extra host's runner exited: ${extraLog}`);
      return /looking for jobs/i.test(extraLog);
    }, 120_000);
  }, 300_000);

  afterAll(async () => {
    for (const stop of stopStreams) stop();
    if (extraRunner && extraRunner.exitCode === null) {
      const exited = new Promise((r) => extraRunner!.once('close', r));
      extraRunner.kill('SIGTERM');
      await exited;
    }
    await games?.close();
    await removeInstanceContainers(engine.docker, instanceId);
    await engine.docker
      .getNetwork(network)
      .remove()
      .catch(() => {});
    await extraEngine?.stop();
    if (extraDataDir) await rm(extraDataDir, { recursive: true, force: true });
  }, 120_000);

  it('the extra host takes no deploy, removal, play-test or slot reconciliation: it says so and leaves them to the games host', () => {
    for (const task of ['deploy-game', 'remove-game', 'playtest-game', 'reconcile-slots'])
      expect(extraLog).toContain(`SERVE_GAMES=0: ${task} is left to the games host's runners`);
    expect(extraLog).not.toContain('SERVE_GAMES=0: run-phase'); // control: it does take phases
  });

  it('/health counts both runners, one of them serving games', async () => {
    const health = await eventually(async () => {
      const body = (await (await games.api('/health')).json()) as { status: string; workers: { live: number } };
      return body.workers.live === 2 ? body : null;
    }, 30_000);
    expect(health).toMatchObject({ status: 'ok', workers: { live: 2, servingGames: 1 } });
  });

  it('generates games: phases run on both engines, every slot container is on the games engine and serves its game', async () => {
    const ideas = ['a lighthouse keeper', 'a cozy fishing roguelite', 'a snail racing league', 'a comet herder'];
    const jobIds: number[] = [];
    for (const idea of ideas) jobIds.push(await games.generate(idea));
    const jobs = await Promise.all(jobIds.map((id) => games.waitForJob(id, ['deployed', 'failed'], 900_000)));
    expect(
      jobs.map((j) => [j.id, j.status, j.error]),
      extraLog.slice(-3000),
    ).toEqual(jobIds.map((id) => [id, 'deployed', null]));

    // Phases: created on both engines (each phase container carries its job and phase).
    const phases = created.filter((c) => c.role === 'worker');
    expect(new Set(phases.map((c) => `${c.job}:${c.phase}`)).size).toBeGreaterThanOrEqual(jobIds.length * 4);
    expect(phases.some((c) => c.engine === 'games')).toBe(true);
    expect(phases.some((c) => c.engine === 'extra')).toBe(true);
    console.log(
      `[two-engines] phase containers: ${phases.filter((c) => c.engine === 'games').length} on the games engine, ${phases.filter((c) => c.engine === 'extra').length} on the extra one`,
    );

    // Game containers: created on the games engine only (control: its stream heard them; the extra one's heard none).
    const slots = created.filter((c) => c.role === 'game');
    expect(slots.filter((c) => c.engine === 'games').length).toBeGreaterThanOrEqual(jobIds.length);
    expect(slots.filter((c) => c.engine === 'extra')).toEqual([]);
    const onExtra = await extraEngine!.docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.role}=game`] },
    });
    expect(onExtra).toEqual([]);

    // Every deployed game is served by its slot container on the games engine, with its stored build.
    const deployer = games.service.taskDeps!.deployer as DockerDeployer;
    for (const job of jobs) {
      const container = await engine.docker.getContainer(deployer.containerName(job.slot!)).inspect();
      expect(container.Config.Labels[LABEL.job]).toBe(String(job.id));
      const dist = await loadArtifacts(games.service.db, job.id, 'dist/');
      const stored = dist.get('dist/index.html')!.toString();
      const url = (await deployer.localUrl(job.slot!))!;
      const page = await eventually(async () => {
        const r = await fetchText(url).catch(() => null);
        return r?.status === 200 && r.body === stored ? r : null;
      }, 30_000);
      expect(page.body).toContain('<');
    }
  }, 1_200_000);
});
