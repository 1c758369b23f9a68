// graphile-worker task `reconcile-slots` (payload ignored): one reconcile pass over every served slot
// (lib/slot-reconcile.ts). A games-host task: a reaper pass on an extra worker host (SERVE_GAMES=0) queues it,
// so the slots are checked every minute whichever host took the reaper. Idempotent.
import type { JobHelpers } from 'graphile-worker';
import { reconcileDeps, reconcileSlots, summarizeOutcomes } from '../lib/slot-reconcile.ts';
import { defaultTaskDeps, type TaskDeps } from '../lib/task-deps.ts';

export function createReconcileSlotsTask(deps: TaskDeps) {
  return async (_payload: unknown, helpers: JobHelpers): Promise<void> => {
    const slots = summarizeOutcomes(await reconcileSlots(reconcileDeps(deps), helpers.withPgClient));
    if (slots) helpers.logger.info(`reconciler: ${slots}`);
  };
}

export default async (payload: unknown, helpers: JobHelpers) =>
  createReconcileSlotsTask(await defaultTaskDeps())(payload, helpers);
