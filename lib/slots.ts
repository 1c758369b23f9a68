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
  await db.query('update gamepocgen.slots set job_id = $2, deployed_at = clock_timestamp() where slot = $1', [
    slot,
    jobId,
  ]);
}

export async function releaseSlotOf(db: Queryable, jobId: number): Promise<number | null> {
  const { rows } = await db.query<{ slot: number }>(
    'update gamepocgen.slots set job_id = null, deployed_at = null where job_id = $1 returning slot',
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
