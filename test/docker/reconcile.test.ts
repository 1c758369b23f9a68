// Reconciliation against a real engine: Postgres says which job each slot serves; a slot
// container removed or killed from outside is recreated from the stored release (driven by
// the engine's event stream, not polling), deploy-game on a deployed job makes the slot serve
// it again, and /health's query lists a slot that cannot be restored.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveArtifacts } from '../../lib/artifact-store.ts';
import { createPool, type Db } from '../../lib/db.ts';
import { deployJob } from '../../lib/deploy.ts';
import { createDockerDeployer, type DockerDeployer } from '../../lib/deployers/docker.ts';
import { markDeployed } from '../../lib/jobs/lifecycle.ts';
import { createJob } from '../../lib/jobs/repository.ts';
import { poolClient, startSlotKeeper, type SlotKeeper } from '../../lib/slot-keeper.ts';
import { reconcileSlots } from '../../lib/slot-reconcile.ts';
import { assignSlot, ensureSlots, slotsNotServed } from '../../lib/slots.ts';
import type { TaskDeps } from '../../lib/task-deps.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { eventually, fetchText, probeEngine, startRun, STATIC_TEST_IMAGE, type TestRun } from './helpers.ts';

const engine = await probeEngine();

describe.skipIf(!engine.available)('slot reconciliation (real engine, real Postgres)', () => {
  const { docker } = engine;
  let run: TestRun;
  let deployer: DockerDeployer;
  let db: Db;
  let drop: () => Promise<void>;
  let keeper: SlotKeeper;
  const logs: string[] = [];
  const withClient = () => poolClient(db);
  const deps = () => ({ deployer, workspaceDir: path.join(run.tmp, 'work'), secrets: [] });

  /** A deployed job on `slot` whose stored release says `body` (and, when `publish`, a running container). */
  async function deployedJob(slot: number, body: string | null, publish = true): Promise<number> {
    const jobId = await createJob(db, { idea: `reconcile ${slot}`, genre: null, seed: 1 });
    if (body !== null) await saveArtifacts(db, jobId, 4, new Map([['dist/index.html', Buffer.from(body)]]));
    await assignSlot(db, slot, jobId);
    await markDeployed(db, jobId, slot, deployer.urlFor(slot));
    if (publish) await reconcileSlots(deps(), withClient(), { slots: [slot] }); // first publish: nothing serves it yet
    return jobId;
  }
  const served = async (slot: number) => {
    const url = await deployer.localUrl(slot);
    return url ? (await fetchText(url)).body : null;
  };
  const events = async (jobId: number) =>
    (
      await db.query<{ message: string }>('select message from gamepocgen.job_events where job_id = $1', [jobId])
    ).rows.map((r) => r.message);

  beforeAll(async () => {
    run = await startRun(docker, 'reconcile');
    const network = `${run.id}-net`;
    run.networks.push(network);
    const database = await createTestDatabase();
    drop = database.drop;
    db = createPool(database.url, 4);
    await ensureSlots(db, 10);
    deployer = createDockerDeployer({
      docker,
      image: STATIC_TEST_IMAGE,
      network,
      domain: 'games.example.test',
      deployDir: path.join(run.tmp, 'deploy'),
      namePrefix: `${run.id.replace(/[^a-z0-9]/g, '')}g`,
      publishLoopback: true,
      labels: run.labels,
      handoverMs: 100,
    });
    keeper = startSlotKeeper(deps(), withClient(), (l) => logs.push(l));
    await keeper.watching;
  });
  afterAll(async () => {
    await keeper?.stop();
    await run?.cleanup();
    await db?.end();
    await drop?.();
  });

  it('a removed slot container is recreated from the stored release, from the engine event alone', async () => {
    const jobId = await deployedJob(1, '<h1>one</h1>');
    expect(await eventually(() => served(1))).toBe('<h1>one</h1>');
    await docker.getContainer(deployer.containerName(1)).remove({ force: true });
    // No reaper pass and no call: only the `destroy` event brings it back.
    expect(await eventually(() => served(1), 30_000)).toBe('<h1>one</h1>');
    expect((await events(jobId)).join('\n')).toMatch(
      /slot 1 was not served \(its container \S+ is missing\); restored/,
    );
    expect(await slotsNotServed(db)).toEqual([]);
  });

  it('a killed (stopped) slot container is replaced by a running one', async () => {
    const jobId = await deployedJob(2, '<h1>two</h1>');
    const before = (await docker.getContainer(deployer.containerName(2)).inspect()).Id;
    await docker.getContainer(deployer.containerName(2)).kill();
    const after = await eventually(async () => {
      const i = await docker
        .getContainer(deployer.containerName(2))
        .inspect()
        .catch(() => null);
      return i?.State.Running && i.Id !== before ? i : null;
    }, 30_000);
    expect(after.Config.Labels['gamepocgen.job']).toBe(String(jobId));
    expect(await eventually(() => served(2))).toBe('<h1>two</h1>');
  });

  it('deploy-game on a deployed job whose container is gone makes the slot serve it again', async () => {
    await keeper.stop(); // only deploy-game acts here
    const jobId = await deployedJob(3, '<h1>three</h1>');
    await docker.getContainer(deployer.containerName(3)).remove({ force: true });
    const taskDeps = {
      deployer,
      config: { workspaceDir: path.join(run.tmp, 'work') },
      secrets: [],
    } as unknown as TaskDeps;
    expect(await deployJob(taskDeps, withClient(), jobId)).toEqual({ slot: 3, url: deployer.urlFor(3) });
    expect(await eventually(() => served(3))).toBe('<h1>three</h1>');
    // Control: with the slot served, a second call changes nothing (same container).
    const id = (await docker.getContainer(deployer.containerName(3)).inspect()).Id;
    await deployJob(taskDeps, withClient(), jobId);
    expect((await docker.getContainer(deployer.containerName(3)).inspect()).Id).toBe(id);
  });

  it('a slot that cannot be restored (no stored release) is listed as not served, with the reason', async () => {
    const jobId = await deployedJob(4, null, false);
    const [outcome] = await reconcileSlots(deps(), withClient(), { slots: [4] });
    expect(outcome).toMatchObject({ slot: 4, jobId, action: 'failed' });
    const notServed = await slotsNotServed(db);
    expect(notServed).toEqual([expect.objectContaining({ slot: 4, jobId })]);
    expect(notServed[0]!.problem).toMatch(/container \S+ is missing; restoring it failed: no_release/);
    // Control: once the release exists the next pass restores it and the list is empty again.
    await saveArtifacts(db, jobId, 4, new Map([['dist/index.html', Buffer.from('<h1>four</h1>')]]));
    await reconcileSlots(deps(), withClient(), { slots: [4] });
    expect(await slotsNotServed(db)).toEqual([]);
    expect(await eventually(() => served(4))).toBe('<h1>four</h1>');
  });
});
