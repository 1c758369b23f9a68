// The read section: the API alone (no task runner) over 500 seeded jobs, each
// read endpoint under autocannon load, then the gallery's first screen with 1 000.
// GET /health is measured between its floors on this machine (bench/floor.ts): what a
// bare node:http server and a bare Hono app reach answering the same response. The job and
// list reads are measured twice: with the view cache (lib/jobs/view-cache.ts; what a gallery
// re-reading unchanged jobs gets, with the cache's hit ratio during the run) and, on a second
// API over the same database with READ_CACHE=off, uncached (every read queries Postgres, as the
// first read after a change does).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../bin/server.ts';
import { loadConfig } from '../lib/config.ts';
import { listGames, listJobs } from '../lib/jobs/repository.ts';
import type { ViewCache, ViewKind } from '../lib/jobs/view-cache.ts';
import { chromiumAvailable } from '../support/browser.ts';
import { galleryFirstScreen } from './gallery-first-screen.ts';
import { captureResponse, type FloorServer, honoFloor, nodeHttpFloor } from './floor.ts';
import { type LoadResult, loadTest, postgresPids } from './http-load.ts';
import type { BenchDb } from './bench-db.ts';
import type { createReport } from './report.ts';
import { seedJobs } from './seed.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);

export async function reads(report: ReturnType<typeof createReport>, dbs: BenchDb): Promise<void> {
  const databaseUrl = await dbs.database('bench_reads');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-bench-reads-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
  const service = await startService(config, { databaseUrl, tasks: false });
  try {
    const ids = await seedJobs(service.db, 500);
    const pgPids = () => postgresPids(service.db);
    const base = `http://127.0.0.1:${service.port}`;
    const jobUrl = `${base}/api/jobs/${ids[250]}`;
    const etag = (await fetch(jobUrl)).headers.get('etag') ?? '';
    const endpoints: [key: string, label: string, url: string, headers?: Record<string, string>][] = [
      ['health_ready', 'GET /health/ready', `${base}/health/ready`],
      ['job', 'GET /api/jobs/:id (500 jobs)', jobUrl],
      ['job_304', 'GET /api/jobs/:id, If-None-Match → 304', jobUrl, { 'if-none-match': etag }],
      ['list', 'GET /api/jobs?limit=50 (500 jobs)', `${base}/api/jobs?limit=50`],
    ];
    const load = (url: string, headers?: Record<string, string>, pg = pgPids) =>
      loadTest(url, { connections: CONNECTIONS, seconds: SECONDS, headers, pgPids: pg });
    await healthAndFloors(report, `${base}/health`, load);
    for (const [key, label, url, headers] of endpoints) {
      const view: ViewKind | null = key === 'list' ? 'list' : key.startsWith('job') ? 'job' : null;
      const counted = view && service.viewCache ? hitRatio(service.viewCache, view) : null;
      record(report, key, label, await load(url, headers), { expected: key === 'job_304' ? 304 : 200 });
      if (counted) counted.report(report, key);
    }
    await uncachedReads(report, databaseUrl, dataDir, ids[250]!, endpoints);

    if (!chromiumAvailable()) return report.skip('gallery first screen, 1 000 jobs', 'no Chromium (/usr/bin/chromium)');
    await seedJobs(service.db, 500, 501);
    // The newest game's title and the newest job's title: both must be on screen.
    const [game] = await listGames(service.db, 1);
    const [job] = await listJobs(service.db, { limit: 1 });
    const screen = await galleryFirstScreen(`${base}/`, [game!.title!, job!.title!]);
    report.add('gallery.first_screen', 'gallery first screen, 1 000 jobs (Chromium)', {
      value: screen.medianMs,
      unit: 'ms',
      better: 'lower',
      note: `median of ${screen.samples.length} loads, navigation start → newest game and job shown`,
    });
  } finally {
    await service.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

type Report = ReturnType<typeof createReport>;

/** The view cache's answers from now until report(): the share served from memory. */
function hitRatio(cache: ViewCache, view: ViewKind) {
  const before = cache.stats()[view];
  return {
    report(report: Report, key: string) {
      const after = cache.stats()[view];
      const n = (k: keyof typeof after) => after[k] - before[k];
      const total = n('hit') + n('miss') + n('shared') + n('bypass');
      report.add(`http.${key}.hit_ratio`, '  of which answered from the view cache', {
        value: total ? (100 * n('hit')) / total : 0,
        unit: '%',
        better: 'higher',
        note:
          `${n('hit')} hits, ${n('miss')} misses (queried), ` +
          `${n('shared')} waited for a concurrent miss, ${n('bypass')} bypassed`,
      });
    },
  };
}

/**
 * The job and list reads on a second API with READ_CACHE=off over the same database (the first API idle):
 * every read queries, which is what the first read of a job or page after a change costs.
 */
async function uncachedReads(
  report: Report,
  databaseUrl: string,
  dataDir: string,
  jobId: number,
  endpoints: [key: string, label: string, url: string, headers?: Record<string, string>][],
): Promise<void> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    READ_CACHE: 'off',
  });
  const service = await startService(config, { databaseUrl, tasks: false });
  try {
    const base = `http://127.0.0.1:${service.port}`;
    const etag = (await fetch(`${base}/api/jobs/${jobId}`)).headers.get('etag') ?? '';
    const labels: Record<string, string> = {
      job: 'GET /api/jobs/:id, uncached',
      job_304: 'GET /api/jobs/:id → 304, uncached',
      list: 'GET /api/jobs?limit=50, uncached',
    };
    for (const [key] of endpoints) {
      const label = labels[key];
      if (!label) continue;
      const url = key === 'list' ? `${base}/api/jobs?limit=50` : `${base}/api/jobs/${jobId}`;
      const headers = key === 'job_304' ? { 'if-none-match': etag } : undefined;
      const r = await loadTest(url, {
        connections: CONNECTIONS,
        seconds: SECONDS,
        headers,
        pgPids: () => postgresPids(service.db),
      });
      record(report, `${key}.uncached`, label, r, {
        expected: key === 'job_304' ? 304 : 200,
        note: '; READ_CACHE=off: every read queries Postgres, as the first read after a change does',
      });
    }
  } finally {
    await service.close();
  }
}
type Load = (url: string, headers?: Record<string, string>, pg?: () => Promise<number[]>) => Promise<LoadResult>;

/** Req/s, p99 and CPU per request of one endpoint; answers other than `expected` are counted in the note. */
function record(
  report: Report,
  key: string,
  label: string,
  r: LoadResult,
  opts: { expected?: number; note?: string } = {},
): void {
  const failures = r.non2xx - (opts.expected === 304 ? r.requests : 0);
  report.add(`http.${key}.rps`, `${label} req/s`, {
    value: r.reqPerSec,
    unit: 'req/s',
    better: 'higher',
    note: `autocannon -c${CONNECTIONS} ${SECONDS} s, ${r.requests} requests${failures || r.errors ? `, ${failures} non-2xx, ${r.errors} errors` : ''}${opts.note ?? ''}`,
  });
  report.add(`http.${key}.p99`, `${label} p99`, { value: r.p99Ms, unit: 'ms', better: 'lower' });
  report.add(`http.${key}.cpu`, `${label} CPU per request`, {
    value: r.apiCpuUs + (Number.isNaN(r.pgCpuUs) ? 0 : r.pgCpuUs),
    unit: 'µs',
    better: 'lower',
    note: Number.isNaN(r.pgCpuUs)
      ? `API ${r.apiCpuUs.toFixed(0)} µs; no Postgres`
      : `API ${r.apiCpuUs.toFixed(0)} µs + Postgres ${r.pgCpuUs.toFixed(0)} µs`,
  });
}

/** A route answered from memory behind every middleware of the API (functions/app.ts): the chain's own cost. */
const CHAIN_FLOOR_PATH = '/api/providers';

/**
 * GET /health between its floors on this machine (bench/floor.ts), same load settings: a bare node:http
 * server (before and after /health: the floor is their mean, so a change of load during the run shows),
 * then a bare Hono app, then /health, then the API chain floor (a read through the whole app that does no
 * query); /health as a share of each floor, and the chain floor's CPU against bare Hono's.
 */
async function healthAndFloors(report: Report, healthUrl: string, load: Load): Promise<void> {
  const captured = await captureResponse(healthUrl);
  const floor = async (start: (r: typeof captured) => Promise<FloorServer>) => {
    const server = await start(captured);
    try {
      return await load(server.url, undefined, async () => []);
    } finally {
      await server.close();
    }
  };
  const nodeBefore = await floor(nodeHttpFloor);
  const hono = await floor(honoFloor);
  const health = await load(healthUrl);
  const chain = await load(new URL(CHAIN_FLOOR_PATH, healthUrl).href);
  const nodeAfter = await floor(nodeHttpFloor);
  const node: LoadResult = {
    ...nodeBefore,
    reqPerSec: (nodeBefore.reqPerSec + nodeAfter.reqPerSec) / 2,
    p99Ms: (nodeBefore.p99Ms + nodeAfter.p99Ms) / 2,
    requests: nodeBefore.requests + nodeAfter.requests,
    non2xx: nodeBefore.non2xx + nodeAfter.non2xx,
    errors: nodeBefore.errors + nodeAfter.errors,
    apiCpuUs: (nodeBefore.apiCpuUs + nodeAfter.apiCpuUs) / 2,
  };
  const replay = "; same status, body and headers as /health, computed once (this machine's ceiling)";
  record(report, 'floor.node_http', 'floor: bare node:http, the /health response', node, {
    note: `${replay}; mean of before (${nodeBefore.reqPerSec.toFixed(0)}) and after (${nodeAfter.reqPerSec.toFixed(0)}) /health`,
  });
  record(report, 'floor.hono', 'floor: bare Hono app, the /health response', hono, { note: replay });
  record(report, 'health', 'GET /health', health);
  record(report, 'floor.api_chain', `API chain floor: GET ${CHAIN_FLOOR_PATH}, no query`, chain, {
    note: "; answered from memory through the app's whole middleware chain and router: what a read costs before its own work",
  });
  const cpu = (r: LoadResult) => r.apiCpuUs + (Number.isNaN(r.pgCpuUs) ? 0 : r.pgCpuUs);
  report.add('http.floor.api_chain.of_hono.cpu', "  API chain floor's CPU per request ÷ the bare Hono floor's", {
    value: cpu(chain) / cpu(hono),
    unit: '×',
    better: 'lower',
    note: `${cpu(chain).toFixed(0)} ÷ ${cpu(hono).toFixed(0)} µs`,
  });
  for (const [key, name, f] of [
    ['node_http', 'bare node:http', node],
    ['hono', 'bare Hono', hono],
  ] as const) {
    report.add(`http.health.of_${key}.rps`, `  /health req/s, % of the ${name} floor`, {
      value: (100 * health.reqPerSec) / f.reqPerSec,
      unit: '%',
      better: 'higher',
      note: `${health.reqPerSec.toFixed(0)} ÷ ${f.reqPerSec.toFixed(0)} req/s`,
    });
    report.add(`http.health.of_${key}.cpu`, `  /health CPU per request ÷ the ${name} floor's`, {
      value: cpu(health) / cpu(f),
      unit: '×',
      better: 'lower',
      note: `${cpu(health).toFixed(0)} ÷ ${cpu(f).toFixed(0)} µs`,
    });
  }
}
