// Fair queue: N jobs queued at once, time to the first deployed game and to the
// last, with the queue's step priorities (lib/queue.ts PRIORITY) and without
// them. "Without" is the same code on a database where a trigger resets every
// queued job's priority to 0, i.e. graphile-worker's plain first-come order.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startService } from '../bin/server.ts';
import { benchLogger } from './bench-db.ts';
import { loadConfig } from '../lib/config.ts';
import { createPool } from '../lib/db.ts';
import { EVENTS_CHANNEL } from '../lib/events.ts';
import { migrate } from '../lib/migrate.ts';
import { OFFLINE_SERVICE_ENV } from '../support/offline-env.ts';

export interface FairQueueFigures {
  firstGameMs: number;
  totalMs: number;
  failed: number;
}

const PRIORITIES_OFF = `
create or replace function public.bench_priorities_off() returns trigger language plpgsql as $$
begin new.priority := 0; return new; end $$;
create trigger bench_priorities_off before insert on graphile_worker._private_jobs
  for each row execute function public.bench_priorities_off();`;

export async function fairQueue(
  databaseUrl: string,
  jobs: number,
  maxConcurrent: number,
  priorities: boolean,
): Promise<FairQueueFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-bench-fair-'));
  const setup = createPool(databaseUrl, 2);
  await migrate(setup); // graphile_worker's schema too, so the trigger has its table
  if (!priorities) await setup.query(PRIORITIES_OFF);
  await setup.end();
  const config = loadConfig({
    ...OFFLINE_SERVICE_ENV,
    DATA_DIR: dataDir,
    PLAYTEST: 'off',
    MAX_CONCURRENT: String(maxConcurrent),
    SLOTS: String(jobs),
    DATABASE_URL: databaseUrl,
  });
  const service = await startService(config, { databaseUrl, workerLogger: benchLogger() });
  const listener = new pg.Client({ connectionString: databaseUrl });
  try {
    await listener.connect();
    const t0 = performance.now();
    await service.db.query('select gamepocgen.generate_game(null, null, 7000 + g) from generate_series(1, $1) g', [
      jobs,
    ]);
    let firstGameMs = 0;
    let finished = false;
    await new Promise<void>((resolve) => {
      const check = async () => {
        if (finished) return;
        const { rows } = await service.db.query<{ done: number; deployed: number }>(
          `select count(*) filter (where status in ('deployed', 'failed'))::int done,
                  count(*) filter (where status = 'deployed')::int deployed from gamepocgen.jobs`,
        );
        if (!firstGameMs && rows[0]!.deployed > 0) firstGameMs = performance.now() - t0;
        if (rows[0]!.done >= jobs) {
          finished = true;
          resolve();
        }
      };
      let chain = Promise.resolve();
      listener.on('notification', () => (chain = chain.then(check)));
      void listener.query(`listen ${EVENTS_CHANNEL}`).then(check);
    });
    const totalMs = performance.now() - t0;
    const { rows } = await service.db.query<{ n: number }>(
      `select count(*)::int n from gamepocgen.jobs where status = 'failed'`,
    );
    return { firstGameMs, totalMs, failed: rows[0]!.n };
  } finally {
    await listener.end().catch(() => {});
    await service.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
