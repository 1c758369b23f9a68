// Composes the whole service in one process: Postgres (embedded or DATABASE_URL),
// migrations, the Hono API and the graphile-worker runner. Used by `npm start`
// and by the tests, so they exercise exactly what users run.
import { run, type Logger as GraphileLogger, type Runner, type WorkerEvents } from 'graphile-worker';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { createApp } from '../functions/app.ts';
import type { AppDeps } from '../functions/deps.ts';
import { createHealthAnswers } from '../functions/health.ts';
import { healthFastPath, type FastPath } from '../functions/health-fast-path.ts';
import { resolveApiToken } from '../lib/api-token.ts';
import { ROOT_DIR, type Config } from '../lib/config.ts';
import { Closers, startedOrUndone } from '../lib/closers.ts';
import { createPool, resolveDatabase, runnerDatabaseUrl, type Db } from '../lib/db.ts';
import { EventHub } from '../lib/events.ts';
import { VIEWS_CHANNEL, ViewCache } from '../lib/jobs/view-cache.ts';
import { storedInstanceId } from '../lib/instance.ts';
import { graphileLogger, silentLogger, type Logger } from '../lib/log.ts';
import { createMetrics } from '../lib/metrics.ts';
import { migrate } from '../lib/migrate.ts';
import { CHROMIUM_PATH } from '../lib/playtest/browser.ts';
import { reapDeadRunners } from '../lib/reaper/jobs.ts';
import { presenceEvents, presenceStopped } from '../lib/runner-events.ts';
import { poolClient, startSlotKeeper } from '../lib/slot-keeper.ts';
import { reconcileDeps } from '../lib/slot-reconcile.ts';
import { createCancelWatcher } from '../lib/studio/cancel-watch.ts';
import { createTaskDeps, type TaskDeps } from '../lib/task-deps.ts';
import { listen, type Fetch } from './http-server.ts';
import { createTaskList } from './task-list.ts';

export interface Service {
  url: string;
  port: number;
  db: Db;
  databaseUrl: string;
  apiToken: string;
  tokenConfigured: boolean;
  /** null when this process runs no tasks (`gamepocgen api`). */
  taskDeps: TaskDeps | null;
  runner: Runner | null;
  /** The job and list view cache (null with READ_CACHE=off). */
  viewCache: ViewCache | null;
  /** The process's job event hub (its LISTEN connection): subscribe to it rather than opening another. */
  events: EventHub;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** false: no task runner in this process (tasks still get built, e.g. for tests that call them). */
  runner?: boolean;
  /** false: the API alone — no runner and no runtime/deployer (the compose `api` service: no Docker socket). */
  tasks?: boolean;
  /** Override parts of the task dependencies (tests). */
  taskDeps?: Partial<TaskDeps>;
  log?: (line: string) => void;
  /** Structured log for requests and errors (default: silent; `log` lines go to it too when `log` is unset). */
  logger?: Logger;
  /** Use this database URL instead of resolving one from the config. */
  databaseUrl?: string;
  /** graphile-worker's own log, overriding `logger` for it (the bench sends it to a file). */
  workerLogger?: GraphileLogger;
  /** An emitter for graphile-worker's events (job:start, …), e.g. to time hand-offs in the bench. */
  workerEvents?: WorkerEvents;
}

export async function startService(initialConfig: Config, opts: ServiceOptions = {}): Promise<Service> {
  const logger = opts.logger ?? silentLogger;
  const log = opts.log ?? ((line: string) => logger.info(line));
  // Each part is added as it starts; close() stops them last first, and so does a step that fails.
  const closers = new Closers();
  return startedOrUndone(
    closers,
    () => startParts(initialConfig, opts, log, closers),
    (e) => log(`start-up failed, and stopping what had started failed too: ${e.message}`),
  );
}

async function startParts(
  initialConfig: Config,
  opts: ServiceOptions,
  log: (line: string) => void,
  closers: Closers,
): Promise<Service> {
  let config = initialConfig;
  const logger = opts.logger ?? silentLogger;
  const database = opts.databaseUrl ? { url: opts.databaseUrl, embedded: null } : await resolveDatabase(config);
  const embedded = database.embedded;
  if (embedded) closers.add('the embedded Postgres', () => embedded.stop());
  log(
    embedded
      ? `database: embedded PostgreSQL under ${path.relative(ROOT_DIR, config.DATA_DIR) || config.DATA_DIR}`
      : 'database: DATABASE_URL',
  );
  const db = createPool(database.url, 10);
  closers.add('the database pool', () => db.end());
  for (const m of await migrate(db)) log(`applied migration ${m}`);
  // Jobs a previous run was holding when it stopped resume now, not at the reaper's next minute.
  const reaped = await db.connect().then((c) => reapDeadRunners(c).finally(() => c.release()));
  if (reaped.unlockedJobs) log(`resumed ${reaped.unlockedJobs} job(s) left by a stopped process`);

  // The process's one LISTEN connection (besides graphile-worker's): the API's event streams and view cache,
  // and the runner's cancel watcher, which kills the workers of jobs cancelled through the API. Started
  // before HTTP so it stops after HTTP has drained.
  const events = new EventHub(database.url);
  await events.start();
  closers.add('the event hub', () => events.stop());

  // Bind first, so PORT=0 (tests) resolves to a real port before deployers build URLs.
  let handle: Fetch = () => new Response('starting', { status: 503 });
  let fastPath: FastPath = () => false;
  const server = await listen(
    (req, env) => handle(req, env),
    config.PORT,
    config.HOST,
    logger,
    (req, res) => fastPath(req, res),
  );
  closers.add('the HTTP server', () => drain(server)); // requests in flight finish; streams are closed
  const port = (server.address() as { port: number }).port;
  config = { ...config, PORT: port };

  const instanceId = config.INSTANCE_ID ?? (await storedInstanceId(db));
  const cancellations = opts.tasks === false ? null : createCancelWatcher(events);
  if (cancellations) closers.add('the cancel watcher', () => cancellations.close());
  const taskDeps =
    opts.tasks === false ? null : await createTaskDeps(config, { instanceId, cancellations, ...opts.taskDeps });
  if (taskDeps) {
    closers.add('the runtime', () => taskDeps.runtime.close?.());
    closers.add('the play-tester', () => taskDeps.playtester?.close?.());
    closers.add('the play-test browser', () => taskDeps.playtestBrowser.close());
  }
  const runtimeDescription = taskDeps
    ? taskDeps.runtime.describe()
    : 'none in this process (tasks run in the worker service)';
  log(
    taskDeps
      ? `runtime: ${runtimeDescription}; agent: ${taskDeps.agent}; deploy: ${config.SERVE_GAMES ? `${taskDeps.deployer.describe()}; play-tests: ${taskDeps.playtester?.describe() ?? 'in this process'}` : "none here (SERVE_GAMES=0: the games host's runners deploy and play-test)"}`
      : 'tasks: none in this process',
  );

  let runner: Runner | null = null;
  // The runner's own pool, so its connections carry our error handlers and end with us; it waits out a
  // Postgres restart on connect, so a step finishing meanwhile still records its outcome. Its sessions plan
  // each prepared statement once (runnerDatabaseUrl): the hand-off's statements run on them.
  const runnerPool =
    opts.runner === false || !taskDeps
      ? null
      : createPool(runnerDatabaseUrl(database.url), config.MAX_CONCURRENT + 4, {
          waitForServerMs: RESTART_PATIENCE_MS,
        });
  if (runnerPool) closers.add("the runner's pool", () => runnerPool.end());
  // Its presence hears other runners on the event hub's connection: no LISTEN session of its own (lib/presence.ts).
  const runnerEvents = presenceEvents(database.url, opts.workerEvents, log, {
    servesGames: config.SERVE_GAMES,
    hub: events,
  });
  // Once the runner has stopped: its presence row deregistered, not left for the reaper.
  closers.add("the runner's presence", () => presenceStopped(runnerEvents));
  if (runnerPool && taskDeps) {
    const started = await run({
      pgPool: runnerPool,
      concurrency: config.MAX_CONCURRENT,
      taskList: createTaskList(taskDeps),
      crontabFile: path.join(ROOT_DIR, 'crontab'),
      noHandleSignals: true,
      // On stop(), running steps get the grace; then their abort signal stops their workers (they release themselves).
      gracefulShutdownAbortTimeout: config.SHUTDOWN_GRACE_SECONDS * 1000,
      events: runnerEvents,
      logger: opts.workerLogger ?? (opts.logger ? graphileLogger(opts.logger) : undefined),
    });
    closers.add('the task runner', () => started.stop()); // no new jobs; running steps get the grace
    runner = started;
  }

  // Slots Postgres says are served must be: checked now, and on every Docker event about a game container
  // (by the games host's runners only: SERVE_GAMES=0 runs phases alone).
  const keeper =
    runner && taskDeps && config.SERVE_GAMES ? startSlotKeeper(reconcileDeps(taskDeps), poolClient(db), log) : null;
  if (keeper) closers.add('the slot keeper', () => keeper.stop()); // before the runner: no restore starts while it stops

  // Reads of unchanged jobs and list pages from memory, dropped on the change notifications heard on `events`.
  const viewCache = config.READ_CACHE === 'on' ? new ViewCache(db) : null;
  if (viewCache) await events.listen(VIEWS_CHANNEL, viewCache);
  const token = await resolveApiToken(config);
  const appDeps: AppDeps = {
    db,
    config,
    events,
    apiToken: token.token,
    tokenConfigured: token.configured,
    runtimeDescription,
    browserDescription: describeBrowser(config, taskDeps !== null),
    startedAt: new Date(),
    logger,
    viewCache: viewCache ?? undefined,
    metrics: createMetrics(db, { viewCache }),
  };
  // One set of health answers for the app's /health routes and the Node-level fast path in front of them.
  const healthAnswers = createHealthAnswers(appDeps);
  const app = createApp({ ...appDeps, healthAnswers });
  fastPath = await healthFastPath(appDeps, healthAnswers);
  handle = app.fetch;

  return {
    url: `http://localhost:${port}`,
    port,
    db,
    databaseUrl: database.url,
    apiToken: token.token,
    tokenConfigured: token.configured,
    taskDeps,
    runner,
    viewCache,
    events,
    /**
     * Stops what start-up started, last first: the slot keeper, the runner (no new jobs; running steps
     * finish within SHUTDOWN_GRACE_SECONDS, then their workers are stopped and the steps return to the
     * queue) and its presence and pool, the play-test browser and runtime, HTTP (drained), the event hub,
     * the pool, and the embedded Postgres last.
     */
    close: () => closers.close(),
  };
}

function describeBrowser(config: Config, runsTasks: boolean): string {
  if (!runsTasks) return 'none in this process (play-tests run in the worker service)';
  if (config.PLAYTEST === 'off') return 'off (PLAYTEST=off)';
  return existsSync(CHROMIUM_PATH) ? `chromium at ${CHROMIUM_PATH}` : `missing: no ${CHROMIUM_PATH} (play-tests skip)`;
}

/** How long the runner's pool waits for a restarting Postgres before a query fails. */
const RESTART_PATIENCE_MS = 60_000;
/** Requests in flight get this long to finish; streams that never end (SSE) are closed after it. */
const DRAIN_MS = 1000;

async function drain(server: Server) {
  const s = server as Server & { closeIdleConnections?: () => void; closeAllConnections?: () => void };
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  s.closeIdleConnections?.();
  const timer = setTimeout(() => s.closeAllConnections?.(), DRAIN_MS);
  await closed;
  clearTimeout(timer);
}
