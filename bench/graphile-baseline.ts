// The floors our pipeline figures are read against: raw graphile-worker pickup
// (add_job → task start) and hand-off (a chain of no-op tasks, each queueing the
// next in a transaction) on the same Postgres, with no service in between.
import pg from 'pg';
import { run } from 'graphile-worker';
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
export async function rawHandoffLatency(databaseUrl: string, steps = 300, concurrency = 5): Promise<number[]> {
  const samples: number[] = [];
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const runner = await run({
    connectionString: databaseUrl,
    concurrency,
    noHandleSignals: true,
    taskList: {
      step: async (payload, helpers) => {
        const { t, left } = payload as { t: number | null; left: number };
        if (t !== null) samples.push(epochMs() - t);
        if (left === 0) return resolveDone();
        await helpers.withPgClient(async (c) => {
          await c.query('begin');
          await c.query(`select graphile_worker.add_job('step', json_build_object('t', $1::float8, 'left', $2::int))`, [
            epochMs(),
            left - 1,
          ]);
          await c.query('commit');
        });
      },
    },
    logger: benchLogger(),
  });
  await runner.addJob('step', { t: null, left: steps });
  await done;
  await runner.stop();
  return samples;
}
