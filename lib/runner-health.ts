// `gamepocgen health`: the container healthchecks. `--runner` asks the runner itself: is a
// runner process on this host (the container's hostname) registered and alive in Postgres
// (its presence row, lib/presence.ts)? Without it: does the API on PORT answer /health?
import os from 'node:os';
import pg from 'pg';
import type { Queryable } from './db.ts';

/** Live runner processes registered from `hostname`. */
export async function liveRunnersOn(db: Queryable, hostname: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int n from gamepocgen.worker_processes wp
      where wp.hostname = $1
        and gamepocgen.runner_lock_held(wp.lock_key)`,
    [hostname],
  );
  return rows[0]!.n;
}

export async function runnerHealth(databaseUrl: string | undefined): Promise<{ ok: boolean; message: string }> {
  if (!databaseUrl) return { ok: false, message: 'DATABASE_URL is not set: a separate runner needs it' };
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'gamepocgen-health',
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const n = await liveRunnersOn(client, os.hostname());
    return n > 0
      ? { ok: true, message: `${n} live runner process(es) on ${os.hostname()}` }
      : { ok: false, message: `no live runner process registered from ${os.hostname()}` };
  } catch (e) {
    return { ok: false, message: `database unreachable: ${(e as Error).message}` };
  } finally {
    await client.end().catch(() => {});
  }
}

export async function apiHealth(port: number): Promise<{ ok: boolean; message: string }> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) });
    return { ok: res.ok, message: `GET /health: ${res.status}` };
  } catch (e) {
    return { ok: false, message: `GET /health failed: ${(e as Error).message}` };
  }
}
