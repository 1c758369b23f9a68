// The read section: the API alone (no task runner) over 500 seeded jobs, each
// read endpoint under autocannon load, then the gallery's first screen with 1 000.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../bin/server.ts';
import { loadConfig } from '../lib/config.ts';
import { listGames, listJobs } from '../lib/jobs/repository.ts';
import { chromiumAvailable } from '../support/browser.ts';
import { galleryFirstScreen } from './gallery-first-screen.ts';
import { loadTest, postgresPids } from './http-load.ts';
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
      ['health', 'GET /health', `${base}/health`],
      ['health_ready', 'GET /health/ready', `${base}/health/ready`],
      ['job', 'GET /api/jobs/:id (500 jobs)', jobUrl],
      ['job_304', 'GET /api/jobs/:id, If-None-Match → 304', jobUrl, { 'if-none-match': etag }],
      ['list', 'GET /api/jobs?limit=50 (500 jobs)', `${base}/api/jobs?limit=50`],
    ];
    for (const [key, label, url, headers] of endpoints) {
      const r = await loadTest(url, { connections: CONNECTIONS, seconds: SECONDS, headers, pgPids });
      const failures = r.non2xx - (key === 'job_304' ? r.requests : 0);
      report.add(`http.${key}.rps`, `${label} req/s`, {
        value: r.reqPerSec,
        unit: 'req/s',
        better: 'higher',
        note: `autocannon -c${CONNECTIONS} ${SECONDS} s, ${r.requests} requests${failures || r.errors ? `, ${failures} non-2xx, ${r.errors} errors` : ''}`,
      });
      report.add(`http.${key}.p99`, `${label} p99`, { value: r.p99Ms, unit: 'ms', better: 'lower' });
      report.add(`http.${key}.cpu`, `${label} CPU per request`, {
        value: r.apiCpuUs + (Number.isNaN(r.pgCpuUs) ? 0 : r.pgCpuUs),
        unit: 'µs',
        better: 'lower',
        note: Number.isNaN(r.pgCpuUs)
          ? `API ${r.apiCpuUs.toFixed(0)} µs; Postgres not on this machine`
          : `API ${r.apiCpuUs.toFixed(0)} µs + Postgres ${r.pgCpuUs.toFixed(0)} µs`,
      });
    }

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
