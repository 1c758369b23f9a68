// Starts the real service (bin/server.ts: API + graphile-worker runner) on a
// fresh database and temp dirs, with helpers to drive and await jobs: start a
// game, wait for a job's status or for one of its events (woken by NOTIFY).
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startService, type Service, type ServiceOptions } from '../../bin/server.ts';
import { loadConfig, type Config } from '../../lib/config.ts';
import { EventHub, listEvents } from '../../lib/events.ts';
import { OUTCOME_STATUSES } from '../../lib/jobs/lifecycle.ts';
import { getJob, type JobRow } from '../../lib/jobs/repository.ts';
import { createTestDatabase } from './db.ts';
import { OFFLINE_SERVICE_ENV } from '../../support/offline-env.ts';

/** A job event as the tests read it (a gamepocgen.job_events row). */
export type EventRow = {
  id: number;
  kind: string;
  message: string;
  phase: number | null;
  data: Record<string, any> | null;
};

export interface Harness {
  service: Service;
  config: Config;
  dataDir: string;
  /** fetch against the service (path like /api/jobs); a body is sent as JSON unless a content-type is given. */
  api(pathname: string, init?: RequestInit): Promise<Response>;
  /** POST /api/generate for one game; its job id (throws, with the answer, unless 201). */
  generate(idea: string, opts?: { seed?: number; genre?: string }): Promise<number>;
  /**
   * Resolves once the API's view cache has applied every change committed so far (lib/jobs/view-cache.ts sync()),
   * so a read through `api` shows them. waitForJob and waitForEvent do it before they resolve.
   */
  syncViews(): Promise<void>;
  /** Resolves with the first event of `jobId` that `match` accepts (woken by NOTIFY, not polling); rejects after `timeoutMs`. */
  waitForEvent(jobId: number, match: (e: EventRow) => boolean, timeoutMs?: number): Promise<EventRow>;
  /** Resolves when the job reaches one of `statuses`, by default any with an outcome (woken by NOTIFY, not polling). */
  waitForJob(id: number, statuses?: readonly string[], timeoutMs?: number): Promise<JobRow>;
  /** Fetches a slot's game as a browser would from http://gamedemoN.localhost:PORT/<path>. */
  fetchSlot(
    slot: number,
    pathname?: string,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>;
  close(): Promise<void>;
}

export async function createHarness(env: Record<string, string> = {}, opts: ServiceOptions = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-test-'));
  // Play-testing launches Chromium after every deploy: only the suites about it turn it on.
  const config = loadConfig({
    ...OFFLINE_SERVICE_ENV,
    DATA_DIR: dataDir,
    PLAYTEST: 'off',
    // A test's service stops at its end: a step still running (often a play-test) is aborted after
    // 2 s instead of the production 30 s, which under load pushed closes past the hook timeout.
    SHUTDOWN_GRACE_SECONDS: '2',
    DATABASE_URL: database.url,
    ...env,
  });
  const service = await startService(config, { databaseUrl: database.url, ...opts });
  const hub = new EventHub(database.url);
  await hub.start();

  const waitForJob = (id: number, statuses: readonly string[] = OUTCOME_STATUSES, timeoutMs = 60_000) =>
    new Promise<JobRow>((resolve, reject) => {
      let settled = false;
      const check = async () => {
        const job = await getJob(service.db, id);
        if (job && statuses.includes(job.status) && !settled) {
          settled = true;
          clearTimeout(timer);
          unsubscribe();
          resolve(job);
        }
      };
      const timer = setTimeout(async () => {
        unsubscribe();
        const job = await getJob(service.db, id);
        reject(
          new Error(
            `job ${id} did not reach ${statuses.join('/')} within ${timeoutMs} ms (status ${job?.status}, phase ${job?.phase}, error ${job?.error})`,
          ),
        );
      }, timeoutMs);
      const unsubscribe = hub.subscribe((n) => {
        if (n.jobId === id) void check();
      });
      void check();
    });

  const api = (pathname: string, init?: RequestInit) => fetch(`${service.url}${pathname}`, withJsonType(init));

  const waitForEvent = (jobId: number, match: (e: EventRow) => boolean, timeoutMs = 60_000) =>
    new Promise<EventRow>((resolve, reject) => {
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        fn();
      };
      const check = async () => {
        const found = (await listEvents(service.db, { jobId, afterId: 0, limit: 100_000 })).find(match);
        if (found) finish(() => resolve(found));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`no matching event for job ${jobId} within ${timeoutMs} ms`))),
        timeoutMs,
      );
      const unsubscribe = hub.subscribe((n) => {
        if (n.jobId === jobId) void check().catch((e) => finish(() => reject(e)));
      });
      void check().catch((e) => finish(() => reject(e)));
    });

  const syncViews = async () => {
    await service.viewCache?.sync();
  };
  // What a test waited for is then what the API shows too.
  const synced = async <T>(waited: Promise<T>): Promise<T> => {
    const value = await waited;
    await syncViews();
    return value;
  };

  return {
    service,
    config,
    dataDir,
    api,
    async generate(idea, opts = {}) {
      const res = await api('/api/generate', { method: 'POST', body: JSON.stringify({ idea, ...opts }) });
      if (res.status !== 201) throw new Error(`POST /api/generate answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
    },
    syncViews,
    waitForEvent: (jobId, match, timeoutMs) => synced(waitForEvent(jobId, match, timeoutMs)),
    fetchSlot: (slot, pathname = '/') =>
      getWithHost(service.port, `gamedemo${slot}.localhost:${service.port}`, pathname),
    waitForJob: (id, statuses, timeoutMs) => synced(waitForJob(id, statuses, timeoutMs)),
    async close() {
      await hub.stop();
      await service.close();
      await database.drop().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The README's curl sends `content-type: application/json`; so do the tests, unless they choose a type. */
function withJsonType(init: RequestInit | undefined): RequestInit | undefined {
  if (!init?.body) return init;
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return { ...init, headers };
}

/** fetch() can't set Host; *.localhost resolution outside browsers isn't guaranteed either. */
function getWithHost(port: number, host: string, pathname: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: pathname, headers: { host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('error', reject);
    },
  );
}
