// A runner process's presence: a row in gamepocgen.worker_processes tied to an
// open Postgres session (see migrations/003_worker_processes.sql).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import type { Queryable } from './db.ts';

export interface Presence {
  id: string;
  /** Records a graphile-worker pool id (what it writes to locked_by) as belonging to this process. */
  addWorkerPool(workerId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function registerPresence(connectionString: string): Promise<Presence> {
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const client = new pg.Client({ connectionString, application_name: 'gamepocgen-presence' });
  client.on('error', () => {});
  await client.connect();
  await client.query(
    `insert into gamepocgen.worker_processes (id, hostname, pid, backend_pid, backend_start)
     select $1, $2, $3, pid, backend_start from pg_stat_activity where pid = pg_backend_pid()`,
    [id, os.hostname(), process.pid],
  );
  // One client, so its queries go one after another.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    id,
    addWorkerPool(poolId) {
      const next = queue.then(() =>
        client.query('update gamepocgen.worker_processes set worker_ids = array_append(worker_ids, $2) where id = $1', [
          id,
          poolId,
        ]),
      );
      queue = next.catch(() => {});
      return next.then(() => {});
    },
    async stop() {
      await queue;
      await client.query('delete from gamepocgen.worker_processes where id = $1', [id]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

/**
 * Runner processes whose Postgres session is still open (a dead one's row lingers
 * until the reaper runs), as a scalar subquery. pg_stat_get_activity(pid) reads
 * only each row's own backend instead of building the whole pg_stat_activity view.
 */
export const LIVE_RUNNERS_SQL = `select count(*)::int from gamepocgen.worker_processes wp
  where exists (select 1 from pg_stat_get_activity(wp.backend_pid) a where a.backend_start = wp.backend_start)`;

export async function liveRunnerCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select (${LIVE_RUNNERS_SQL}) n`);
  return rows[0]!.n;
}
