// Provider comparison: the lead job runs phase 1 once; on completion its
// phase-1 artifacts are copied to the sibling jobs (one per provider), which
// continue from phase 2 on their own provider. All in the lead's transaction.
import type { Queryable } from './db.ts';
import { enqueuePhase } from './queue.ts';

/** Adds a sibling of `leadId` that will run on `provider` once the lead's phase 1 is done. */
export async function insertComparisonSibling(db: Queryable, leadId: number, provider: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into gamepocgen.jobs (id, idea, genre, seed, game_name, provider, compare_group)
     select n.id, j.idea, j.genre, j.seed, 'game-' || n.id, $2, j.id
       from gamepocgen.jobs j, (select nextval(pg_get_serial_sequence('gamepocgen.jobs', 'id')) as id) n
      where j.id = $1
     returning id`,
    [leadId, provider],
  );
  return rows[0]!.id;
}

export async function markComparisonLead(db: Queryable, leadId: number, provider: string): Promise<void> {
  await db.query('update gamepocgen.jobs set provider = $2, compare_group = id where id = $1', [leadId, provider]);
}

/** Copies the lead's phase-1 results to its siblings and starts their phase 2. */
export async function forkComparison(db: Queryable, leadId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `update gamepocgen.jobs s set title = lead.title, phase = 1, updated_at = now()
       from gamepocgen.jobs lead
      where lead.id = $1 and s.compare_group = lead.id and s.id <> lead.id and s.status = 'queued'
     returning s.id`,
    [leadId],
  );
  const siblings = rows.map((r) => r.id);
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
  for (const id of siblings) await enqueuePhase(db, id, 2);
  return siblings;
}

/** When the shared phase 1 fails, the siblings can't go on either. */
export async function failComparisonSiblings(db: Queryable, leadId: number, reason: string): Promise<void> {
  await db.query(
    `update gamepocgen.jobs set status = 'failed', error = $2, updated_at = now(), finished_at = now()
      where compare_group = $1 and id <> $1 and status = 'queued'`,
    [leadId, `the shared phase 1 (job ${leadId}) failed: ${reason}`.slice(0, 4000)],
  );
}

export async function comparisonOf(
  db: Queryable,
  group: number,
): Promise<{ id: number; provider: string | null; status: string; url: string | null; title: string | null }[]> {
  const { rows } = await db.query(
    'select id, provider, status, url, title from gamepocgen.jobs where compare_group = $1 order by id',
    [group],
  );
  return rows;
}
