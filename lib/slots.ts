// The slot pool: SLOTS rows in Postgres; allocation is a row lock. A full pool
// recycles the least recently deployed slot.
import type { Queryable } from './db.ts';

export async function ensureSlots(db: Queryable, count: number): Promise<void> {
  await db.query('insert into gamepocgen.slots (slot) select generate_series(0, $1 - 1) on conflict do nothing', [
    count,
  ]);
}

/**
 * Locks and returns the slot this job should use: the one it already holds,
 * else a free one, else the least recently deployed. Call inside a transaction.
 * Returns the job that held it before (to be marked recycled), if any.
 */
export async function allocateSlot(
  db: Queryable,
  jobId: number,
  count: number,
): Promise<{ slot: number; previousJobId: number | null }> {
  const { rows } = await db.query<{ slot: number; job_id: number | null }>(
    `select slot, job_id from gamepocgen.slots
      where slot < $2
      order by coalesce(job_id = $1, false) desc, job_id is not null, deployed_at nulls first, slot
      limit 1 for update skip locked`,
    [jobId, count],
  );
  const row = rows[0];
  if (!row) throw new Error(`all ${count} slots are being deployed to right now; the deploy will be retried`);
  return { slot: row.slot, previousJobId: row.job_id === jobId ? null : row.job_id };
}

export async function assignSlot(db: Queryable, slot: number, jobId: number): Promise<void> {
  await db.query(
    `update gamepocgen.slots set job_id = $2, deployed_at = clock_timestamp(),
            served = true, serve_problem = null, checked_at = clock_timestamp()
      where slot = $1`,
    [slot, jobId],
  );
}

export async function releaseSlotOf(db: Queryable, jobId: number): Promise<number | null> {
  const { rows } = await db.query<{ slot: number }>(
    `update gamepocgen.slots set job_id = null, deployed_at = null, served = null, serve_problem = null, checked_at = null
      where job_id = $1 returning slot`,
    [jobId],
  );
  return rows[0]?.slot ?? null;
}

export async function slotOwner(db: Queryable, slot: number, opts: { lock?: boolean } = {}): Promise<number | null> {
  const { rows } = await db.query<{ job_id: number | null }>(
    `select job_id from gamepocgen.slots where slot = $1${opts.lock ? ' for update' : ''}`,
    [slot],
  );
  return rows[0]?.job_id ?? null;
}

/** Locks slot N's row if no deploy holds it; true when this transaction now owns it for `jobId`. */
export async function lockSlotFor(db: Queryable, slot: number, jobId: number): Promise<boolean> {
  const { rows } = await db.query(
    'select 1 from gamepocgen.slots where slot = $1 and job_id = $2 for update skip locked',
    [slot, jobId],
  );
  return rows.length > 0;
}

export async function recordSlotCheck(db: Queryable, slot: number, problem: string | null): Promise<void> {
  await db.query(
    'update gamepocgen.slots set served = $2, serve_problem = $3, checked_at = clock_timestamp() where slot = $1',
    [slot, problem === null, problem],
  );
}

/** The same list as one JSON value, for /health's single snapshot query (lib/health.ts). */
export const SLOTS_NOT_SERVED_SQL = `select coalesce(json_agg(json_build_object('slot', slot, 'jobId', job_id, 'problem', serve_problem) order by slot), '[]')
  from gamepocgen.slots where job_id is not null and served = false`;

/** Assigned slots the last check found not serving their job (for /health). */
export async function slotsNotServed(
  db: Queryable,
): Promise<Array<{ slot: number; jobId: number; problem: string | null; checkedAt: string | null }>> {
  const { rows } = await db.query<{
    slot: number;
    job_id: string;
    serve_problem: string | null;
    checked_at: Date | null;
  }>(
    `select slot, job_id, serve_problem, checked_at from gamepocgen.slots
      where job_id is not null and served = false order by slot`,
  );
  return rows.map((r) => ({
    slot: r.slot,
    jobId: Number(r.job_id),
    problem: r.serve_problem,
    checkedAt: r.checked_at?.toISOString() ?? null,
  }));
}
