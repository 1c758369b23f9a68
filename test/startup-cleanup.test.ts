// Start-up that fails at a late step leaves nothing running: every resource started so far (database
// pools, the event hub's LISTEN connection, the runner and its presence session, the HTTP server, the
// embedded Postgres) is stopped, last first, and the caller gets the error that stopped start-up, with
// its code and message. A control start-up that succeeds leaves nothing either once close() returns.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from '../bin/server.ts';
import { loadConfig } from '../lib/config.ts';
import { OFFLINE_SERVICE_ENV } from '../support/offline-env.ts';
import { freePort } from '../support/free-port.ts';
import { createTestDatabase } from './helpers/db.ts';
import { spawnApp } from './helpers/processes.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let probe: pg.Client;
const dirs: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  probe = new pg.Client({ connectionString: database.url, application_name: 'startup-cleanup-probe' });
  await probe.connect();
});
afterAll(async () => {
  await probe?.end();
  await database?.drop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `gamepocgen-${name}-`));
  dirs.push(dir);
  return dir;
}

/** Every other session on the test database, by application_name (the service names each of its kinds). */
async function otherSessions(): Promise<string[]> {
  const { rows } = await probe.query<{ name: string }>(
    `select application_name as name from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() order by 1`,
  );
  return rows.map((r) => r.name);
}

/**
 * The handles keeping this process alive (sockets, servers, pipes, child processes: `…Wrap`), counted by kind.
 * Timers and file requests are left out: the test runner's own come and go.
 */
function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo())
    if (kind.endsWith('Wrap')) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * What `read` says once `done` holds, or after a bounded wait (then the assertion shows what was left): a
 * closed client's Postgres backend and socket go away a moment after its end() resolves.
 */
async function settled<T>(read: () => T | Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
const noSessions = () => settled(otherSessions, (names) => names.length === 0);
/**
 * Handle kinds now more numerous than in `before`: what the service left open. Not an equality: a handle
 * of the test process's own (a server an earlier test closed, the runner's) may go away meanwhile.
 */
const handlesLeft = async (before: Record<string, number>) => {
  const more = (now: Record<string, number>) =>
    Object.fromEntries(Object.entries(now).filter(([kind, n]) => n > (before[kind] ?? 0)));
  return more(await settled(openHandles, (now) => Object.keys(more(now)).length === 0));
};

/** GET on a connection of its own that is closed once answered (no keep-alive socket left behind). */
function getOnce(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.socket.once('close', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
  });
}

const config = (dataDir: string, env: Record<string, string> = {}) =>
  loadConfig({
    ...OFFLINE_SERVICE_ENV,
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    PLAYTEST: 'off',
    ...env,
  });

it('stops the runner, pools, LISTEN and HTTP server when the last step (the API token file) fails', async () => {
  const dataDir = await tempDir('startup-token');
  await mkdir(path.join(dataDir, 'api-token')); // a directory where the token file should be: unreadable
  const handlesBefore = openHandles();
  expect(await noSessions()).toEqual([]);

  const failure = await startService(config(dataDir), { databaseUrl: database.url }).then(
    () => null,
    (e: unknown) => e as NodeJS.ErrnoException,
  );
  expect(failure).toBeInstanceOf(Error);
  expect(failure).toMatchObject({ code: 'EISDIR' });
  expect(failure!.message).toContain(path.join(dataDir, 'api-token'));
  expect(failure!.message).toMatch(/API_TOKEN/); // says what to do about it

  expect(await noSessions()).toEqual([]);
  const presence = await probe.query('select count(*)::int n from gamepocgen.worker_processes');
  expect(presence.rows[0].n).toBe(0); // the runner deregistered, not left for the reaper
  expect(await handlesLeft(handlesBefore)).toEqual({});
});

it('stops what it started when the HTTP port is taken, with the port in the error', async () => {
  const { port, release } = await takenPort();
  try {
    const dataDir = await tempDir('startup-port');
    const handlesBefore = openHandles();
    const failure = await startService(config(dataDir, { PORT: String(port) }), { databaseUrl: database.url }).then(
      () => null,
      (e: unknown) => e as NodeJS.ErrnoException & { port?: number },
    );
    expect(failure).toMatchObject({ code: 'EADDRINUSE', port });
    expect(await noSessions()).toEqual([]);
    expect(await handlesLeft(handlesBefore)).toEqual({});
  } finally {
    await release();
  }
});

it('control: a start-up that succeeds opens its sessions, and close() leaves none of them', async () => {
  const dataDir = await tempDir('startup-ok');
  const handlesBefore = openHandles();
  const service = await startService(config(dataDir), { databaseUrl: database.url });
  try {
    expect(await getOnce(`${service.url}/health`)).toBe(200);
    // What the failing cases must stop: the API and runner pools, the event hub, the runner's presence (it
    // registers on the runner's pool:create, just after start-up: waited for, boundedly).
    const sessions = await settled(otherSessions, (names) => names.includes('gamepocgen-presence'));
    expect(sessions).toEqual(expect.arrayContaining(['gamepocgen', 'gamepocgen-events', 'gamepocgen-presence']));
  } finally {
    await service.close();
  }
  expect(await noSessions()).toEqual([]);
  expect(await handlesLeft(handlesBefore)).toEqual({});
});

/** A TCP server on a free port of 127.0.0.1, standing in for another program that holds it. */
async function takenPort(): Promise<{ port: number; release: () => Promise<unknown> }> {
  const blocker = net.createServer();
  const port = await new Promise<number>((resolve) =>
    blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
  );
  return { port, release: () => new Promise((resolve) => blocker.close(resolve)) };
}

describe('with the embedded Postgres', () => {
  let dataDir: string;
  let pidFile: string;
  let pgPort: number;
  beforeAll(async () => {
    dataDir = await tempDir('startup-embedded');
    await chmod(dataDir, 0o755); // as root the server runs as `postgres`, which must reach its directory
    pidFile = path.join(dataDir, 'postgres', 'data', 'postmaster.pid');
    pgPort = await freePort();
  });
  afterAll(async () => {
    // Only when a test failed: the server left running is stopped (fast shutdown).
    if (existsSync(pidFile)) process.kill(Number((await readFile(pidFile, 'utf8')).split('\n')[0]), 'SIGINT');
  });

  it('stops the server it started when the HTTP port is taken', { timeout: 120_000 }, async () => {
    const taken = await takenPort();
    const exitHooks = process.listenerCount('exit');
    try {
      const embedded = loadConfig({
        ...OFFLINE_SERVICE_ENV,
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(pgPort),
        EMBEDDED_PG_FSYNC: 'off',
        PLAYTEST: 'off',
        PORT: String(taken.port),
      });
      const failure = await startService(embedded).then(
        () => null,
        (e: unknown) => e as NodeJS.ErrnoException & { port?: number },
      );
      expect(failure).toMatchObject({ code: 'EADDRINUSE', port: taken.port });
      expect(existsSync(pidFile)).toBe(false); // stopped, not left running (it removes its pid file last)
      expect(process.listenerCount('exit')).toBe(exitHooks); // and no longer watched for this process's exit
    } finally {
      await taken.release();
    }
  });

  it('`gamepocgen start` on a taken port exits 1 with the readable error, its server stopped', {
    timeout: 120_000,
  }, async () => {
    const taken = await takenPort();
    try {
      const child = spawnApp({
        DATA_DIR: dataDir,
        PORT: String(taken.port),
        EMBEDDED_PG_PORT: String(pgPort),
        EMBEDDED_PG_FSYNC: 'off',
      });
      const exit = await child.exited;
      expect(exit, child.output()).toEqual({ code: 1, signal: null });
      expect(child.output()).toContain(`port ${taken.port} is already in use`);
      expect(existsSync(pidFile)).toBe(false); // stopped before the process exited
    } finally {
      await taken.release();
    }
  });
});
