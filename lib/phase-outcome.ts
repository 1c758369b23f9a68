// Recording a phase's outcome, in the caller's transaction: the phase run, the job's
// usage, the events, and — when it completed — its files (a build or repair owns
// dist/), the idea's title and genre, a comparison's fork, then the next step of the
// task chain. A job cancelled while the phase ran records the run and chains nothing.
import { phaseName, type PhaseNumber } from './artifacts.ts';
import { deleteArtifacts, saveArtifacts } from './artifact-store.ts';
import { forkComparison } from './compare.ts';
import type { DbClient } from './db.ts';
import { addEvent } from './events.ts';
import { chainNext, type Step } from './jobs/chain.ts';
import { failComparisonSiblings, failJob, markIdeaDone } from './jobs/lifecycle.ts';
import { finishPhaseRun, finishPhaseRunWrite } from './jobs/phase-runs.ts';
import { addJobUsage, getJob, setGameGenre, type JobRow } from './jobs/repository.ts';
import type { WorkspaceRun } from './phase-workspace.ts';
import { IDEA_PHASE, REPAIR_PHASE, writesDist } from './phases.ts';
import { recordRepairFailed } from './playtest/store.ts';
import { CANCELLED_ERROR } from './runtimes/types.ts';
import { failActiveFeedback } from './studio/feedback-store.ts';
import type { TaskDeps } from './task-deps.ts';
import type { FileMap } from './workspace.ts';

/**
 * Records a phase's outcome and, when it completed, stores its files and chains the next step (one transaction).
 * Returns the step it queued (null: none).
 */
export async function recordOutcome(
  deps: TaskDeps,
  tx: DbClient,
  job: JobRow,
  phase: PhaseNumber,
  runId: number,
  ran: WorkspaceRun,
): Promise<Step | null> {
  const jobId = job.id;
  // Under the job's row lock: a job cancelled while this phase ran records the run and chains nothing.
  const now = await getJob(tx, jobId, { forUpdate: true });
  if (now?.status === 'cancelled') {
    await finishPhaseRun(tx, runId, {
      status: 'failed',
      error: CANCELLED_ERROR,
      durationMs: ran.durationMs,
      agentMs: ran.agentMs,
      usage: ran.usage,
    });
    await addEvent(tx, {
      jobId,
      kind: 'phase_end',
      phase,
      message: `phase ${phase} (${phaseName(phase)}) stopped: the job was cancelled`,
      data: { status: 'cancelled' },
    });
    return null;
  }
  const result = {
    status: ran.status,
    error: ran.error,
    durationMs: ran.durationMs,
    agentMs: ran.agentMs,
    usage: ran.usage,
  };
  const finish = () => finishPhaseRun(tx, runId, result);
  if (Object.keys(ran.usage).length) await addJobUsage(tx, jobId, ran.usage);
  if (ran.status !== 'completed') {
    const reason = `phase ${phase} (${phaseName(phase)}) ${ran.status === 'timeout' ? 'timed out' : 'failed'}: ${ran.error ?? 'no reason given'}`;
    await addEvent(
      tx,
      { jobId, kind: 'phase_end', phase, message: reason, data: { status: ran.status } },
      deps.secrets,
    );
    // A failed repair leaves the served version deployed and playable, and ends the repair loop.
    if (phase === REPAIR_PHASE && job.status === 'deployed') {
      await recordRepairFailed(tx, jobId, phase, reason, deps.secrets);
      await failActiveFeedback(tx, jobId, `${reason}; the earlier version stays deployed`);
    } else await failJob(tx, jobId, reason);
    if (phase === IDEA_PHASE && job.compare_group === jobId) await failComparisonSiblings(tx, jobId, reason);
    await finish();
    return null;
  }
  await saveArtifacts(tx, jobId, phase, ran.changed);
  // A build or repair owns dist/: a file it removed (e.g. the broken one a repair replaced) must not be deployed again.
  if (writesDist(phase))
    await deleteArtifacts(
      tx,
      jobId,
      [...ran.before.keys()].filter((p) => p.startsWith('dist/') && !ran.after.has(p)),
    );
  if (phase === IDEA_PHASE) {
    await markIdeaDone(tx, jobId, titleFrom(ran.after));
    await setGameGenre(tx, jobId, ideaField(ran.after, 'genre')); // the gallery filters by it
  }
  if (phase === IDEA_PHASE && job.compare_group === jobId) {
    const siblings = await forkComparison(tx, jobId);
    if (siblings.length)
      await addEvent(tx, {
        jobId,
        kind: 'log',
        phase,
        message: `phase 1 shared with comparison job(s) ${siblings.join(', ')}`,
      });
  }
  await addEvent(tx, {
    jobId,
    kind: 'phase_end',
    phase,
    message: `phase ${phase} (${phaseName(phase)}) completed: ${ran.changed.size} file(s) in ${Math.round(ran.durationMs)} ms`,
    data: {
      status: 'completed',
      files: ran.changed.size,
      durationMs: Math.round(ran.durationMs),
      agentMs: ran.agentMs,
    },
  });
  // Last before commit, in the next step's add_job statement: finished_at then marks the hand-off to it.
  return chainNext(tx, jobId, { after: 'run-phase', phase }, { leading: finishPhaseRunWrite(runId, result) });
}

function titleFrom(files: FileMap): string | null {
  return ideaField(files, 'title');
}

function ideaField(files: FileMap, key: 'title' | 'genre'): string | null {
  try {
    const value = JSON.parse(files.get('idea.json')!.toString('utf8'))[key];
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
