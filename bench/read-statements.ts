// `node bench/read-statements.ts [jobs]`: the Postgres CPU of the read views' statements alone
// (lib/jobs/views.ts), without HTTP or load: a fresh embedded Postgres with `jobs` seeded jobs
// (bench/seed.ts, default 500), one connection running each statement N times in interleaved rounds.
// CPU is the backend's own time on CPU (/proc/<pid>/schedstat, nanoseconds), so it is exact per
// statement where the HTTP benches' per-request split is an estimate across processes. Prints the
// median per round and whether Postgres used the generic plan (planned once) or planned every call.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startService } from '../bin/server.ts';
import { loadConfig } from '../lib/config.ts';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { jobDetailJson, jobListJson } from '../lib/jobs/views.ts';
import { freePort } from '../support/free-port.ts';
import { benchDatabases } from './bench-db.ts';
import { seedJobs } from './seed.ts';
import { median } from './stats.ts';

const N = Number(process.env.BENCH_STATEMENT_RUNS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ARCHIVE = { prefix: 'http://127.0.0.1:8080/archive/', suffix: '/' };

async function main() {
  const jobs = Number(process.argv[2] ?? 500);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-statements-pg-'));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-statements-data-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), fsync: false });
  try {
    const databaseUrl = await benchDatabases(server.url).database('read_statements');
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
    const service = await startService(config, { databaseUrl, tasks: false });
    const ids = await seedJobs(service.db, jobs).finally(() => service.close());
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      const schedstat = `/proc/${rows[0]!.pid}/schedstat`;
      const cpuNs = async () => Number((await readFile(schedstat, 'utf8')).split(' ')[0]);
      const detailId = ids[Math.floor(ids.length / 2)]!;
      const statements: Record<string, () => Promise<unknown>> = {
        'GET /api/jobs?limit=50': () => jobListJson(client, { limit: 50 }, ARCHIVE),
        'GET /api/jobs?limit=50&status=running': () => jobListJson(client, { limit: 50, status: 'running' }, ARCHIVE),
        'GET /api/jobs/:id': () => jobDetailJson(client, detailId, ARCHIVE),
      };
      const us: Record<string, number[]> = Object.fromEntries(Object.keys(statements).map((k) => [k, []]));
      for (let round = 0; round < ROUNDS; round++)
        for (const [label, run] of Object.entries(statements)) {
          for (let i = 0; i < 20; i++) await run();
          const before = await cpuNs();
          for (let i = 0; i < N; i++) await run();
          us[label]!.push((await cpuNs()) - before);
        }
      const plans = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
        'select name, generic_plans, custom_plans from pg_prepared_statements order by name',
      );
      console.log(`${jobs} jobs, ${ROUNDS} rounds of ${N} runs each, load average ${os.loadavg()[0]!.toFixed(1)}`);
      for (const [label, ns] of Object.entries(us)) {
        const perRun = ns.map((x) => x / N / 1000);
        console.log(
          `${label.padEnd(40)} Postgres ${median(perRun).toFixed(0).padStart(4)} µs per statement  [${perRun.map((x) => x.toFixed(0)).join(' ')}]`,
        );
      }
      for (const p of plans.rows)
        console.log(`  ${p.name}: ${p.generic_plans} generic, ${p.custom_plans} planned per call`);
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.main)
  main().then(
    () => process.exit(0),
    (e) => (console.error(e), process.exit(1)),
  );
