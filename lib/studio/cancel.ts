// Cancelling a job: its waiting steps are removed, a `cancel` event (NOTIFY on
// commit) makes the runner holding its phase kill the worker, and its slot is
// freed — all in one transaction under the job's row lock, so a phase finishing
// at the same moment sees `cancelled` and chains nothing (phase-outcome.ts).
// A deployed game with a change in progress (a repair, feedback) keeps its
// current version: only the change is stopped.
import { withTransaction, type Db } from '../db.ts';
import { addEvent } from '../events.ts';
import { getJob } from '../jobs/repository.ts';
import { markCancelled } from '../jobs/lifecycle.ts';
import { enqueueRemoveGame } from '../queue/enqueue.ts';
import { releaseSlotOf } from '../slots.ts';
import { CANCEL_EVENT } from './cancel-watch.ts';
import { StudioError, jobNotFound } from './errors.ts';
import { failActiveFeedback } from './feedback-store.ts';
import { removePendingSteps } from '../queue/queries.ts';

export const CANCELLABLE = new Set(['queued', 'running', 'deploying']);

export interface CancelResult {
  jobId: number;
  status: string;
  removedSteps: number;
  freedSlot: number | null;
}

export async function cancelJob(db: Db, jobId: number): Promise<CancelResult> {
  return withTransaction(db, async (tx) => {
    const job = await getJob(tx, jobId, { forUpdate: true });
    if (!job) throw jobNotFound(jobId);
    const removedSteps = await removePendingSteps(tx, jobId);
    if (CANCELLABLE.has(job.status)) {
      const freedSlot = await releaseSlotOf(tx, jobId);
      await markCancelled(tx, jobId);
      if (freedSlot !== null) await enqueueRemoveGame(tx, jobId, freedSlot);
      await failActiveFeedback(tx, jobId, 'the job was cancelled');
      await addEvent(tx, {
        jobId,
        kind: CANCEL_EVENT,
        phase: job.phase || null,
        message: `cancelled during ${job.status} (phase ${job.phase})`,
        data: { removedSteps },
      });
      return { jobId, status: 'cancelled', removedSteps, freedSlot };
    }
    if (job.status === 'deployed' && removedSteps > 0) {
      await failActiveFeedback(tx, jobId, 'the change was cancelled; the game keeps its current version');
      await addEvent(tx, {
        jobId,
        kind: CANCEL_EVENT,
        phase: job.phase || null,
        message: 'the change in progress was cancelled; the game stays deployed',
        data: { removedSteps },
      });
      return { jobId, status: job.status, removedSteps, freedSlot: null };
    }
    throw new StudioError(
      409,
      'not_cancellable',
      `job ${jobId} is ${job.status} with nothing in progress: there is nothing to cancel`,
      { status: job.status },
    );
  });
}
