// Stopping the worker of a cancelled job. The API holds no process handle and no
// Docker socket: it writes a `cancel` job event (NOTIFY on commit), and the
// runner process that is running one of that job's phases hears it here and
// aborts the phase's signal — the runtime then kills the child or container.
import { EventHub, type EventNotice } from '../events.ts';

/** The job event kind that asks runners to stop a job's worker. */
export const CANCEL_EVENT = 'cancel';

export interface CancelWatcher {
  /** A signal aborted when `jobId` is cancelled; call release() when the phase ends. */
  watch(jobId: number): Promise<{ signal: AbortSignal; release(): void }>;
  close(): Promise<void>;
}

/**
 * Hears cancel events on the process's own EventHub when it is given one (bin/server.ts: the hub is started
 * before the runner, and stays the owner's to stop), so a runner adds no LISTEN connection of its own — every
 * listening backend is woken by each commit that notifies, graphile-worker's listener among them.
 * Given a connection string instead (the graphile-worker CLI, no hub in that process), it opens one LISTEN
 * connection on the first watched phase; `closeWhenIdle` closes it again when no phase is watched, so a
 * process that must exit by itself (`--once`) is not held open by it.
 */
export function createCancelWatcher(source: string | EventHub, opts: { closeWhenIdle?: boolean } = {}): CancelWatcher {
  const watched = new Map<number, Set<AbortController>>();
  const onNotice = (n: EventNotice) => {
    if (n.kind !== CANCEL_EVENT) return;
    for (const controller of watched.get(n.jobId) ?? []) controller.abort();
  };
  const shared = typeof source === 'string' ? null : source;
  const unsubscribeShared = shared?.subscribe(onNotice) ?? null;
  let hub: Promise<EventHub> | null = null;
  const ensureStarted = async () => {
    if (shared) return;
    hub ??= (async () => {
      const h = new EventHub(source as string);
      h.subscribe(onNotice);
      await h.start();
      return h;
    })().catch((e) => {
      hub = null; // the next phase tries again
      throw e;
    });
    await hub;
  };
  const stopIfIdle = () => {
    if (!opts.closeWhenIdle || watched.size > 0 || !hub) return;
    const closing = hub;
    hub = null;
    void closing.then((h) => h.stop()).catch(() => {});
  };
  return {
    async watch(jobId) {
      // Registered before the connection is awaited, so an idle close cannot slip in between.
      const controller = new AbortController();
      const set = watched.get(jobId) ?? new Set();
      set.add(controller);
      watched.set(jobId, set);
      const release = () => {
        set.delete(controller);
        if (set.size === 0 && watched.get(jobId) === set) watched.delete(jobId);
        stopIfIdle();
      };
      try {
        await ensureStarted();
      } catch (e) {
        release();
        throw e;
      }
      return { signal: controller.signal, release };
    },
    async close() {
      watched.clear();
      unsubscribeShared?.(); // a shared hub is its owner's to stop
      const h = hub;
      hub = null;
      await h?.then((started) => started.stop()).catch(() => {});
    },
  };
}
