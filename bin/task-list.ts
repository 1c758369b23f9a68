// The task list for an in-process runner: the same task files the graphile-worker
// CLI loads from tasks/, built with explicit dependencies: one per name in the
// task registry (lib/queue/tasks.ts), which the type below checks.
import type { Task } from 'graphile-worker';
import type { TaskName } from '../lib/queue/tasks.ts';
import type { TaskDeps } from '../lib/task-deps.ts';
import { createDeployGameTask } from '../tasks/deploy-game.ts';
import { createPlaytestGameTask } from '../tasks/playtest-game.ts';
import { createReapContainersTask } from '../tasks/reap-containers.ts';
import { createRemoveGameTask } from '../tasks/remove-game.ts';
import { createRunPhaseTask } from '../tasks/run-phase.ts';

export function createTaskList(deps: TaskDeps): Record<TaskName, Task> {
  return {
    'run-phase': createRunPhaseTask(deps),
    'deploy-game': createDeployGameTask(deps),
    'playtest-game': createPlaytestGameTask(deps),
    'remove-game': createRemoveGameTask(deps),
    'reap-containers': createReapContainersTask(deps),
  };
}
