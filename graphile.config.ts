// graphile-worker preset, read by `npx graphile-worker` (the production worker
// service and the CLI path). `npm start` builds the same runner in-process.
import type {} from 'graphile-worker';
import { loadConfig } from './lib/config.ts';
import { createPool, resolveDatabase, runnerDatabaseUrl } from './lib/db.ts';
import { migrate } from './lib/migrate.ts';
import { gamesHostTasksPlugin } from './lib/queue/games-host-plugin.ts';
import { presenceEvents } from './lib/runner-events.ts';
import { slotKeeperEvents } from './lib/slot-keeper.ts';
import { exitNaturallyAfterSignals, guardProcess } from './lib/shutdown.ts';
import { setCliDatabaseUrl } from './lib/task-deps.ts';

// graphile-worker handles SIGTERM/SIGINT itself (graceful pool shutdown); we keep a stray rejection (e.g. its
// failJob during a Postgres restart) from ending the process, and let it exit 0 once it has released everything.
guardProcess();
exitNaturallyAfterSignals();
const config = loadConfig();
const { url } = await resolveDatabase(config);
// The tasks' cancel watcher (lib/studio/cancel-watch.ts) listens on the same database.
setCliDatabaseUrl(url);
// Our schema must exist before tasks run; the API process does the same at start-up.
{
  const pool = createPool(url, 2);
  await migrate(pool);
  await pool.end();
}

const preset: GraphileConfig.Preset = {
  // SERVE_GAMES=0 (an extra worker host): deploys, removals, play-tests and slot passes are left to the games host.
  plugins: [gamesHostTasksPlugin(config.SERVE_GAMES, (line) => console.log(`[gamepocgen] ${line}`))],
  worker: {
    // Sessions that plan each prepared statement once, as the in-process runner's (lib/db.ts runnerDatabaseUrl).
    connectionString: runnerDatabaseUrl(url),
    concurrentJobs: config.MAX_CONCURRENT,
    maxPoolSize: config.MAX_CONCURRENT + 4,
    taskDirectory: `${import.meta.dirname}/tasks`,
    crontabFile: `${import.meta.dirname}/crontab`,
    fileExtensions: ['.ts', '.js'],
    // Running steps get the grace; then their abort signal stops their workers and they return to the queue.
    gracefulShutdownAbortTimeout: config.SHUTDOWN_GRACE_SECONDS * 1000,
    // Presence (the reaper's view of live runners) and, on the games host, the slot keeper (lost game containers
    // restored). (`--once` runs what is queued and exits: nothing to keep watching.)
    events:
      process.argv.includes('--once') || !config.SERVE_GAMES
        ? presenceEvents(url, undefined, (line) => console.log(line), { servesGames: config.SERVE_GAMES })
        : slotKeeperEvents(
            url,
            presenceEvents(url, undefined, (line) => console.log(line), { servesGames: config.SERVE_GAMES }),
          ),
  },
};

export default preset;
