// graphile-worker task `deploy-game` {jobId}: publishes a built job to a slot.
import type { JobHelpers } from 'graphile-worker';
import { z } from 'zod';
import { deployJob } from '../lib/deploy.ts';
import { JobIdPayload } from '../lib/queue.ts';

// `force` (lib/studio/steps.ts): deploy dist/ even when no newer build exists.
const DeployPayload = JobIdPayload.extend({ force: z.boolean().optional() });
import { defaultTaskDeps, defineJobTask } from '../lib/task-deps.ts';

export const createDeployGameTask = defineJobTask({
  name: 'deploy-game',
  payload: DeployPayload,
  describeFailure: () => 'deploy failed',
  async run(deps, { jobId, force }, helpers) {
    const deployed = await deployJob(deps, helpers.withPgClient, jobId, { force });
    return deployed ? `job ${jobId} deployed to slot ${deployed.slot}: ${deployed.url}` : null;
  },
});

export default async (payload: unknown, helpers: JobHelpers) =>
  createDeployGameTask(await defaultTaskDeps())(payload, helpers);
