// graphile-worker task `reap-containers` (crontab, every minute): returns jobs
// held by dead runner processes to the queue and, with Docker, removes exited
// or overdue worker containers and stale game containers, and restores slots
// that are not served (lib/slot-reconcile.ts). Idempotent.
import type { JobHelpers } from 'graphile-worker';
import { reapDeadRunners } from '../lib/reaper/jobs.ts';
import { reapDockerResources } from '../lib/reaper/docker-glue.ts';
import { reapScratchDirs } from '../lib/reaper/workspaces.ts';
import { enqueueReconcile } from '../lib/queue/enqueue.ts';
import { phaseBudget } from '../lib/budgets.ts';
import { reconcileDeps, reconcileSlots, summarizeOutcomes } from '../lib/slot-reconcile.ts';
import { defaultTaskDeps, type TaskDeps } from '../lib/task-deps.ts';

export function createReapContainersTask(deps: TaskDeps) {
  return async (_payload: unknown, helpers: JobHelpers): Promise<void> => {
    const workers = await helpers.withPgClient((c) => reapDeadRunners(c));
    if (workers.processes.length) {
      helpers.logger.info(
        `reaper: ${workers.processes.length} dead runner process(es), ${workers.unlockedJobs} job(s) returned to the queue`,
      );
    }
    if (deps.runtime.name === 'docker' || deps.deployer.name === 'docker') {
      const summary = await reapDockerResources(deps, helpers.withPgClient);
      if (summary) helpers.logger.info(`reaper: ${summary}`);
    }
    // Scratch workspaces of phases that died with their runner (older than any phase can live).
    const longest = Math.max(...([1, 2, 3, 4, 5] as const).map((p) => phaseBudget(deps.config, p).seconds));
    const stale = await reapScratchDirs(deps.config.workspaceDir, longest + 120);
    if (stale.length) helpers.logger.info(`reaper: removed ${stale.length} scratch workspace(s) of dead phases`);
    // Every slot Postgres says is served must be: a lost container or release is restored. Only on the games host
    // (elsewhere the engine and slot directories are not the ones Traefik serves from): an extra host asks it to.
    if (!deps.config.SERVE_GAMES) {
      await helpers.withPgClient((c) => enqueueReconcile(c));
      return;
    }
    const slots = summarizeOutcomes(await reconcileSlots(reconcileDeps(deps), helpers.withPgClient));
    if (slots) helpers.logger.info(`reaper: ${slots}`);
  };
}

export default async (payload: unknown, helpers: JobHelpers) =>
  createReapContainersTask(await defaultTaskDeps())(payload, helpers);
