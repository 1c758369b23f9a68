// graphile-worker task `run-phase` {jobId, phase}: runs one phase and chains the next step.
import type { JobHelpers } from 'graphile-worker';
import { phaseName } from '../lib/artifacts.ts';
import { runPhase } from '../lib/phase-runner.ts';
import { TASKS } from '../lib/queue/tasks.ts';
import { defaultTaskDeps, defineJobTask } from '../lib/task-deps.ts';

export const createRunPhaseTask = defineJobTask({
  name: 'run-phase',
  payload: TASKS['run-phase'],
  describeFailure: ({ phase }) => `phase ${phase} (${phaseName(phase)}) could not run`,
  async run(deps, { jobId, phase, repair }, helpers) {
    const result = await runPhase(deps, helpers.withPgClient, jobId, phase, helpers.job.locked_by, {
      repair,
      signal: helpers.abortSignal,
    });
    return {
      summary: `job ${jobId} phase ${phase}: ${result.status}${result.error ? ` (${result.error})` : ''}`,
      queuedNext: result.queuedNext === true,
    };
  },
});

export default async (payload: unknown, helpers: JobHelpers) =>
  createRunPhaseTask(await defaultTaskDeps())(payload, helpers);
