// graphile-worker task `remove-game` {jobId, slot}: stops serving a removed game's
// slot, unless another game took the slot in the meantime.
import type { JobHelpers } from 'graphile-worker';
import { inTransaction } from '../lib/db.ts';
import { getJob } from '../lib/jobs/repository.ts';
import { MissingJobError } from '../lib/phase-errors.ts';
import { TASKS } from '../lib/queue/tasks.ts';
import { slotOwner } from '../lib/slots.ts';
import { defaultTaskDeps, defineJobTask } from '../lib/task-deps.ts';

export const createRemoveGameTask = defineJobTask({
  name: 'remove-game',
  payload: TASKS['remove-game'],
  describeFailure: ({ slot }) => `unpublishing slot ${slot} failed`,
  async run(deps, { jobId, slot }, helpers) {
    // Under the slot's row lock, so a deploy can't take the slot between the check and the unpublish.
    return helpers.withPgClient((c) =>
      inTransaction(c, async (tx) => {
        // Idempotent by state: only a removed job's slot is unpublished (an unknown job fails once, readably).
        const job = await getJob(tx, jobId);
        if (!job) throw new MissingJobError(jobId);
        if (job.status !== 'removed') return `job ${jobId} is ${job.status}, not removed: slot ${slot} left as it is`;
        if (slot >= deps.config.SLOTS)
          return `slot ${slot} does not exist (SLOTS=${deps.config.SLOTS}); nothing to remove`;
        const owner = await slotOwner(tx, slot, { lock: true });
        if (owner !== null) return `slot ${slot} already serves job ${owner}; nothing to remove for job ${jobId}`;
        await deps.deployer.unpublish(slot);
        return `slot ${slot} unpublished (job ${jobId} removed)`;
      }),
    );
  },
});

export default async (payload: unknown, helpers: JobHelpers) =>
  createRemoveGameTask(await defaultTaskDeps())(payload, helpers);
