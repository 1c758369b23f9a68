// Nothing waits on a dead process: jobs locked by runner processes that no
// session holds the liveness lock of (migrations/006_runner_liveness.sql) go
// back to the queue, and their running phase records are closed. Phases are
// idempotent, so the re-run starts from the stored artifacts. Run by the
// watching neighbour the moment a runner's session ends (lib/runner-watch.ts),
// at start-up, and by the reap-containers task.
import type { DbClient, Queryable } from '../db.ts';
import { inTransaction } from '../db.ts';
import { addEvent } from '../events.ts';
import { unlockWorkers } from '../queue/queries.ts';

/** What a sweep did: the dead runners' presence rows removed, the queue jobs they held unlocked, their phase runs closed. */
export interface DeadRunnerReport {
  processes: string[];
  unlockedJobs: number;
  closedPhaseRuns: number;
}

export async function reapDeadRunners(client: DbClient): Promise<DeadRunnerReport> {
  return inTransaction(client, async (tx) => {
    // skip locked: two reapers at once each take different rows.
    const { rows: dead } = await tx.query<{ id: string; worker_ids: string[] }>(
      `select id, worker_ids from gamepocgen.worker_processes wp where gamepocgen.runner_dead(wp) for update skip locked`,
    );
    if (!dead.length) return { processes: [], unlockedJobs: 0, closedPhaseRuns: 0 };
    const workerIds = dead.flatMap((d) => d.worker_ids);
    const unlockedJobs = await unlockWorkers(tx, workerIds);
    const closed = await closeOrphanedRuns(tx, workerIds);
    await tx.query('delete from gamepocgen.worker_processes where id = any($1::text[])', [dead.map((d) => d.id)]);
    // Wake the other runners' watchers: a neighbour is gone (lib/runner-watch.ts).
    await tx.query(`select pg_notify('gamepocgen_presence', 'reaped')`);
    return { processes: dead.map((d) => d.id), unlockedJobs, closedPhaseRuns: closed };
  });
}

async function closeOrphanedRuns(tx: Queryable, workerIds: string[]): Promise<number> {
  const { rows } = await tx.query<{ id: number; job_id: number; phase: number }>(
    `update gamepocgen.phase_runs set status = 'failed', error = 'worker process died; phase returned to the queue', finished_at = clock_timestamp()
      where status = 'running' and worker_id = any($1::text[]) returning id, job_id, phase`,
    [workerIds],
  );
  for (const r of rows) {
    await addEvent(tx, {
      jobId: r.job_id,
      kind: 'log',
      phase: r.phase,
      message: `worker died during phase ${r.phase}; the phase was returned to the queue`,
    });
  }
  return rows.length;
}
