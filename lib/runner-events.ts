// Hooks a runner's event emitter up to this process's presence row, so the
// reaper can tell which graphile workerIds belong to a live process, and the
// presence knows which jobs this process is running (after a reconnect it
// returns the others it still has locked to the queue).
import { EventEmitter } from 'node:events';
import type { WorkerEvents } from 'graphile-worker';
import { registerPresence, type Presence, type PresenceOptions } from './presence.ts';

export function presenceEvents(
  connectionString: string,
  events: WorkerEvents = new EventEmitter() as WorkerEvents,
  log?: (line: string) => void,
  opts: Pick<PresenceOptions, 'servesGames' | 'hub'> = {},
): WorkerEvents {
  let presence: Promise<Presence> | null = null;
  const active = new Set<string>();
  const ready = () =>
    (presence ??= registerPresence(connectionString, {
      activeJobIds: () => [...active],
      log,
      servesGames: opts.servesGames,
      hub: opts.hub,
    }));
  // graphile-worker 0.18 locks jobs with the pool's id (locked_by); record it.
  events.on('pool:create', ({ workerPool }) => {
    void ready()
      .then((p) => p.addWorkerPool(workerPool.id))
      .catch(() => {});
  });
  events.on('job:start', ({ job }) => void active.add(String(job.id)));
  events.on('job:complete', ({ job }) => void active.delete(String(job.id)));
  events.on('pool:release', () => {
    // Kept, so a process that stops can wait for its presence row to be gone (presenceStopped).
    stopping.set(events, presence?.then((p) => p.stop()).catch(() => {}) ?? Promise.resolve());
    presence = null;
  });
  return events;
}

const stopping = new WeakMap<WorkerEvents, Promise<void>>();

/**
 * Resolves once the presence of the runner that used these events has deregistered. The pool
 * releases it without waiting; a process that exits right after runner.stop() used to leave its
 * row for the reaper (seen under load in the shutdown test).
 */
export function presenceStopped(events: WorkerEvents): Promise<void> {
  return stopping.get(events) ?? Promise.resolve();
}
