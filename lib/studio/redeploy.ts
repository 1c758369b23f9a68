// Putting a game back on a slot: an archived (recycled) game is redeployed from
// its stored dist/, and a deployed one can have an earlier version restored.
import { withTransaction, type Db, type DbClient } from '../db.ts';
import { addEvent } from '../events.ts';
import { getJob } from '../jobs/repository.ts';
import { StudioError, jobNotFound } from './errors.ts';
import { activeFeedback } from './feedback-store.ts';
import { enqueueForcedDeploy } from '../queue/enqueue.ts';

import { restoreDist, snapshotDist } from './versions.ts';

const REDEPLOYABLE = new Set(['recycled', 'deployed']);

/** Locks the job's row and checks it holds a built game (deployed or archived); `what` ends the 409's message. */
async function lockBuiltJob(tx: DbClient, jobId: number, what: string): Promise<void> {
  const job = await getJob(tx, jobId, { forUpdate: true });
  if (!job) throw jobNotFound(jobId);
  if (!REDEPLOYABLE.has(job.status))
    throw new StudioError(409, 'not_redeployable', `job ${jobId} is ${job.status}: ${what}`, { status: job.status });
}

/** "Put on a slot": deploys the job's stored build again (recycling the least recently deployed slot if full). */
export async function redeployJob(db: Db, jobId: number): Promise<{ jobId: number; queued: true }> {
  return withTransaction(db, async (tx) => {
    await lockBuiltJob(tx, jobId, 'only a built game (deployed or archived) can be put on a slot');
    await addEvent(tx, { jobId, kind: 'log', message: 'put on a slot by request: redeploying the stored build' });
    await enqueueForcedDeploy(tx, jobId);
    return { jobId, queued: true as const };
  });
}

/** Makes versions/<label>/ the game's dist/ again (the current one is kept as a version first) and redeploys it. */
export async function restoreVersion(
  db: Db,
  jobId: number,
  label: string,
): Promise<{ jobId: number; restored: string; savedAs: string }> {
  return withTransaction(db, async (tx) => {
    await lockBuiltJob(tx, jobId, 'only a built game can have a version restored');
    const active = await activeFeedback(tx, jobId);
    if (active)
      throw new StudioError(
        409,
        'change_in_progress',
        `job ${jobId} is being changed (feedback #${active.id}): wait for it, or cancel it first`,
        { feedbackId: active.id },
      );
    const savedAs = `before-restore-${Date.now().toString(36)}`;
    await snapshotDist(tx, jobId, savedAs);
    const files = await restoreDist(tx, jobId, label);
    if (files === 0)
      throw new StudioError(
        404,
        'version_not_found',
        `job ${jobId} has no version "${label}" (GET /api/jobs/${jobId}/versions lists them)`,
      );
    await addEvent(tx, {
      jobId,
      kind: 'log',
      message: `version ${label} restored (${files} files); the previous one is kept as ${savedAs}`,
    });
    await enqueueForcedDeploy(tx, jobId);
    return { jobId, restored: label, savedAs };
  });
}
