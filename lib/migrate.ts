// Applies graphile-worker's schema, then migrations/*.sql in order, each in its
// own transaction, under an advisory lock so concurrent start-ups don't race.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { runMigrations } from 'graphile-worker';
import type { Db } from './db.ts';
import { inTransaction } from './db.ts';
import { ROOT_DIR } from './config.ts';

const MIGRATIONS_DIR = path.join(ROOT_DIR, 'migrations');
const LOCK_KEY = 74_206_001; // arbitrary, stable: "gamepocgen migrations"

export async function migrate(pool: Db, log: (line: string) => void = () => {}): Promise<string[]> {
  await runMigrations({ pgPool: pool, logger: undefined });
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`create schema if not exists gamepocgen;
      create table if not exists gamepocgen.migrations (name text primary key, applied_at timestamptz not null default now())`);
    const { rows } = await client.query<{ name: string }>('select name from gamepocgen.migrations');
    const applied = new Set(rows.map((r) => r.name));
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
    const ran: string[] = [];
    for (const file of files) {
      if (applied.has(file)) continue;
      const sql = await readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      await inTransaction(client, async (tx) => {
        await tx.query(sql);
        await tx.query('insert into gamepocgen.migrations (name) values ($1)', [file]);
      });
      log(`migrated ${file}`);
      ran.push(file);
    }
    return ran;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    client.release();
  }
}
