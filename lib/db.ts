// Database access: one pg Pool per process, transactions as a helper, and the
// connection-string resolution shared by the API process, the worker CLI and tests.
import pg from 'pg';
import type { Config } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.ts';

export type Db = pg.Pool;
export type DbClient = pg.PoolClient | pg.Client;
/** Anything that can run a query: a pool or a checked-out client. */
/** Runs `fn` with a pooled client (the task adapters pass graphile-worker's helpers.withPgClient). */
export type WithClient = <T>(fn: (client: DbClient) => Promise<T>) => Promise<T>;
export type Queryable = Pick<pg.Pool, 'query'> | DbClient;

// bigint ids come back as numbers: job ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createPool(connectionString: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString, max, application_name: 'gamepocgen' });
  // An idle client losing its connection (e.g. Postgres restart) must not crash the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** DATABASE_URL when set, otherwise the embedded server under DATA_DIR. */
export async function resolveDatabase(
  config: Config,
  onLog?: (line: string) => void,
): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.DATA_DIR,
    port: config.EMBEDDED_PG_PORT,
    onLog,
  });
  return { url: embedded.url, embedded };
}

/** Runs `fn` in a transaction on `client` (already checked out). */
export async function inTransaction<T>(client: DbClient, fn: (client: DbClient) => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  }
}

/** Checks out a client from `pool` and runs `fn` in a transaction on it. */
export async function withTransaction<T>(pool: Db, fn: (client: DbClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, fn);
  } finally {
    client.release();
  }
}

/**
 * Whether a Postgres error is the caller's fault: bad input that reached SQL
 * (e.g. generate_game()'s "idea is too long", 22001 string_data_right_truncation,
 * or 22P02 invalid_text_representation). The API answers those with a 400.
 */
export function isInvalidInputError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '22001' || code === '22P02';
}
