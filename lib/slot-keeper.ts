// Keeps the slots served while a runner runs: one reconcile pass at start-up, then one per
// Docker engine event about a game container (lib/slot-watch.ts). The reaper's pass every
// minute (tasks/reap-containers.ts) covers whatever both miss.
import type { WorkerEvents } from 'graphile-worker';
import { createPool, type Db, type WithClient } from './db.ts';
import type { DockerDeployer } from './deployers/docker.ts';
import type { Deployer } from './deployers/types.ts';
import { reconcileDeps, reconcileSlots, summarizeOutcomes, type ReconcileDeps } from './slot-reconcile.ts';
import { defaultTaskDeps } from './task-deps.ts';

export interface SlotKeeper {
  /** The start-up pass. */
  initial: Promise<void>;
  /** Resolves once the event stream is open (immediately without a docker deployer). */
  watching: Promise<void>;
  stop(): Promise<void>;
}

export const poolClient =
  (db: Db): WithClient =>
  async (fn) => {
    const c = await db.connect();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  };

const isDocker = (d: Deployer): d is DockerDeployer => d.name === 'docker' && 'docker' in d;

export function startSlotKeeper(deps: ReconcileDeps, withClient: WithClient, log: (line: string) => void): SlotKeeper {
  const pass = async (slots: number[] | null) => {
    const summary = summarizeOutcomes(await reconcileSlots(deps, withClient, slots ? { slots } : {}));
    if (summary) log(`reconciler: ${summary}`);
  };
  const initial = pass(null).catch((e) => log(`reconciler: start-up pass failed: ${(e as Error).message}`));
  if (!isDocker(deps.deployer)) return { initial, watching: Promise.resolve(), stop: () => initial };
  let watch: import('./slot-watch.ts').SlotWatch | null = null;
  const deployer = deps.deployer;
  const watching = import('./slot-watch.ts').then((m) => {
    watch = m.watchSlotContainers({ docker: deployer.docker, labels: deployer.labels, onSlots: pass, log });
    return watch.ready;
  });
  return {
    initial,
    watching,
    async stop() {
      await watching.catch(() => {});
      await watch?.stop();
      await initial;
    },
  };
}

/**
 * For the graphile-worker CLI (graphile.config.ts): starts the keeper with the runner's pool
 * (`pool:create`) on the CLI's task dependencies, and stops it when the pool is released.
 */
export function slotKeeperEvents(
  connectionString: string,
  events: WorkerEvents,
  log: (line: string) => void = (l) => console.log(l),
): WorkerEvents {
  let running: Promise<{ keeper: SlotKeeper; pool: Db } | null> | null = null;
  events.on('pool:create', () => {
    running ??= (async () => {
      const deps = await defaultTaskDeps();
      const pool = createPool(connectionString, 2);
      return { keeper: startSlotKeeper(reconcileDeps(deps), poolClient(pool), log), pool };
    })().catch((e) => {
      log(`reconciler: not started: ${(e as Error).message}`);
      return null;
    });
  });
  events.on('pool:release', () => {
    const r = running;
    running = null;
    void r?.then(async (k) => {
      await k?.keeper.stop();
      await k?.pool.end();
    });
  });
  return events;
}
