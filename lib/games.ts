// Games are deployed jobs. Removing one frees its slot in the same transaction
// that enqueues the unpublish step (the API holds no Docker socket).
import type { Db, Queryable } from './db.ts';
import { withTransaction } from './db.ts';
import type { JobRow } from './jobs.ts';
import { PRIORITY, enqueue } from './queue.ts';
import { releaseSlotOf } from './slots.ts';

export async function listGames(db: Queryable, limit = 100): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `select * from gamepocgen.jobs where status = 'deployed' and slot is not null order by deployed_at desc limit $1`,
    [limit],
  );
  return rows;
}

/** Returns the freed slot, or null when the job holds none. */
export async function removeGame(db: Db, jobId: number): Promise<number | null> {
  return withTransaction(db, async (tx) => {
    const slot = await releaseSlotOf(tx, jobId);
    await tx.query(
      `update gamepocgen.jobs set status = 'removed', slot = null, url = null, updated_at = now() where id = $1`,
      [jobId],
    );
    if (slot !== null)
      await enqueue(tx, 'remove-game', { jobId, slot }, `slot:${slot}:remove:${jobId}`, PRIORITY.removeGame);
    return slot;
  });
}

export interface Stats {
  jobs: Record<string, number>;
  games: number;
  queueDepth: number;
  phaseDurationsMs: { phase: number; avg: number; p50: number; count: number }[];
  deployedLastHour: number;
  tokens: { inputTokens: number; outputTokens: number; costUsd: number };
}

export async function readStats(db: Queryable): Promise<Stats> {
  const [byStatus, phases, lastHour, usage, depth] = await Promise.all([
    db.query<{ status: string; n: number }>('select status, count(*)::int n from gamepocgen.jobs group by status'),
    db.query<{ phase: number; avg: number; p50: number; count: number }>(
      `select phase, round(avg(duration_ms))::int avg, percentile_cont(0.5) within group (order by duration_ms)::int p50, count(*)::int count
         from gamepocgen.phase_runs where status = 'completed' group by phase order by phase`,
    ),
    db.query<{ n: number }>(
      `select count(*)::int n from gamepocgen.jobs where deployed_at > now() - interval '1 hour'`,
    ),
    db.query<{ i: number; o: number; c: number }>(
      `select coalesce(sum((usage->>'inputTokens')::numeric), 0)::float8 i, coalesce(sum((usage->>'outputTokens')::numeric), 0)::float8 o,
              coalesce(sum((usage->>'costUsd')::numeric), 0)::float8 c from gamepocgen.jobs`,
    ),
    queueDepth(db),
  ]);
  const jobs = Object.fromEntries(byStatus.rows.map((r) => [r.status, r.n]));
  return {
    jobs,
    games: jobs.deployed ?? 0,
    queueDepth: depth,
    phaseDurationsMs: phases.rows,
    deployedLastHour: lastHour.rows[0]!.n,
    tokens: { inputTokens: usage.rows[0]!.i, outputTokens: usage.rows[0]!.o, costUsd: usage.rows[0]!.c },
  };
}

/** Graphile jobs waiting to run (not locked, attempts left). */
export async function queueDepth(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int n from graphile_worker._private_jobs where locked_at is null and attempts < max_attempts',
  );
  return rows[0]!.n;
}
