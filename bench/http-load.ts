// The read endpoints under load: the real API (bin/server.ts, no task runner)
// over a database of seeded jobs, driven by autocannon in its own process
// against 127.0.0.1 for a bounded time. CPU per request is this process's CPU
// (the API) plus, when Postgres runs on this machine, its server processes'.
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Db } from '../lib/db.ts';

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** API process CPU per request (µs). */
  apiCpuUs: number;
  /** Postgres CPU per request (µs); NaN when Postgres is not on this machine. */
  pgCpuUs: number;
}

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

function autocannon(args: string[]): Promise<Record<string, any>> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [AUTOCANNON, '-j', ...args], { maxBuffer: 1 << 24 }, (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout)),
    ),
  );
}

/** `seconds` of load with `connections` connections (after one second of warm-up), and what it cost. */
export async function loadTest(
  url: string,
  opts: { connections?: number; seconds?: number; headers?: Record<string, string>; pgPids?: () => Promise<number[]> },
): Promise<LoadResult> {
  const headerArgs = Object.entries(opts.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const connections = String(opts.connections ?? 50);
  await autocannon(['-c', connections, '-d', '1', ...headerArgs, url]);
  const pgBefore = await processCpuUs((await opts.pgPids?.()) ?? []);
  const apiBefore = process.cpuUsage();
  const r = await autocannon(['-c', connections, '-d', String(opts.seconds ?? 5), ...headerArgs, url]);
  const api = process.cpuUsage(apiBefore);
  const pgAfter = await processCpuUs((await opts.pgPids?.()) ?? []);
  // Per process: a backend that started during the run counts whole; one that ended is lost (rare: the pool keeps its connections).
  let pgUs = 0;
  for (const [pid, us] of pgAfter) pgUs += us - (pgBefore.get(pid) ?? 0);
  const requests = r.requests.total as number;
  return {
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests,
    non2xx: r.non2xx,
    errors: r.errors,
    apiCpuUs: (api.user + api.system) / requests,
    pgCpuUs: pgAfter.size ? pgUs / requests : NaN,
  };
}

/** The local Postgres server's processes (postmaster and its children), or [] when it is not on this machine. */
export async function postgresPids(db: Db): Promise<number[]> {
  try {
    const { rows } = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
    const postmaster = (await stat(rows[0]!.pid)).ppid;
    const pids = [postmaster];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const s = await stat(Number(entry)).catch(() => null);
      if (s?.ppid === postmaster) pids.push(Number(entry));
    }
    return pids;
  } catch {
    return [];
  }
}

async function stat(pid: number): Promise<{ ppid: number; cpuTicks: number }> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After "(comm)": state ppid … utime (14th field overall) stime (15th).
  return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU time (µs) of each of these processes still running. USER_HZ is 100 on Linux. */
async function processCpuUs(pids: number[]): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    const s = await stat(pid).catch(() => null);
    if (s) cpu.set(pid, s.cpuTicks * 10_000);
  }
  return cpu;
}
