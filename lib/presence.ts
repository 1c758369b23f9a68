// A runner process's presence: a row in gamepocgen.worker_processes and an
// advisory lock held on a Postgres session of its own for its whole life
// (migrations/006_runner_liveness.sql). The session reconnects by itself when
// Postgres restarts: it takes the lock again, re-registers (the reaper gives a
// runner a grace period to do so), releases graphile jobs this process still
// has locked but no longer runs (their completion may have been lost with the
// connection), and watches its neighbour (lib/runner-watch.ts).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { inTransaction, type Queryable } from './db.ts';
import type { ChannelListener } from './events.ts';
import { scheduleReapAfterRestart } from './queue/enqueue.ts';
import { releaseStrandedJobs } from './queue/queries.ts';
import { PRESENCE_CHANNEL, RUNNER_LOCK_CLASS, watchRing, type RingWatch } from './runner-watch.ts';

export interface Presence {
  id: string;
  /** Records a graphile-worker pool id (what it writes to locked_by) as belonging to this process. */
  addWorkerPool(workerId: string): Promise<void>;
  stop(): Promise<void>;
}

export interface PresenceOptions {
  /** Graphile job ids this process is running right now. */
  activeJobIds?: () => string[];
  log?: (line: string) => void;
  /** SERVE_GAMES: whether this runner takes the steps about served games (default true). */
  servesGames?: boolean;
  /**
   * The process's LISTEN connection (bin/server.ts: its EventHub), to hear PRESENCE_CHANNEL on instead of
   * the presence session: Postgres wakes every listening backend of the database on each commit that
   * notifies (a step's hand-off commits five), and one more listener cost each hand-off commit ~0.15 ms of
   * round trip on 2 cores. Absent (the graphile-worker CLI), the presence session listens itself.
   */
  hub?: { listen(channel: string, listener: ChannelListener): Promise<void>; unlisten(channel: string): Promise<void> };
}

/** Seconds a runner has after a Postgres restart to reconnect before it counts as dead (runner_dead's default). */
const RECONNECT_GRACE_SECONDS = 15;

export async function registerPresence(connectionString: string, opts: PresenceOptions = {}): Promise<Presence> {
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = opts.log ?? (() => {});
  const workerIds: string[] = [];
  let lockKey: number | null = null;
  let client: pg.Client | null = null;
  let stopped = false;
  let retryMs = 250;
  let watch: RingWatch | null = null;
  // One session, so its queries go one after another.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const next = queue.then(() => (client ? fn(client) : Promise.reject(new Error('presence session is down'))));
    queue = next.catch(() => {});
    return next;
  };

  const register = async (reconnect: boolean) => {
    const c = new pg.Client({ connectionString, application_name: 'gamepocgen-presence' });
    c.on('error', () => {});
    c.on('end', () => lost(c));
    c.on('notification', (n) => {
      if (n.channel === PRESENCE_CHANNEL && n.payload !== id) watch?.wake();
    });
    await c.connect();
    try {
      lockKey = await inTransaction(c, async (tx) => {
        const { rows } = await tx.query<{ lock_key: number }>(
          `insert into gamepocgen.worker_processes
             (id, hostname, pid, backend_pid, backend_start, worker_ids, lock_key, serves_games)
           select $1, $2, $3, pid, backend_start, $4, coalesce($5, nextval('gamepocgen.worker_lock_keys')::integer), $6
             from pg_stat_activity where pid = pg_backend_pid()
           on conflict (id) do update set backend_pid = excluded.backend_pid, backend_start = excluded.backend_start,
             worker_ids = excluded.worker_ids, connected_at = now()
           returning lock_key`,
          [id, os.hostname(), process.pid, workerIds, lockKey, opts.servesGames ?? true],
        );
        const key = rows[0]!.lock_key;
        // A watcher may hold it for a moment (it takes and drops it when our old session ends).
        for (let i = 0; ; i++) {
          const got = await tx.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [
            RUNNER_LOCK_CLASS,
            key,
          ]);
          if (got.rows[0]!.ok) break;
          if (i > 50) throw new Error(`runner lock ${key} is held by another session`);
          await new Promise((r) => setTimeout(r, 100));
        }
        return key;
      });
      if (!opts.hub) await c.query(`listen ${PRESENCE_CHANNEL}`);
      await c.query('select pg_notify($1, $2)', [PRESENCE_CHANNEL, id]);
      if (reconnect) await afterReconnect(c);
    } catch (e) {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
      throw e;
    }
    client = c;
    retryMs = 250;
  };

  const afterReconnect = async (c: pg.Client) => {
    // Locked by us before the connection dropped, but not running here: its completion or failure was lost.
    const released = await releaseStrandedJobs(c, workerIds, opts.activeJobIds?.() ?? []);
    // Runners that have not reconnected by the end of their grace are reaped then (not polled for meanwhile).
    await scheduleReapAfterRestart(c, RECONNECT_GRACE_SECONDS);
    log(
      `runner ${id}: reconnected to Postgres${released ? `; ${released} stranded job(s) returned to the queue` : ''}`,
    );
    watch?.wake();
  };

  const lost = (c: pg.Client) => {
    if (client !== c || stopped) return;
    client = null;
    log(`runner ${id}: lost its Postgres session; reconnecting`);
    void reconnect();
  };
  const reconnect = async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, retryMs));
      retryMs = Math.min(retryMs * 2, 5000);
      if (stopped) return;
      try {
        await register(true);
        return;
      } catch {
        // Postgres still down or starting: try again
      }
    }
  };

  await register(false);
  watch = watchRing({
    connectionString,
    selfId: id,
    cancelBackend: (pid) => serially((c) => c.query('select pg_cancel_backend($1)', [pid])).then(() => {}),
    onReaped: (r) =>
      log(`reaper: runner(s) ${r.processes.join(', ')} died; ${r.unlockedJobs} job(s) returned to the queue`),
  });
  // On the hub: a registration may be missed while its connection is down (or before it listened), so each
  // time it is up the watcher looks for its neighbour again, as it does after the presence reconnects.
  await opts.hub?.listen(PRESENCE_CHANNEL, {
    notify: (payload) => {
      if (payload !== id) watch?.wake();
    },
    up: () => watch?.wake(),
    down: () => {},
  });

  return {
    id,
    addWorkerPool(poolId) {
      workerIds.push(poolId);
      return serially((c) =>
        c.query('update gamepocgen.worker_processes set worker_ids = $2 where id = $1', [id, workerIds]),
      ).then(() => {});
    },
    async stop() {
      stopped = true;
      await opts.hub?.unlisten(PRESENCE_CHANNEL);
      await watch?.stop();
      await queue;
      const c = client;
      client = null;
      if (!c) return;
      c.removeAllListeners('end');
      await c.query('delete from gamepocgen.worker_processes where id = $1', [id]).catch(() => {});
      await c.query('select pg_notify($1, $2)', [PRESENCE_CHANNEL, id]).catch(() => {});
      await c.end().catch(() => {});
    },
  };
}

/**
 * Runner processes holding their liveness lock (a dead one's row lingers until
 * the reaper runs), as a scalar subquery lib/health.ts composes with the queue depth.
 */
export const LIVE_RUNNERS_SQL =
  'select count(*)::int from gamepocgen.worker_processes wp where gamepocgen.runner_lock_held(wp.lock_key)';

/** Live runners that take the steps about served games (SERVE_GAMES=1): with none, nothing gets deployed. */
export const LIVE_GAMES_RUNNERS_SQL =
  'select count(*)::int from gamepocgen.worker_processes wp where wp.serves_games and gamepocgen.runner_lock_held(wp.lock_key)';

export async function liveRunnerCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select (${LIVE_RUNNERS_SQL}) n`);
  return rows[0]!.n;
}
