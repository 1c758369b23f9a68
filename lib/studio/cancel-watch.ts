// Stopping the worker of a cancelled job. The API holds no process handle and no
// Docker socket: it writes a `cancel` job event (NOTIFY on commit), and the
// runner process that is running one of that job's phases hears it here and
// aborts the phase's signal — the runtime then kills the child or container.
import { EventHub } from '../events.ts';

/** The job event kind that asks runners to stop a job's worker. */
export const CANCEL_EVENT = 'cancel';

export interface CancelWatcher {
  /** A signal aborted when `jobId` is cancelled; call release() when the phase ends. */
  watch(jobId: number): Promise<{ signal: AbortSignal; release(): void }>;
  close(): Promise<void>;
}

/** One LISTEN connection per runner process, opened on the first watched phase. */
export function createCancelWatcher(connectionString: string): CancelWatcher {
  const watched = new Map<number, Set<AbortController>>();
  let hub: EventHub | null = null;
  let starting: Promise<void> | null = null;
  const ensureStarted = () => {
    starting ??= (async () => {
      const h = new EventHub(connectionString);
      await h.start();
      h.subscribe((n) => {
        if (n.kind !== CANCEL_EVENT) return;
        for (const controller of watched.get(n.jobId) ?? []) controller.abort();
      });
      hub = h;
    })();
    return starting;
  };
  return {
    async watch(jobId) {
      await ensureStarted();
      const controller = new AbortController();
      const set = watched.get(jobId) ?? new Set();
      set.add(controller);
      watched.set(jobId, set);
      return {
        signal: controller.signal,
        release() {
          set.delete(controller);
          if (set.size === 0 && watched.get(jobId) === set) watched.delete(jobId);
        },
      };
    },
    async close() {
      watched.clear();
      await hub?.stop();
    },
  };
}
