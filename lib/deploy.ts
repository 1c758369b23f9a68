// Deploying a built job: its dist/ artifacts go to a slot (row-locked), the
// previous occupant is marked recycled, and the job becomes `deployed` — all in
// one transaction with the publish, so a failed publish leaves the slot as it was.
import { loadArtifacts } from './artifact-store.ts';
import { inTransaction } from './db.ts';
import { addEvent } from './events.ts';
import { chainNext } from './jobs/chain.ts';
import { readDeployState } from './jobs/deploy-state.ts';
import { failJob, markDeployed, markDeploying, markRecycled, startDeployIfDue } from './jobs/lifecycle.ts';
import { getJob } from './jobs/repository.ts';
import type { WithClient } from './db.ts';
import { MissingJobError } from './phase-errors.ts';
import { reconcileDeps, reconcileSlot } from './slot-reconcile.ts';
import { settleFeedback } from './studio/feedback.ts';
import { allocateSlot, assignSlot, ensureSlots } from './slots.ts';
import type { TaskDeps } from './task-deps.ts';
import { makeScratchDir, removeDir, writeTree } from './workspace.ts';

/**
 * `rollbackTo`: the repair loop restored dist/ to round N's version (lib/playtest/store.ts);
 * it is republished whatever the build times say, and not play-tested again (it was).
 */
export async function deployJob(
  deps: TaskDeps,
  withClient: WithClient,
  jobId: number,
  opts: { rollbackTo?: number; force?: boolean } = {},
): Promise<{ slot: number; url: string } | null> {
  const { rollbackTo, force } = opts;
  // The hand-off's first round trip: a first deploy that is due is marked deploying by the statement that reads
  // the job (its `deploying` status event is the step's first write). Every other case is decided below from the
  // same read's flags (lib/jobs/deploy-state.ts: the one copy of the rule), each with its reason.
  const found = await withClient((c) =>
    rollbackTo === undefined && !force ? startDeployIfDue(c, jobId) : readDeployState(c, jobId),
  );
  if (!found) throw new MissingJobError(jobId);
  const { job, served: redeploy } = found; // never a redeploy when found.deploying
  if (!found.deploying) {
    // A rollback only ever replaces a deployed game's files; a game gone since has nothing to roll back.
    if (rollbackTo !== undefined && !redeploy) return null;
    // `force`: a version restored by request (lib/studio/) is published as it is.
    if (redeploy && rollbackTo === undefined && !force && !found.newerBuild) {
      // Idempotent by effect, not by a flag: the slot must really serve the job (its container may be gone).
      const outcome = await reconcileSlot(reconcileDeps(deps), withClient, job.slot!, jobId);
      if (outcome.action === 'failed')
        throw new Error(`slot ${job.slot} does not serve job ${jobId} (${outcome.problem}): ${outcome.error}`);
      return { slot: job.slot!, url: job.url! };
    }
    // Failed, removed or cancelled.
    if (!found.live) return null;
    // Idempotent by state: only a finished build that isn't deployed yet is published (not a job still being built,
    // nor a recycled one) — unless a person asked (`force`: a restored version, "put on a slot").
    if (!redeploy && !force && !found.newerBuild) return null;
    if (!found.hasIndex) {
      await withClient((c) => failJob(c, jobId, 'deploy failed: the build produced no dist/index.html'));
      return null;
    }
    // A repaired game stays listed as deployed while its new build is published.
    if (!redeploy) await withClient((c) => markDeploying(c, jobId));
  }

  const dist = await withClient((c) => loadArtifacts(c, jobId, 'dist/'));
  const source = await makeScratchDir(deps.config.workspaceDir, `deploy-job${jobId}`);
  try {
    await writeTree(source, new Map([...dist].map(([p, b]) => [p.slice('dist/'.length), b])));
    return await withClient((c) =>
      inTransaction(c, async (tx) => {
        // Cancelled while the files were prepared: leave the slots alone.
        if ((await getJob(tx, jobId, { forUpdate: true }))?.status === 'cancelled') return null;
        await ensureSlots(tx, deps.config.SLOTS);
        const { slot, previousJobId } = await allocateSlot(tx, jobId, deps.config.SLOTS);
        const { url } = await deps.deployer.publish({ slot, jobId, sourceDir: source });
        if (previousJobId !== null) {
          await markRecycled(tx, previousJobId);
          await addEvent(tx, {
            jobId: previousJobId,
            kind: 'log',
            message: `slot ${slot} was recycled for job ${jobId}`,
          });
        }
        await assignSlot(tx, slot, jobId);
        await markDeployed(tx, jobId, slot, url);
        await addEvent(tx, {
          jobId,
          kind: 'deployed',
          message: `${rollbackTo ? `rolled back to round ${rollbackTo}'s version: ` : ''}deployed to slot ${slot}: ${url}`,
          data: rollbackTo ? { slot, url, rollbackTo } : { slot, url },
        });
        // A rollback republishes a version already play-tested, a restored one was chosen by a person: nothing follows.
        const playtest = deps.config.PLAYTEST === 'on' && !rollbackTo && !force;
        await chainNext(tx, jobId, { after: 'deploy-game', playtest });
        // Nothing will play-test a player's change: it is kept as it is.
        if (!playtest && !rollbackTo) await settleFeedback(tx, jobId, null);
        return { slot, url };
      }),
    );
  } finally {
    await removeDir(source);
  }
}
