// `node bench/profile-reads.ts [endpoint…]`: where the API's CPU goes on each read
// endpoint. Same set-up as the reads bench (embedded Postgres, 500 seeded jobs,
// the API alone), with the V8 sampling profiler on while autocannon drives one
// endpoint; prints the self time by module and the top functions, and writes the
// .cpuprofile (open it in Chrome DevTools) under bench/results/profiles/.
// Endpoints: health, health_ready, job, job_304, list (default: all). PROFILE=0 measures without the
// profiler (for before/after comparisons of the API's CPU per request). READ_CACHE=off: job and list reads
// without the view cache (every read queries).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../bin/server.ts';
import { loadConfig, ROOT_DIR } from '../lib/config.ts';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { freePort } from '../support/free-port.ts';
import { benchDatabases } from './bench-db.ts';
import { loadTest, postgresPids } from './http-load.ts';
import { seedJobs } from './seed.ts';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const PROFILE = process.env.PROFILE !== '0';
const OUT_DIR = path.join(ROOT_DIR, 'bench', 'results', 'profiles');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and per module (package or project file), as shares of all samples. */
export function summarise(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const mods = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const mod = moduleOf(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${mod}:${lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    mods.set(mod, (mods.get(mod) ?? 0) + us);
  }
  const rows = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `by module (self time):\n${rows(mods, 20)}\ntop functions (self time):\n${rows(fns, top)}`;
}

function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 13).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) return url;
  return path.relative(ROOT_DIR, url.replace(/^file:\/\//, ''));
}

async function main() {
  const wanted = process.argv.slice(2);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-profile-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), fsync: false });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-profile-data-'));
  const session = new Session();
  session.connect();
  try {
    const databaseUrl = await benchDatabases(pg.url).database('profile_reads');
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      READ_CACHE: process.env.READ_CACHE ?? 'on',
    });
    const service = await startService(config, { databaseUrl, tasks: false });
    try {
      const ids = await seedJobs(service.db, 500);
      const base = `http://127.0.0.1:${service.port}`;
      const jobUrl = `${base}/api/jobs/${ids[250]}`;
      const etag = (await fetch(jobUrl)).headers.get('etag') ?? '';
      const endpoints: [string, string, Record<string, string>?][] = [
        ['health', `${base}/health`],
        ['health_ready', `${base}/health/ready`],
        ['job', jobUrl],
        ['job_304', jobUrl, { 'if-none-match': etag }],
        ['list', `${base}/api/jobs?limit=50`],
        // The API chain floor: answered from memory through the whole middleware chain (request id and log,
        // guards, security headers, rate and body limits, token), so its CPU is the chain's alone, no Postgres.
        ['chain', `${base}/api/providers`],
      ];
      await mkdir(OUT_DIR, { recursive: true });
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      for (const [key, url, headers] of endpoints) {
        if (wanted.length && !wanted.includes(key)) continue;
        if (PROFILE) await session.post('Profiler.start');
        const r = await loadTest(url, {
          connections: 50,
          seconds: SECONDS,
          headers,
          pgPids: () => postgresPids(service.db),
        });
        const line = `${key}: ${r.reqPerSec.toFixed(0)} req/s, p99 ${r.p99Ms} ms, API ${r.apiCpuUs.toFixed(0)} µs + Postgres ${r.pgCpuUs.toFixed(0)} µs per request`;
        if (!PROFILE) {
          console.log(line);
          continue;
        }
        const { profile } = await session.post('Profiler.stop');
        const file = path.join(OUT_DIR, `${key}.cpuprofile`);
        await writeFile(file, JSON.stringify(profile));
        console.log(`\n== ${line} (profiler on) → ${path.relative(ROOT_DIR, file)}`);
        console.log(summarise(profile as CpuProfile));
      }
    } finally {
      await service.close();
    }
  } finally {
    session.disconnect();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.main)
  main().then(
    () => process.exit(0),
    (e) => (console.error(e), process.exit(1)),
  );
