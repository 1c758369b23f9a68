// Noticing a dead runner within moments, without polling: every runner process
// watches the next one in a ring (ordered by id) by waiting for its advisory
// lock (migrations/006_runner_liveness.sql). Postgres grants the lock the moment
// the watched process's session ends, which wakes the watcher to run the reaper.
// A change in who is registered (NOTIFY on PRESENCE_CHANNEL) cancels the wait and
// picks the new neighbour.
import pg from 'pg';
import { reapDeadRunners, type DeadRunnerReport } from './reaper/jobs.ts';

export const RUNNER_LOCK_CLASS = 1196443472;
export const PRESENCE_CHANNEL = 'gamepocgen_presence';
const QUERY_CANCELED = '57014';

export interface RingWatch {
  /** Who is registered changed: look for the new neighbour. */
  wake(): void;
  stop(): Promise<void>;
}

export function watchRing(opts: {
  connectionString: string;
  selfId: string;
  /** Cancels the watcher's wait from another session (pg_cancel_backend). */
  cancelBackend: (pid: number) => Promise<void>;
  onReaped?: (report: DeadRunnerReport) => void;
}): RingWatch {
  let stopped = false;
  let client: pg.Client | null = null;
  let waitingPid: number | null = null;
  let generation = 0;
  let wakeWaiter: (() => void) | null = null;
  let retryMs = 250;

  const wake = () => {
    generation++;
    wakeWaiter?.();
    wakeWaiter = null;
    if (waitingPid !== null) void opts.cancelBackend(waitingPid).catch(() => {});
  };
  const nextWake = (seen: number) =>
    new Promise<void>((resolve) => {
      if (seen !== generation || stopped) return resolve();
      wakeWaiter = resolve;
    });

  const loop = async () => {
    while (!stopped) {
      const seen = generation;
      try {
        if (!client) {
          const fresh = await connect(opts.connectionString);
          // Stopped while connecting (a runner that ends at once, e.g. `graphile-worker --once`): nothing to watch.
          if (stopped) {
            await fresh.end().catch(() => {});
            return;
          }
          client = fresh;
        }
        const c = client;
        const { rows } = await c.query<{ id: string; lock_key: number; pid: number }>(
          `select id, lock_key, pg_backend_pid() as pid from gamepocgen.worker_processes where id <> $1
            order by (id > $1) desc, id limit 1`,
          [opts.selfId],
        );
        retryMs = 250;
        const target = rows[0];
        if (!target) {
          await nextWake(seen);
          continue;
        }
        waitingPid = target.pid;
        if (seen !== generation) {
          waitingPid = null;
          continue; // woken while choosing: choose again
        }
        await c.query('select pg_advisory_lock($1, $2)', [RUNNER_LOCK_CLASS, target.lock_key]);
        waitingPid = null;
        await c.query('select pg_advisory_unlock($1, $2)', [RUNNER_LOCK_CLASS, target.lock_key]);
        const report = await reapDeadRunners(c);
        if (report.processes.length) opts.onReaped?.(report);
        // Still registered but not holding its lock: reconnecting after a Postgres restart. Its return
        // or the reaper run scheduled for the end of its grace (lib/presence.ts) announces the change.
        else await nextWake(seen);
      } catch (e) {
        waitingPid = null;
        if ((e as { code?: string }).code === QUERY_CANCELED) continue;
        const lost = client;
        client = null;
        await lost?.end().catch(() => {});
        if (stopped) return;
        await new Promise((r) => setTimeout(r, retryMs));
        retryMs = Math.min(retryMs * 2, 5000);
      }
    }
  };
  const done = loop();

  return {
    wake,
    async stop() {
      stopped = true;
      wake();
      const c = client;
      client = null;
      await c?.end().catch(() => {});
      await done;
    },
  };
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: 'gamepocgen-watch' });
  client.on('error', () => {}); // the pending query rejects; the loop reconnects
  await client.connect();
  return client;
}
