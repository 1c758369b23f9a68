// Prometheus metrics (prom-client). HTTP durations are observed as requests are
// answered; everything about jobs is read from Postgres when scraped, so the
// figures are the whole system's (API, runners in other processes, psql users)
// and survive restarts.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queryable } from './db.ts';
import {
  jobsByStatus,
  PHASE_BUCKETS,
  phaseDurationBuckets,
  playtestVerdicts,
  runningPhases,
  slotUsage,
} from './jobs/metrics-queries.ts';
import type { ViewCache } from './jobs/view-cache.ts';
import { liveRunnerCount } from './presence.ts';
import { queueDepth } from './queue/queries.ts';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(db: Queryable, opts: { viewCache?: ViewCache | null } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gamepocgen_process_' });
  const httpDuration = new Histogram({
    name: 'gamepocgen_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });

  const fromDb = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    read: (g: Gauge<L>) => Promise<void>,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await read(this);
      },
    });

  fromDb('gamepocgen_jobs', 'jobs by status', ['status'], async (g) => {
    for (const r of await jobsByStatus(db)) g.set({ status: r.status }, r.n);
  });
  fromDb('gamepocgen_queue_depth', 'task runs waiting to be picked up', [], async (g) => {
    g.set(await queueDepth(db));
  });
  fromDb('gamepocgen_live_runners', 'task runner processes whose database session is alive', [], async (g) => {
    g.set(await liveRunnerCount(db));
  });
  fromDb(
    'gamepocgen_running_workers',
    'phases running now, by runtime (one worker container each on the docker runtime)',
    ['runtime'],
    async (g) => {
      for (const r of await runningPhases(db)) g.set({ runtime: r.runtime }, r.n);
    },
  );
  fromDb('gamepocgen_slots', 'game slots by state', ['state'], async (g) => {
    const s = await slotUsage(db);
    g.set({ state: 'used' }, s.used);
    g.set({ state: 'free' }, s.free);
  });
  fromDb('gamepocgen_playtest_verdicts', 'latest play-test of each job, by verdict', ['verdict'], async (g) => {
    for (const r of await playtestVerdicts(db)) g.set({ verdict: r.verdict }, r.n);
  });
  registry.registerMetric(phaseDurations(db) as never);
  const cache = opts.viewCache;
  if (cache)
    // Counted by the cache as plain numbers (nothing per read here), copied when scraped.
    new Counter({
      name: 'gamepocgen_view_cache_reads_total',
      help:
        'job (GET /api/jobs/:id) and list (GET /api/jobs) reads by view cache result: hit (from memory), ' +
        'miss (queried), shared (waited for a concurrent miss), bypass (cache down: LISTEN lost)',
      labelNames: ['view', 'result'] as const,
      registers: [registry],
      collect() {
        this.reset();
        const stats = cache.stats();
        for (const view of ['job', 'list'] as const)
          for (const [result, n] of Object.entries(stats[view])) this.inc({ view, result }, n);
      },
    });
  return { registry, httpDuration };
}

/** A histogram computed by Postgres from every finished phase run (a custom collector: prom-client calls get()). */
function phaseDurations(db: Queryable) {
  const name = 'gamepocgen_phase_duration_seconds';
  return {
    name,
    help: 'finished phase runs by phase and agent',
    type: 'histogram',
    aggregator: 'sum',
    reset() {},
    async get() {
      const rows = await phaseDurationBuckets(db);
      const values = rows.flatMap((r) => {
        const labels = { phase: String(r.phase), agent: r.agent };
        return [
          ...PHASE_BUCKETS.map((le, i) => ({
            metricName: `${name}_bucket`,
            labels: { ...labels, le },
            value: r.buckets[i]!,
          })),
          { metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: r.count },
          { metricName: `${name}_sum`, labels, value: r.sum },
          { metricName: `${name}_count`, labels, value: r.count },
        ];
      });
      return { name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
}
