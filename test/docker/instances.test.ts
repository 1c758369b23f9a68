// Two installations on one Docker engine: each one's deployer, reaper and slot watcher see
// only containers carrying its own gamepocgen.instance label, and their slot containers
// have different names even for the same public host. RUNTIME=auto's image check too.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerDeployer, type DockerDeployer } from '../../lib/deployers/docker.ts';
import { instanceLabels, LABEL } from '../../lib/docker/labels.ts';
import { reapContainers } from '../../lib/reaper/containers.ts';
import { dockerRuntimeCheck } from '../../lib/runtimes/docker.ts';
import { watchSlotContainers } from '../../lib/slot-watch.ts';
import {
  containersOf,
  eventually,
  fetchText,
  probeEngine,
  startRun,
  STATIC_TEST_IMAGE,
  type TestRun,
} from './helpers.ts';

const engine = await probeEngine();

describe.skipIf(!engine.available)('two instances on one engine (real engine)', () => {
  const { docker } = engine;
  let run: TestRun;
  const deployers: Record<'a' | 'b', DockerDeployer> = {} as never;
  let prefix: string;

  async function game(name: string, body: string) {
    const dir = path.join(run.tmp, 'src', name);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.html'), body);
    return dir;
  }
  const scoped = (id: string) => ({ ...run.labels, ...instanceLabels(`${run.id}-${id}`) });

  beforeAll(async () => {
    run = await startRun(docker, 'instances');
    const network = `${run.id}-net`;
    run.networks.push(network);
    prefix = `${run.id.replace(/[^a-z0-9]/g, '')}g`;
    for (const id of ['a', 'b'] as const) {
      deployers[id] = createDockerDeployer({
        docker,
        image: STATIC_TEST_IMAGE,
        network,
        domain: 'games.example.test',
        deployDir: path.join(run.tmp, `deploy-${id}`),
        namePrefix: prefix,
        instanceId: `${run.id}-${id}`,
        labels: scoped(id),
        publishLoopback: true,
        handoverMs: 100,
      });
    }
  });
  afterAll(async () => run?.cleanup());

  it('both publish slot 1 of the same host: two containers, each serving its own game', async () => {
    await deployers.a.publish({ slot: 1, jobId: 11, sourceDir: await game('a1', 'instance a') });
    await deployers.b.publish({ slot: 1, jobId: 21, sourceDir: await game('b1', 'instance b') });
    expect(deployers.a.containerName(1)).not.toBe(deployers.b.containerName(1));
    expect(deployers.a.urlFor(1)).toBe(deployers.b.urlFor(1));
    for (const [id, body] of [
      ['a', 'instance a'],
      ['b', 'instance b'],
    ] as const) {
      const url = await deployers[id].localUrl(1);
      expect(await eventually(async () => (await fetchText(url!)).body === body)).toBe(true);
    }
    // Router names differ (Traefik would merge identical ones); the Host rule is the same public host.
    const labels = await Promise.all(
      (['a', 'b'] as const).map(
        async (id) => (await docker.getContainer(deployers[id].containerName(1)).inspect()).Config.Labels,
      ),
    );
    const routers = labels.map((l) => Object.keys(l).find((k) => k.endsWith('.rule')));
    expect(routers[0]).not.toBe(routers[1]);
    expect(labels[0]![routers[0]!]).toBe(labels[1]![routers[1]!]);
  });

  it("a reaper scoped to A removes A's stale game and exited worker containers, never B's", async () => {
    for (const id of ['a', 'b'] as const) {
      const c = await docker.createContainer({
        Image: STATIC_TEST_IMAGE,
        name: `${prefix}-worker-${id}`,
        Labels: { ...scoped(id), [LABEL.role]: 'worker', [LABEL.job]: '5', [LABEL.phase]: '1', [LABEL.deadline]: '0' },
      });
      expect(c.id).toBeTruthy();
    }
    const report = await reapContainers({
      docker,
      labels: scoped('a'),
      slotOwner: async () => null, // every slot of A is free: its game container is stale
      exitedGraceSeconds: 0,
      gameGraceSeconds: 0,
      now: Date.now() + 120_000,
    });
    const names = report.actions.map((a) => a.name);
    expect(names.sort()).toEqual([deployers.a.containerName(1), `${prefix}-worker-a`].sort());
    const left = (await containersOf(docker, run)).map((c) => c.Names[0]!.slice(1));
    expect(left.sort()).toEqual([deployers.b.containerName(1), `${prefix}-worker-b`].sort());
  });

  it("A's slot watcher hears only A's containers", async () => {
    await deployers.a.publish({ slot: 2, jobId: 12, sourceDir: await game('a2', 'a two') });
    await deployers.b.publish({ slot: 3, jobId: 23, sourceDir: await game('b3', 'b three') });
    const heard: Array<number[] | null> = [];
    const watch = watchSlotContainers({
      docker,
      labels: scoped('a'),
      batchMs: 50,
      onSlots: async (s) => void heard.push(s),
    });
    try {
      await watch.ready;
      // B's removal comes first in the stream: were it heard, it would be in `heard` before A's.
      await docker.getContainer(deployers.b.containerName(3)).remove({ force: true });
      await docker.getContainer(deployers.a.containerName(2)).remove({ force: true });
      await eventually(async () => heard.flat().includes(2), 20_000);
      expect(heard.flat()).not.toContain(3);
      expect(heard).not.toContain(null);
    } finally {
      await watch.stop();
    }
  });

  it('RUNTIME=auto takes only an image built for this version (its gamepocgen.version label)', async () => {
    expect((await dockerRuntimeCheck(docker, `${prefix}-no-such-image:1`, '0.1.0')).code).toBe('no_image');
    const unlabelled = await dockerRuntimeCheck(docker, STATIC_TEST_IMAGE, '0.1.0');
    expect(unlabelled).toMatchObject({ code: 'wrong_version' });
    expect(unlabelled.reason).toMatch(/no gamepocgen\.version label/);
    const c = await docker.createContainer({ Image: STATIC_TEST_IMAGE, Labels: run.labels });
    const repo = `${prefix}-versioned`;
    await c.commit({ repo, tag: 'v', changes: 'LABEL gamepocgen.version=0.1.0' });
    try {
      expect((await dockerRuntimeCheck(docker, `${repo}:v`, '0.1.0')).code).toBe('ok');
      expect((await dockerRuntimeCheck(docker, `${repo}:v`, '0.2.0')).code).toBe('wrong_version');
    } finally {
      await docker
        .getImage(`${repo}:v`)
        .remove({ force: true })
        .catch(() => {});
    }
  });
});
