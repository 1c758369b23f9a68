// Database access: one pg Pool per process, transactions as a helper, and the
// connection-string resolution shared by the API process, the worker CLI and tests.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { ConfigError, type Config } from './config.ts';
import type { EmbeddedDatabase } from './embedded-postgres.ts';

export type Db = pg.Pool;
export type DbClient = pg.PoolClient | pg.Client;
/** Anything that can run a query: a pool or a checked-out client. */
/** Runs `fn` with a pooled client (the task adapters pass graphile-worker's helpers.withPgClient). */
export type WithClient = <T>(fn: (client: DbClient) => Promise<T>) => Promise<T>;
export type Queryable = Pick<pg.Pool, 'query'> | DbClient;

// bigint ids come back as numbers: job ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createPool(connectionString: string, max = 10, opts: { waitForServerMs?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max, application_name: 'gamepocgen' });
  // An idle client losing its connection (e.g. Postgres restart) must not crash the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  if (opts.waitForServerMs) waitForServerOnConnect(pool, opts.waitForServerMs);
  return pool;
}

/** Errors that mean "the server is not there right now" (restarting, starting up, shutting down). */
const SERVER_AWAY = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03']);

/**
 * A pool whose connect() waits (up to `limitMs`, with backoff) for a server
 * that is restarting instead of failing at once: the task runner's pool, so a
 * step that finishes while Postgres restarts still records its outcome.
 */
function waitForServerOnConnect(pool: pg.Pool, limitMs: number) {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const patient = async (): Promise<pg.PoolClient> => {
    const deadline = Date.now() + limitMs;
    for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
      try {
        return await connect();
      } catch (e) {
        const code = (e as { code?: string }).code;
        const away = SERVER_AWAY.has(code ?? '') || /terminat|ended|closed/i.test((e as Error).message);
        if (!away || Date.now() + delay > deadline) throw e;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
  // The promise form only: pool.query() uses the callback form internally and keeps failing fast.
  pool.connect = ((cb?: unknown) => (cb ? (connect as (cb: unknown) => void)(cb) : patient())) as typeof pool.connect;
}

/** The session setting a task runner's connections start with (runnerDatabaseUrl). */
export const RUNNER_PLAN_SETTING = '-c plan_cache_mode=force_generic_plan';

/**
 * `url` for a task runner's connections: each session plans a prepared statement once (generic plans).
 * By default Postgres re-plans a named statement for its first 5 runs on every connection (custom plans),
 * and a runner's connections are young (pools replace idle ones): the hand-off's statements (a step's
 * closing add_job, the next step's start) and graphile-worker's get_job then spent more on planning than on
 * running (startPhaseIfDue: 0.25‥0.45 ms planning against 0.3 ms executing). Their parameters are ids and
 * keys, whose generic plans are the custom ones (get_job's too, with 20 000 jobs queued). Appended to a
 * URL's own `options`; a string that is not a URL is returned as it is.
 */
export function runnerDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const own = parsed.searchParams.get('options');
  if (own?.includes('plan_cache_mode')) return url; // the operator's own choice
  parsed.searchParams.set('options', own ? `${own} ${RUNNER_PLAN_SETTING}` : RUNNER_PLAN_SETTING);
  return parsed.toString();
}

const statementNames = new Map<string, string>();

/**
 * `text` as a named prepared statement (pg's `{name, text, values}`): each connection parses and
 * describes it once, later runs send only its values. For the hand-off's statements, where parsing
 * and planning cost as much as running (a job read: 0.78 ms a round trip unnamed, 0.37 ms named).
 * The name is the text's hash, so one name never meets two texts (pg refuses that). Only for texts
 * from our code, a bounded set; not for statements whose result columns a migration may change
 * while connections stay open (a prepared `select *` then fails with "cached plan must not change result type").
 */
export function namedStatement(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (!name) {
    name = `gpg_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/** DATABASE_URL when set, otherwise the embedded server under DATA_DIR. */
export async function resolveDatabase(
  config: Config,
  onLog?: (line: string) => void,
): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  // Loaded only here: the app image ships without the embedded server (compose sets DATABASE_URL).
  const { startEmbeddedPostgres } = await import('./embedded-postgres.ts').catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new ConfigError(
      `invalid configuration: DATABASE_URL is not set and the embedded Postgres is not installed here (${e.message.split('\n')[0]}); set DATABASE_URL to a PostgreSQL server`,
    );
  });
  const embedded = await startEmbeddedPostgres({
    dataDir: config.DATA_DIR,
    port: config.EMBEDDED_PG_PORT,
    // Durable unless explicitly traded for speed (tests): EMBEDDED_PG_FSYNC=off.
    fsync: config.EMBEDDED_PG_FSYNC === 'on',
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
