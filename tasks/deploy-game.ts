// graphile-worker task `deploy-game` {jobId, rollbackTo?}: publishes a built job (or a version the repair loop rolled back to) to a slot.
import type { JobHelpers } from 'graphile-worker';
import { deployJob } from '../lib/deploy.ts';
import { TASKS } from '../lib/queue/tasks.ts';
import { defaultTaskDeps, defineJobTask } from '../lib/task-deps.ts';

export const createDeployGameTask = defineJobTask({
  name: 'deploy-game',
  payload: TASKS['deploy-game'],
  describeFailure: () => 'deploy failed',
  async run(deps, { jobId, rollbackTo, force }, helpers) {
    const deployed = await deployJob(deps, helpers.withPgClient, jobId, { rollbackTo, force });
    return deployed
      ? `job ${jobId} deployed to slot ${deployed.slot}: ${deployed.url}`
      : `job ${jobId}: no undeployed build, nothing to deploy`;
  },
});

export default async (payload: unknown, helpers: JobHelpers) =>
  createDeployGameTask(await defaultTaskDeps())(payload, helpers);
