// graphile-worker preset, read by `npx graphile-worker` (the production worker
// service and the CLI path). `npm start` builds the same runner in-process.
import type {} from 'graphile-worker';
import { loadConfig } from './lib/config.ts';
import { createPool, resolveDatabase } from './lib/db.ts';
import { migrate } from './lib/migrate.ts';
import { presenceEvents } from './lib/runner-events.ts';
import { slotKeeperEvents } from './lib/slot-keeper.ts';

const config = loadConfig();
const { url } = await resolveDatabase(config);
// Our schema must exist before tasks run; the API process does the same at start-up.
{
  const pool = createPool(url, 2);
  await migrate(pool);
  await pool.end();
}

const preset: GraphileConfig.Preset = {
  worker: {
    connectionString: url,
    concurrentJobs: config.MAX_CONCURRENT,
    maxPoolSize: config.MAX_CONCURRENT + 4,
    taskDirectory: `${import.meta.dirname}/tasks`,
    crontabFile: `${import.meta.dirname}/crontab`,
    fileExtensions: ['.ts', '.js'],
    // Presence (the reaper's view of live runners) and the slot keeper (lost game containers restored).
    events: slotKeeperEvents(url, presenceEvents(url)),
  },
};

export default preset;
