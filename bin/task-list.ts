// The task list for an in-process runner: the same task files the graphile-worker
// CLI loads from tasks/, built with explicit dependencies: one per name in the
// task registry (lib/queue/tasks.ts), which the type below checks. A runner with
// SERVE_GAMES=0 leaves the steps about served games out (graphile-worker takes only
// the jobs of tasks it has), so they wait for a games-host runner.
import type { Task, TaskList } from 'graphile-worker';
import { takesTask, type TaskName } from '../lib/queue/tasks.ts';
import type { TaskDeps } from '../lib/task-deps.ts';
import { createDeployGameTask } from '../tasks/deploy-game.ts';
import { createPlaytestGameTask } from '../tasks/playtest-game.ts';
import { createReapContainersTask } from '../tasks/reap-containers.ts';
import { createReconcileSlotsTask } from '../tasks/reconcile-slots.ts';
import { createRemoveGameTask } from '../tasks/remove-game.ts';
import { createRunPhaseTask } from '../tasks/run-phase.ts';

export function createTaskList(deps: TaskDeps): TaskList {
  const all: Record<TaskName, Task> = {
    'run-phase': createRunPhaseTask(deps),
    'deploy-game': createDeployGameTask(deps),
    'playtest-game': createPlaytestGameTask(deps),
    'remove-game': createRemoveGameTask(deps),
    'reap-containers': createReapContainersTask(deps),
    'reconcile-slots': createReconcileSlotsTask(deps),
  };
  return Object.fromEntries(Object.entries(all).filter(([name]) => takesTask(name, deps.config.SERVE_GAMES)));
}
