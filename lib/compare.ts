// Provider comparison: the lead job runs phase 1 once; on completion its
// phase-1 artifacts are copied to the sibling jobs (one per provider), which
// continue from phase 2 on their own provider. All in the lead's transaction.
import type { Queryable } from './db.ts';
import { takeSharedIdea } from './jobs/comparison.ts';
import { enqueuePhase } from './queue/enqueue.ts';

/** Copies the lead's phase-1 results to its siblings and starts their phase 2. */
export async function forkComparison(db: Queryable, leadId: number): Promise<number[]> {
  const siblings = await takeSharedIdea(db, leadId);
  if (!siblings.length) return [];
  await db.query(
    `insert into gamepocgen.artifacts (job_id, path, bytes, sha256, phase)
     select s, a.path, a.bytes, a.sha256, a.phase from gamepocgen.artifacts a, unnest($2::bigint[]) s
      where a.job_id = $1 and a.phase = 1
     on conflict (job_id, path) do nothing`,
    [leadId, siblings],
  );
  await db.query(
    `insert into gamepocgen.phase_runs (job_id, phase, status, runtime, agent, started_at, finished_at, duration_ms, agent_ms, error)
     select s, 1, 'completed', 'shared:' || $1, r.agent, r.started_at, r.finished_at, 0, 0, null
       from unnest($2::bigint[]) s,
            (select agent, started_at, clock_timestamp() as finished_at from gamepocgen.phase_runs where job_id = $1 and phase = 1 order by id desc limit 1) r`,
    [leadId, siblings],
  );
  for (const id of siblings) await enqueuePhase(db, id, 2); // PHASES[1].next
  return siblings;
}
