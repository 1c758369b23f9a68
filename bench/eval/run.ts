// Runs an eval suite through the real pipeline: the service of bin/server.ts (API
// and graphile-worker runner, as `npm start` runs it) on its own database, every
// idea started as POST /api/generate starts it (lib/generate.ts), idea → design →
// plan → build → deploy → play-test → repairs, until nothing is left to do for
// each job; then one report row per game from what the pipeline stored.
import { mkdtemp, rm } from 'node:fs/promises';
import { Logger } from 'graphile-worker';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../../bin/server.ts';
import { loadConfig } from '../../lib/config.ts';
import { startEmbeddedPostgres } from '../../lib/embedded-postgres.ts';
import { EventHub } from '../../lib/events.ts';
import { generateGames } from '../../lib/generate.ts';
import { isFinished } from '../../lib/jobs/lifecycle.ts';
import { getJob, isSettled } from '../../lib/jobs/repository.ts';
import { ProviderSpec, providerEnv } from '../../lib/llm/providers.ts';
import { freePort } from '../../support/free-port.ts';
import { OFFLINE_SERVICE_ENV } from '../../support/offline-env.ts';
import { collectGame, notStarted } from './collect.ts';
import { type EvalGame, EvalReport, totalsOf } from './report.ts';
import type { Suite } from './suite.ts';

type Env = Record<string, string | undefined>;

export class EvalOptionError extends Error {
  readonly code = 'invalid_eval_option';
}

export interface EvalOptions {
  suite: Suite;
  agent: 'builtin' | 'claude';
  /**
   * `<provider>:<model>` specs (lib/llm/providers.ts), each the claude agent's endpoint, key and model from `env`.
   * Every idea runs once per provider, as jobs of their own on that provider, in one report.
   */
  providers?: string[];
  /** The operator's environment: LLM settings, RUNTIME, MAX_CONCURRENT, QUALITY_THRESHOLD, MAX_REPAIRS, … */
  env?: Env;
  /** A database to run in (tests); default: an embedded PostgreSQL in a temporary directory. */
  databaseUrl?: string;
  /** A game not settled after this long is reported unusable with the reason (a hang guard; default 30 min). */
  gameTimeoutMs?: number;
  log?: (line: string) => void;
  /** graphile-worker's own log lines (default: dropped; `npm run eval` writes them beside the report). */
  workerLog?: (line: string) => void;
}

/**
 * The `--provider` specs, checked before anything starts (agent, spec, duplicates, each one's key). Each job
 * runs on its own (`jobs.provider`, lib/phase-runner.ts): the service's own LLM settings are left as they are,
 * so no provider's endpoint or key stands in for another's.
 */
function resolveProviders(opts: EvalOptions): ProviderSpec[] {
  const given = opts.providers ?? [];
  if (!given.length) return [];
  if (opts.agent !== 'claude')
    throw new EvalOptionError('--provider needs --agent claude (the builtin agent calls no model)');
  const specs: ProviderSpec[] = [];
  for (const p of given) {
    const spec = ProviderSpec.safeParse(p);
    if (!spec.success) throw new EvalOptionError(`--provider ${p}: ${spec.error.issues[0]?.message}`);
    if (specs.some((s) => s.spec === spec.data.spec)) throw new EvalOptionError(`--provider ${p} is given twice`);
    providerEnv(spec.data, opts.env ?? {}); // throws llm_not_configured naming the missing variable
    specs.push(spec.data);
  }
  return specs;
}

/** Settings the eval always chooses: its own port, data and database, and room for every game at once. */
function evalEnv(opts: EvalOptions, dataDir: string, databaseUrl: string): Env {
  // Never the operator's service: its database, port, data and token stay out of the eval.
  const { DATABASE_URL: _d, PORT: _p, DATA_DIR: _dd, API_TOKEN: _t, ...rest } = opts.env ?? {};
  const base: Env =
    opts.agent === 'builtin'
      ? { ...rest, ...OFFLINE_SERVICE_ENV }
      : { RUNTIME: 'docker', ...rest, PORT: '0', HOST: '127.0.0.1', DEPLOY: 'local', AGENT: 'claude' };
  return {
    ...base,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PLAYTEST: 'on',
    // Every game keeps its slot until it is judged (slots are recycled oldest first).
    SLOTS: String(Math.min(100, Math.max(10, opts.suite.ideas.length))),
    MAX_QUEUED: String(Math.max(100, opts.suite.ideas.length)),
  };
}

export async function runEval(opts: EvalOptions): Promise<EvalReport> {
  const log = opts.log ?? (() => {});
  const specs = resolveProviders(opts);
  const startedAt = new Date();
  const t0 = performance.now();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-eval-'));
  const embedded = opts.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir, port: await freePort(), fsync: false });
  try {
    const databaseUrl = opts.databaseUrl ?? embedded!.url;
    const config = loadConfig(evalEnv(opts, dataDir, databaseUrl));
    const workerLog = opts.workerLog ?? (() => {});
    const workerLogger = new Logger(
      (scope) => (level, message) => workerLog(`${level} ${scope.label ?? ''} ${message}`),
    );
    const service = await startService(config, { databaseUrl, log, workerLogger });
    const hub = new EventHub(databaseUrl);
    await hub.start();
    try {
      const started: {
        idea: Suite['ideas'][number];
        provider: ProviderSpec | null;
        jobId: number | null;
        error: string | null;
      }[] = [];
      // Idea by idea, one job per provider: a game's rows for each provider sit together in the table.
      for (const idea of opts.suite.ideas)
        for (const provider of specs.length ? specs : [null]) {
          try {
            const [jobId] = await generateGames(service.db, {
              idea: idea.idea,
              seed: idea.seed,
              count: 1,
              ...(provider ? { provider } : {}),
            });
            started.push({ idea, provider, jobId: jobId!, error: null });
          } catch (e) {
            started.push({ idea, provider, jobId: null, error: (e as Error).message });
          }
        }
      log(`started ${started.filter((s) => s.jobId).length} job(s); waiting for each to settle`);
      const ids = started.flatMap((s) => (s.jobId ? [s.jobId] : []));
      const timedOut = await waitSettled(service.db, hub, ids, opts.gameTimeoutMs ?? 30 * 60_000, (id, status) =>
        log(`job ${id} settled: ${status}`),
      );
      const games: EvalGame[] = [];
      for (const s of started)
        games.push({
          ...(s.jobId
            ? await collectGame(service.db, s.idea, s.jobId, timedOut.has(s.jobId))
            : notStarted(s.idea, s.error ?? 'not started')),
          provider: s.provider?.spec ?? null,
        });
      return EvalReport.parse({
        version: 1,
        suite: opts.suite.name,
        agent: opts.agent,
        provider: specs.length === 1 ? specs[0]!.spec : null,
        providers: specs.map((p) => p.spec),
        model: opts.agent !== 'claude' ? null : specs.length > 1 ? null : (specs[0]?.model ?? config.MODEL),
        startedAt: startedAt.toISOString(),
        wallSeconds: Math.round((performance.now() - t0) / 100) / 10,
        settings: {
          maxConcurrent: config.MAX_CONCURRENT,
          qualityThreshold: config.QUALITY_THRESHOLD,
          maxRepairs: config.MAX_REPAIRS,
        },
        games,
        totals: totalsOf(games),
        byProvider:
          specs.length > 1
            ? specs.map((p) => ({ provider: p.spec, totals: totalsOf(games.filter((g) => g.provider === p.spec)) }))
            : [],
      });
    } finally {
      await hub.stop();
      await service.close();
    }
  } finally {
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Resolves when every job has ended (failed, recycled, removed) or is deployed with nothing left to do
 * (its play-test and repair loop over), woken by the event stream's NOTIFY; returns the jobs still going
 * after `timeoutMs`.
 */
async function waitSettled(
  db: Parameters<typeof getJob>[0],
  hub: EventHub,
  ids: number[],
  timeoutMs: number,
  onSettled: (id: number, status: string) => void,
): Promise<Set<number>> {
  const pending = new Set(ids);
  if (!pending.size) return pending;
  return new Promise((resolve, reject) => {
    const check = async (id: number) => {
      if (!pending.has(id)) return;
      const job = await getJob(db, id);
      const status = job?.status ?? 'removed';
      if (isFinished(status) || (status === 'deployed' && (await isSettled(db, id)))) {
        pending.delete(id);
        onSettled(id, status);
        if (!pending.size) finish();
      }
    };
    let chain = Promise.resolve();
    const queue = (id: number) => (chain = chain.then(() => check(id)).catch(reject));
    const unsubscribe = hub.subscribe((n) => {
      if (pending.has(n.jobId)) queue(n.jobId);
      // After a reconnect, notices may have been missed: look at every job again.
      if (n.kind === 'reconnected') for (const id of pending) queue(id);
    });
    const timer = setTimeout(finish, timeoutMs);
    function finish() {
      clearTimeout(timer);
      unsubscribe();
      resolve(new Set(pending));
    }
    for (const id of ids) queue(id);
  });
}
