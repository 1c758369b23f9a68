// Games are deployed jobs (listed by lib/jobs/repository.ts listGames). Removing one frees its slot in the same transaction
// that enqueues the unpublish step (the API holds no Docker socket).
import type { Db, Queryable } from './db.ts';
import { withTransaction } from './db.ts';
import { markRemoved } from './jobs/lifecycle.ts';
import { countDeployedSince, countJobsByStatus, totalUsage } from './jobs/repository.ts';
import { enqueueRemoveGame } from './queue/enqueue.ts';
import { queueDepth } from './queue/queries.ts';
import { releaseSlotOf } from './slots.ts';

/** Returns the freed slot, or null when the job holds none. */
export async function removeGame(db: Db, jobId: number): Promise<number | null> {
  return withTransaction(db, async (tx) => {
    const slot = await releaseSlotOf(tx, jobId);
    await markRemoved(tx, jobId);
    if (slot !== null) await enqueueRemoveGame(tx, jobId, slot);
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
  const [jobs, phases, deployedLastHour, tokens, depth] = await Promise.all([
    countJobsByStatus(db),
    db.query<{ phase: number; avg: number; p50: number; count: number }>(
      `select phase, round(avg(duration_ms))::int avg, percentile_cont(0.5) within group (order by duration_ms)::int p50, count(*)::int count
         from gamepocgen.phase_runs where status = 'completed' group by phase order by phase`,
    ),
    countDeployedSince(db, '1 hour'),
    totalUsage(db),
    queueDepth(db),
  ]);
  return {
    jobs,
    games: jobs.deployed ?? 0,
    queueDepth: depth,
    phaseDurationsMs: phases.rows,
    deployedLastHour,
    tokens,
  };
}
