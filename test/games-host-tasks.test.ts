// Which tasks a runner takes: with SERVE_GAMES=0 (an extra worker host) the steps about served games
// (deploy, remove, play-test) are not in its task list, so graphile-worker never hands it their jobs.
// Both paths: the in-process task list (bin/task-list.ts) and the graphile-worker CLI, whose real task
// loader reads tasks/ through the plugin graphile.config.ts installs. Controls: SERVE_GAMES=1 keeps all.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getTasks, type JobHelpers, Logger } from 'graphile-worker';
import { describe, expect, it } from 'vitest';
import { createLocalDeployer } from '../lib/deployers/local.ts';
import { createPool } from '../lib/db.ts';
import { poolClient } from '../lib/slot-keeper.ts';
import { createReapContainersTask } from '../tasks/reap-containers.ts';
import { createTestDatabase } from './helpers/db.ts';
import { createTaskList } from '../bin/task-list.ts';
import { loadConfig } from '../lib/config.ts';
import { gamesHostTasksPlugin } from '../lib/queue/games-host-plugin.ts';
import { TASKS } from '../lib/queue/tasks.ts';
import type { TaskDeps } from '../lib/task-deps.ts';

const ALL = Object.keys(TASKS).sort();
const PHASES_ONLY = ['reap-containers', 'run-phase'];

describe('the tasks a runner takes', () => {
  it('SERVE_GAMES reads as a boolean, on by default (a single host serves its games)', () => {
    expect(loadConfig({}).SERVE_GAMES).toBe(true);
    expect(loadConfig({ SERVE_GAMES: '0' }).SERVE_GAMES).toBe(false);
    expect(() => loadConfig({ SERVE_GAMES: 'maybe' })).toThrow(/SERVE_GAMES/);
  });

  it('in-process: SERVE_GAMES=0 leaves deploy, remove, play-test and reconcile out; SERVE_GAMES=1 has every task', () => {
    const deps = (serve: boolean) => ({ config: loadConfig({ SERVE_GAMES: serve ? '1' : '0' }) }) as TaskDeps;
    expect(Object.keys(createTaskList(deps(false))).sort()).toEqual(PHASES_ONLY);
    expect(Object.keys(createTaskList(deps(true))).sort()).toEqual(ALL);
  });

  it('the graphile-worker CLI loader: the plugin drops the same tasks from a task directory, and says why', async () => {
    // Stand-in task files under the registry's names (importing tasks/ itself is the two-engine test's job).
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-tasks-'));
    try {
      for (const name of ALL) await writeFile(path.join(dir, `${name}.mjs`), 'export default async () => {};\n');
      const load = async (serve: boolean) => {
        const said: string[] = [];
        const logger = new Logger(() => () => {}); // quiet: graphile-worker's own "failed to load" warning
        const watched = await getTasks(
          { logger, preset: { plugins: [gamesHostTasksPlugin(serve, (l) => said.push(l))] } },
          dir,
        );
        watched.release();
        return { tasks: Object.keys(watched.tasks).sort(), said };
      };
      const extra = await load(false);
      expect(extra.tasks).toEqual(PHASES_ONLY);
      expect(extra.said.sort()).toEqual(
        ['deploy-game', 'playtest-game', 'reconcile-slots', 'remove-game'].map(
          (t) => `SERVE_GAMES=0: ${t} is left to the games host's runners (not loaded here)`,
        ),
      );
      expect(await load(true)).toEqual({ tasks: ALL, said: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a reaper pass on an extra host queues one reconcile-slots job for the games host; on the games host none', async () => {
    const database = await createTestDatabase();
    const db = createPool(database.url, 2);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gpg-reap-'));
    try {
      const reap = (serve: boolean) => {
        const config = loadConfig({ DATA_DIR: dataDir, SERVE_GAMES: serve ? '1' : '0' });
        const deps = {
          config,
          runtime: { name: 'local' },
          deployer: createLocalDeployer({ deployDir: config.deployDir, port: 0 }),
          secrets: [],
          now: () => new Date(),
        } as unknown as TaskDeps;
        const helpers = { withPgClient: poolClient(db), logger: { info() {} } } as unknown as JobHelpers;
        return createReapContainersTask(deps)(null, helpers);
      };
      const queued = async () =>
        (
          await db.query<{ key: string }>(
            `select key from graphile_worker.jobs where task_identifier = 'reconcile-slots' order by id`,
          )
        ).rows.map((r) => r.key);
      await reap(true);
      expect(await queued()).toEqual([]); // control: the games host reconciles inline
      await reap(false);
      await reap(false);
      expect(await queued()).toEqual(['slots:reconcile']); // one, however many passes asked
    } finally {
      await db.end();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
