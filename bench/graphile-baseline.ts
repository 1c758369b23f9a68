// The floors our pipeline figures are read against: raw graphile-worker pickup
// (add_job → task start) and hand-off (a chain of no-op tasks, each queueing the
// next in a transaction) on the same Postgres, with no service in between.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { run, type WorkerEvents } from 'graphile-worker';
import { benchLogger } from './bench-db.ts';
import { epochMs } from './stats.ts';

/** Raw graphile-worker: add_job → task start for a no-op task, one job at a time. */
export async function rawPickupLatency(databaseUrl: string, jobs = 300, concurrency = 5): Promise<number[]> {
  const samples: number[] = [];
  let resolveStarted: (() => void) | null = null;
  const runner = await run({
    connectionString: databaseUrl,
    concurrency,
    noHandleSignals: true,
    taskList: {
      noop: async (payload) => {
        samples.push(performance.now() - (payload as { t: number }).t);
        resolveStarted?.();
      },
    },
    logger: benchLogger(),
  });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (let i = 0; i < jobs; i++) {
    const started = new Promise<void>((r) => (resolveStarted = r));
    await client.query(`select graphile_worker.add_job('noop', json_build_object('t', $1::float8))`, [
      performance.now(),
    ]);
    await started;
  }
  await client.end();
  await runner.stop();
  return samples;
}

/**
 * Raw graphile-worker hand-off, the floor for ours: a chain of no-op tasks, each
 * queueing the next in a transaction on its own connection (as our steps do);
 * measured from just before that add_job to the next task's start.
 */
export async function rawHandoffLatency(
  databaseUrl: string,
  steps = 300,
  concurrency = 5,
  parts?: HandoffParts,
): Promise<number[]> {
  const samples: number[] = [];
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const events = new EventEmitter() as WorkerEvents;
  const notices = noticeTimes(events);
  // When the step that queued each hand-off returned (its commit done), by the hand-off's start time.
  const returned = new Map<number, number>();
  const runner = await run({
    connectionString: databaseUrl,
    concurrency,
    noHandleSignals: true,
    events,
    taskList: {
      step: async (payload, helpers) => {
        const { t, left } = payload as { t: number | null; left: number };
        if (t !== null) {
          const start = epochMs();
          samples.push(start - t);
          if (parts) {
            splitAtNotice(parts, notices, t, start);
            splitAtReturn(parts, returned.get(t), t, start);
          }
        }
        if (left === 0) return resolveDone();
        const next = epochMs();
        await helpers.withPgClient(async (c) => {
          await c.query('begin');
          await c.query(`select graphile_worker.add_job('step', json_build_object('t', $1::float8, 'left', $2::int))`, [
            next,
            left - 1,
          ]);
          await c.query('commit');
        });
        returned.set(next, epochMs());
      },
    },
    logger: benchLogger(),
  });
  await runner.addJob('step', { t: null, left: steps });
  await done;
  await runner.stop();
  return samples;
}

/** A hand-off split where the runner hears the next step's NOTIFY (graphile-worker's `jobs:insert`). */
export interface HandoffParts {
  /** Hand-off start → the runner's LISTEN connection hears the NOTIFY: rest of the statement, commit, delivery. */
  toNoticeMs: number[];
  /** NOTIFY heard → the task starts: graphile-worker's get_job round trip and its own work. */
  noticeToStartMs: number[];
  /** Hand-off start → the step that queued it has returned: the rest of its statement, its commit, its after-work. */
  toReturnMs: number[];
  /** … → the next task starts: get_job (its worker's next one, or the nudged worker's), whichever is first. */
  returnToStartMs: number[];
}

/** Adds one hand-off (from `t` to task start `start`) split where the step that queued it returned (`returned`). */
export function splitAtReturn(parts: HandoffParts, returned: number | undefined, t: number, start: number): void {
  if (returned === undefined) return;
  parts.toReturnMs.push(returned - t);
  parts.returnToStartMs.push(start - returned);
}

/** When each NOTIFY reaches the runner (wall clock, ms), in order. */
export function noticeTimes(events: WorkerEvents): number[] {
  const times: number[] = [];
  events.on('pool:listen:notification', () => times.push(epochMs()));
  return times;
}

/** Adds one hand-off (from `t` to task start `start`) to `parts`, split at the first NOTIFY heard after `t`. */
export function splitAtNotice(parts: HandoffParts, notices: number[], t: number, start: number): void {
  const notice = notices.find((n) => n >= t && n <= start);
  if (notice === undefined) return;
  parts.toNoticeMs.push(notice - t);
  parts.noticeToStartMs.push(start - notice);
}
