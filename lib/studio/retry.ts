// Retrying a failed (or cancelled) job from the phase it stopped in. Stored
// artifacts of the phases before it are reused: a re-run of a completed phase
// only chains the next step (phase-runner.ts), so a job that failed at deploy
// goes straight to the deploy again.
import type { PhaseNumber } from '../artifacts.ts';
import { withTransaction, type Db } from '../db.ts';
import { addEvent } from '../events.ts';
import { getJob } from '../jobs/repository.ts';
import { markRetried } from '../jobs/lifecycle.ts';
import { enqueuePhase } from '../queue/enqueue.ts';
import { StudioError, jobNotFound } from './errors.ts';
import { removePendingSteps } from '../queue/queries.ts';

export const RETRYABLE = new Set(['failed', 'cancelled']);

export async function retryJob(db: Db, jobId: number): Promise<{ jobId: number; phase: PhaseNumber }> {
  return withTransaction(db, async (tx) => {
    const job = await getJob(tx, jobId, { forUpdate: true });
    if (!job) throw jobNotFound(jobId);
    if (!RETRYABLE.has(job.status))
      throw new StudioError(
        409,
        'not_retryable',
        `job ${jobId} is ${job.status}: only a failed or cancelled job can be retried`,
        { status: job.status },
      );
    const phase = Math.min(Math.max(job.phase, 1), 5) as PhaseNumber;
    // Out-of-attempts steps keep their keys; clear them so the retry starts fresh.
    await removePendingSteps(tx, jobId);
    await markRetried(tx, jobId);
    await addEvent(tx, {
      jobId,
      kind: 'log',
      phase,
      message: `retry requested: resuming from phase ${phase} with the stored artifacts`,
    });
    await enqueuePhase(tx, jobId, phase);
    return { jobId, phase };
  });
}
