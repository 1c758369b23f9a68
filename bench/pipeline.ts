// Pipeline benchmarks against the real service (embedded or DATABASE_URL Postgres,
// local runtime, builtin agent): per-game hand-off latency (and where its time
// goes), per-game orchestration overhead, and games per minute at 1 and
// MAX_CONCURRENT workers. The raw graphile-worker floors they are read against
// are bench/graphile-baseline.ts.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WorkerEvents } from 'graphile-worker';
import { startService, type Service } from '../bin/server.ts';
import { loadConfig } from '../lib/config.ts';
import { OUTCOME_STATUSES } from '../lib/jobs/lifecycle.ts';
import { countJobsWithStatus } from '../lib/jobs/repository.ts';
import { OFFLINE_SERVICE_ENV } from '../support/offline-env.ts';
import { benchLogger } from './bench-db.ts';
import { noticeTimes, splitAtNotice, splitAtReturn, type HandoffParts } from './graphile-baseline.ts';
import { epochMs } from './stats.ts';

interface Service_ {
  service: Service;
  close(): Promise<void>;
}

async function startBenchService(
  databaseUrl: string,
  maxConcurrent: number,
  slots = 10,
  workerEvents?: WorkerEvents,
): Promise<Service_> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-bench-'));
  // Measures the pipeline up to deployed; play-testing (Chromium) would compete for the same 2 cores.
  const config = loadConfig({
    ...OFFLINE_SERVICE_ENV,
    DATA_DIR: dataDir,
    PLAYTEST: 'off',
    MAX_CONCURRENT: String(maxConcurrent),
    SLOTS: String(slots),
    DATABASE_URL: databaseUrl,
    // The bench posts a game at a time, faster than a client should: not what the rate limit is for.
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const service = await startService(config, { databaseUrl, workerLogger: benchLogger(), workerEvents });
  return {
    service,
    async close() {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when every job in `ids` has its outcome (deployed, failed, recycled…; woken by NOTIFY). */
function allFinished(s: Service_, ids: number[]): Promise<void> {
  return new Promise((resolve) => {
    const check = async () => {
      if ((await countJobsWithStatus(s.service.db, ids, OUTCOME_STATUSES)) === ids.length) {
        unsubscribe();
        resolve();
      }
    };
    let chain = Promise.resolve();
    // The service's own hub: a LISTEN connection of the bench's would be woken by every commit too, which raw has not.
    const unsubscribe = s.service.events.subscribe((n) => {
      if (n.kind === 'status' && ids.includes(n.jobId)) chain = chain.then(check);
    });
    chain = chain.then(check);
  });
}

async function generate(s: Service_, count: number, seed: number): Promise<number[]> {
  const ids: number[] = [];
  for (let left = count; left > 0; left -= 10) {
    const res = await fetch(`${s.service.url}/api/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: Math.min(10, left), seed: seed + ids.length }),
    });
    ids.push(...((await res.json()) as { jobIds: number[] }).jobIds);
  }
  return ids;
}

/** The hand-off parts are graphile-baseline.ts's HandoffParts, split the same way as raw's. */
export interface SequentialFigures extends HandoffParts {
  /** Job created (phase 1 queued) → phase 1 started. */
  firstPickupMs: number[];
  /**
   * Hand-off: from the closing phase run's finished_at (its last write before the add_job of the next step and
   * the commit) to the next step recorded (its phase run's started_at, or the `deploying` status event's time:
   * the start of the statement that writes it). Phases 2‥4 and the deploy.
   */
  handoffMs: number[];
  /** … the hand-offs to phases 2‥4 alone. */
  handoffPhaseMs: number[];
  /** … the hand-offs to the deploy alone (its start: the `deploying` status). */
  handoffDeployMs: number[];
  /** … of which: commit → graphile-worker hands the task to us (job:start). */
  toTaskStartMs: number[];
  /** … of which: task start → the step's first write (its phase run, or the deploying status). */
  taskStartToRecordMs: number[];
  totalMs: number[];
  agentMs: number[];
  workerMs: number[];
  failed: number;
}

/** The figures of several rounds as one: samples pooled, failures summed. */
export function mergeFigures(rounds: SequentialFigures[]): SequentialFigures {
  const pooled = (key: Exclude<keyof SequentialFigures, 'failed'>) => rounds.flatMap((r) => r[key]);
  return {
    firstPickupMs: pooled('firstPickupMs'),
    handoffMs: pooled('handoffMs'),
    handoffPhaseMs: pooled('handoffPhaseMs'),
    handoffDeployMs: pooled('handoffDeployMs'),
    toTaskStartMs: pooled('toTaskStartMs'),
    taskStartToRecordMs: pooled('taskStartToRecordMs'),
    toNoticeMs: pooled('toNoticeMs'),
    noticeToStartMs: pooled('noticeToStartMs'),
    toReturnMs: pooled('toReturnMs'),
    returnToStartMs: pooled('returnToStartMs'),
    totalMs: pooled('totalMs'),
    agentMs: pooled('agentMs'),
    workerMs: pooled('workerMs'),
    failed: rounds.reduce((n, r) => n + r.failed, 0),
  };
}

/** Games one at a time: chain hand-off latencies (and where they go) and where each game's time goes. */
export async function sequentialGames(
  databaseUrl: string,
  games: number,
  maxConcurrent: number,
): Promise<SequentialFigures> {
  // When graphile-worker hands each task to us, on the wall clock (key: job id and step).
  const taskStarts = new Map<string, number>();
  const workerEvents = new EventEmitter() as WorkerEvents;
  workerEvents.on('job:start', ({ job }) => {
    const p = job.payload as { jobId?: number; phase?: number };
    taskStarts.set(`${p.jobId}:${job.task_identifier}:${p.phase ?? ''}`, epochMs());
  });
  // When each step's task returned to graphile-worker (its closing commit done, its after-work run).
  const taskReturns = new Map<string, number>();
  workerEvents.on('job:success', ({ job }) => {
    const p = job.payload as { jobId?: number; phase?: number };
    taskReturns.set(`${p.jobId}:${job.task_identifier}:${p.phase ?? ''}`, epochMs());
  });
  const notices = noticeTimes(workerEvents);
  const s = await startBenchService(databaseUrl, maxConcurrent, games, workerEvents);
  try {
    const ids: number[] = [];
    for (let i = 0; i < games; i++) {
      const [id] = await generate(s, 1, 1000 + i);
      await allFinished(s, [id!]);
      ids.push(id!);
    }
    const db = s.service.db;
    // Each step's start and the commit before it, on Postgres's clock (the same machine's wall clock).
    const steps = await db.query<{ job_id: number; task: string; phase: number | null; prev: number; start: number }>(
      `
      select r.job_id, 'run-phase' as task, r.phase,
             extract(epoch from coalesce(prev.finished_at, j.created_at)) * 1000 as prev,
             extract(epoch from r.started_at) * 1000 as start
        from gamepocgen.phase_runs r
        join gamepocgen.jobs j on j.id = r.job_id
        left join gamepocgen.phase_runs prev on prev.job_id = r.job_id and prev.phase = r.phase - 1 and prev.status = 'completed'
       where r.job_id = any($1)
      union all
      select r.job_id, 'deploy-game', null, extract(epoch from r.finished_at) * 1000, extract(epoch from e.at) * 1000
        from gamepocgen.phase_runs r join gamepocgen.job_events e on e.job_id = r.job_id and e.kind = 'status' and e.message = 'deploying'
       where r.phase = 4 and r.job_id = any($1)`,
      [ids],
    );
    const perGame = await db.query<{ total: number; agent: number; worker: number; status: string }>(
      `
      select extract(epoch from (j.deployed_at - j.created_at)) * 1000 as total,
             sum(r.agent_ms)::float8 as agent, sum(r.duration_ms)::float8 as worker, j.status
        from gamepocgen.jobs j join gamepocgen.phase_runs r on r.job_id = j.id
       where j.id = any($1) group by j.id`,
      [ids],
    );
    const ok = perGame.rows.filter((r) => r.status !== 'failed');
    const figures: SequentialFigures = {
      firstPickupMs: [],
      handoffMs: [],
      handoffPhaseMs: [],
      handoffDeployMs: [],
      toTaskStartMs: [],
      taskStartToRecordMs: [],
      toNoticeMs: [],
      noticeToStartMs: [],
      toReturnMs: [],
      returnToStartMs: [],
      totalMs: ok.map((r) => Number(r.total)),
      agentMs: ok.map((r) => r.agent),
      workerMs: ok.map((r) => r.worker),
      failed: perGame.rows.length - ok.length,
    };
    for (const step of steps.rows) {
      const prev = Number(step.prev);
      const start = Number(step.start);
      if (step.phase === 1) {
        figures.firstPickupMs.push(start - prev);
        continue;
      }
      figures.handoffMs.push(start - prev);
      (step.task === 'deploy-game' ? figures.handoffDeployMs : figures.handoffPhaseMs).push(start - prev);
      const taskStart = taskStarts.get(`${step.job_id}:${step.task}:${step.phase ?? ''}`);
      if (taskStart === undefined) continue;
      figures.toTaskStartMs.push(taskStart - prev);
      figures.taskStartToRecordMs.push(start - taskStart);
      splitAtNotice(figures, notices, prev, taskStart);
      // The step before: phase 4 before the deploy, the phase before otherwise.
      const before = `${step.job_id}:run-phase:${step.task === 'deploy-game' ? 4 : step.phase! - 1}`;
      splitAtReturn(figures, taskReturns.get(before), prev, taskStart);
    }
    return figures;
  } finally {
    await s.close();
  }
}

/** Games posted all at once: throughput in games per minute. */
export async function throughput(
  databaseUrl: string,
  games: number,
  maxConcurrent: number,
): Promise<{ gamesPerMinute: number; seconds: number; failed: number }> {
  const s = await startBenchService(databaseUrl, maxConcurrent, Math.max(10, games));
  try {
    const t0 = performance.now();
    const ids = await generate(s, games, 5000);
    await allFinished(s, ids);
    const seconds = (performance.now() - t0) / 1000;
    const failed = await countJobsWithStatus(s.service.db, ids, ['failed']);
    return { gamesPerMinute: (games / seconds) * 60, seconds, failed };
  } finally {
    await s.close();
  }
}
