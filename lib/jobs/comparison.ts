// The job rows of a provider comparison: the lead (compare_group = its own id)
// runs phase 1; its siblings wait in `queued` until the lead's phase 1 is shared
// with them (lib/compare.ts). Status writes are in ./lifecycle.ts.
import type { Queryable } from '../db.ts';

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

/** The lead's waiting siblings take its title and phase 1; returns their ids. */
export async function takeSharedIdea(db: Queryable, leadId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `update gamepocgen.jobs s set title = lead.title, phase = 1, updated_at = now()
       from gamepocgen.jobs lead
      where lead.id = $1 and s.compare_group = lead.id and s.id <> lead.id and s.status = 'queued'
     returning s.id`,
    [leadId],
  );
  return rows.map((r) => r.id);
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
