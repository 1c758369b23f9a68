// Runner liveness is per database: advisory locks are database-scoped, and lock keys
// come from a per-database sequence, so two GamePocGen databases on one server reuse
// the same keys. A live runner of one must not keep a dead runner of the other alive
// (the dead runner's jobs would never be returned to the queue).
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/db.ts';

let a: Awaited<ReturnType<typeof createTestDatabase>>;
let b: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await a?.drop();
  await b?.drop();
});

const register = (c: pg.Client, key: number) =>
  c.query(
    `insert into gamepocgen.worker_processes (id, hostname, pid, backend_pid, backend_start, lock_key)
     values ($1, 'test', 1, pg_backend_pid(), now(), $2)`,
    [`runner-${key}`, key],
  );
const dead = async (c: pg.Client, key: number) =>
  (
    await c.query<{ dead: boolean }>(
      `select gamepocgen.runner_dead(wp) as dead from gamepocgen.worker_processes wp where lock_key = $1`,
      [key],
    )
  ).rows[0]!.dead;

it("counts only this database's runner locks", async () => {
  const inA = new pg.Client({ connectionString: a.url });
  const inB = new pg.Client({ connectionString: b.url });
  await Promise.all([inA.connect(), inB.connect()]);
  try {
    // The same key in both databases; only A's runner holds its lock.
    await register(inA, 7);
    await register(inB, 7);
    await inA.query('select pg_advisory_lock(1196443472, 7)');
    expect(await dead(inA, 7)).toBe(false); // control: a held lock is a live runner
    expect(await dead(inB, 7)).toBe(true); // B's runner holds nothing: dead, whatever A holds
    await inB.query('select pg_advisory_lock(1196443472, 7)'); // its own lock (another database: no conflict)
    expect(await dead(inB, 7)).toBe(false);
  } finally {
    await Promise.all([inA.end(), inB.end()]);
  }
});
