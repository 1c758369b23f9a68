// One phase of one job, from the task's side: decide whether the job's state calls
// for it, build its input, run it in a scratch workspace (lib/phase-workspace.ts),
// then record the result and chain the next step in one transaction
// (lib/phase-outcome.ts). Re-running a completed phase only re-chains (idempotent).
// A runtime failure or a phase process killed from outside closes the run and is
// retried by the queue; the runner's shutdown returns the phase to the queue.
import { Genre, JobInput, describeZodError, phaseName, type PhaseNumber } from './artifacts.ts';
import { ProviderSpec, providerEnv } from './llm/providers.ts';
import { providerSettings } from './config.ts';
import { inTransaction, type WithClient } from './db.ts';
import { addEvent } from './events.ts';
import { chainNext } from './jobs/chain.ts';
import { failJob, startPhase, startPhaseIfDue } from './jobs/lifecycle.ts';
import { finishPhaseRun } from './jobs/phase-runs.ts';
import { getJobForPhase, recentTitles, type JobRow } from './jobs/repository.ts';
import { lessonsForJob } from './lessons/job-lessons.ts';
import { MissingJobError, PhaseInterruptedError, RunnerStoppingError } from './phase-errors.ts';
import { recordOutcome } from './phase-outcome.ts';
import { runInWorkspace, type WorkspaceRun } from './phase-workspace.ts';
import { IDEA_PHASE, REPAIR_PHASE, writesDist } from './phases.ts';
import { repairInput } from './studio/feedback.ts';
import { activeFeedback } from './studio/feedback-store.ts';
import type { TaskDeps } from './task-deps.ts';
import { makeScratchDir, removeDir } from './workspace.ts';

export interface PhaseRunResult {
  status: 'completed' | 'failed' | 'timeout' | 'skipped';
  error: string | null;
  /** Whether the phase queued the job's next step (its task then knows the chain goes on). */
  queuedNext?: boolean;
}

export async function runPhase(
  deps: TaskDeps,
  withClient: WithClient,
  jobId: number,
  phase: PhaseNumber,
  workerId: string | null,
  opts: {
    /** Which repair of the repair loop (phase 5): done means completed this many times. */
    repair?: number;
    /** The runner's shutdown signal: the worker is stopped and the phase returned to the queue, not failed. */
    signal?: AbortSignal;
  } = {},
): Promise<PhaseRunResult> {
  const { repair, signal } = opts;
  const message = `phase ${phase} (${phaseName(phase)}) started on ${deps.runtime.name}`;
  const start = { jobId, phase, agent: deps.agent, runtime: deps.runtime.name, workerId, message };
  // The hand-off's first round trip: phases 1‥4 read the job and, when due, start in the same statement; its
  // phase run is the step's first write, so its started_at measures the hand-off. The repair reads first.
  const found = await withClient((c) =>
    phase === REPAIR_PHASE
      ? getJobForPhase(c, jobId, phase, repair ?? 1).then((f) => f && { ...f, runId: null })
      : startPhaseIfDue(c, start),
  );
  if (!found) throw new MissingJobError(jobId);
  const { job, phaseDone, previousDone } = found;
  let runId = found.runId;
  let agentEnv: Record<string, string>;
  // Started: it was due, and the job has no provider of its own, so this cannot throw.
  if (runId !== null) agentEnv = phaseAgentEnv(deps, job);
  else {
    if (job.status === 'cancelled') return { status: 'skipped', error: 'job is cancelled' };
    // A player's feedback (lib/studio/feedback.ts) calls for a repair as a failed play-test does.
    const feedbackWaiting = phase === REPAIR_PHASE && (await withClient((c) => activeFeedback(c, jobId))) !== null;
    const refusal = notCalledFor(job, phase, phaseDone, previousDone, feedbackWaiting);
    if (refusal) return { status: 'skipped', error: refusal };
    if (phaseDone) {
      const next = await withClient((c) => chainNext(c, jobId, { after: 'run-phase', phase }));
      return { status: 'skipped', error: null, queuedNext: next !== null };
    }
    try {
      agentEnv = phaseAgentEnv(deps, job);
    } catch (e) {
      await withClient((c) =>
        failJob(c, jobId, `phase ${phase} (${phaseName(phase)}) cannot start: ${(e as Error).message}`),
      );
      return { status: 'failed', error: (e as Error).message };
    }
    runId = await withClient((c) => startPhase(c, start));
  }

  const input = await buildInput(withClient, job, phase);
  if ('error' in input) {
    await withClient((c) =>
      inTransaction(c, async (tx) => {
        await finishPhaseRun(tx, runId, { status: 'failed', error: input.error, durationMs: 0, agentMs: 0, usage: {} });
        await failJob(tx, jobId, input.error);
      }),
    );
    return { status: 'failed', error: input.error };
  }

  const workspace = await makeScratchDir(deps.config.workspaceDir, `job${jobId}-p${phase}`);
  let ran: WorkspaceRun;
  try {
    ran = await runInWorkspace(deps, withClient, { job, phase, input: input.value, agentEnv, workspace, signal });
  } catch (e) {
    // The runtime itself failed (e.g. Docker refused the container), or the worker was killed from outside:
    // close this run with the reason; the task is retried (bounded by the queue's attempts).
    const interrupted = e instanceof PhaseInterruptedError;
    await withClient(async (c) => {
      await finishPhaseRun(c, runId, {
        status: 'failed',
        error: interrupted ? (e as Error).message : `the runtime could not run the phase: ${(e as Error).message}`,
        durationMs: 0,
        agentMs: 0,
        usage: {},
      });
      if (interrupted)
        await addEvent(c, {
          jobId,
          kind: 'log',
          phase,
          message: `${(e as Error).message}; the phase will be retried`,
          data: { interrupted: true },
        });
    });
    throw e;
  } finally {
    await removeDir(workspace);
  }
  if (signal?.aborted) {
    // Stopped by a shutdown, not by its own doing: close this run; the task returns the phase to the queue.
    const error = 'the runner stopped; the phase was returned to the queue';
    await withClient((c) =>
      inTransaction(c, async (tx) => {
        await finishPhaseRun(tx, runId, { status: 'failed', error, durationMs: ran.durationMs, agentMs: 0, usage: {} });
        await addEvent(tx, { jobId, kind: 'log', phase, message: `phase ${phase} (${phaseName(phase)}): ${error}` });
      }),
    );
    throw new RunnerStoppingError(`job ${jobId} phase ${phase}: ${error}`);
  }
  const next = await withClient((c) => inTransaction(c, (tx) => recordOutcome(deps, tx, job, phase, runId, ran)));
  return { status: ran.status, error: ran.error, queuedNext: next !== null };
}

/**
 * Idempotent by state, not just by payload: a step added by hand (psql) for a
 * job whose state doesn't call for it does nothing, and says why. Phases 1–4
 * run while the job is being built, each after the one before; the repair
 * (phase 5) only for a deployed game whose repair loop is repairing. A completed
 * phase re-chains its next step only while the job is still on its way.
 */
export function notCalledFor(
  job: JobRow,
  phase: PhaseNumber,
  done: boolean,
  previousDone: boolean,
  feedbackWaiting = false,
): string | null {
  if (job.status === 'failed' || job.status === 'removed' || job.status === 'recycled') return `job is ${job.status}`;
  if (phase === REPAIR_PHASE) {
    if (done) return null; // re-chains its deploy, which publishes only a build newer than the deployed one
    if (job.status !== 'deployed') return `job is ${job.status}: a repair follows a deployed game's play-test`;
    if (job.playtest?.loop !== 'repairing' && !feedbackWaiting)
      return `no play-test of job ${job.id} asked for a repair`;
    return null;
  }
  if (done) return job.status === 'deployed' || job.status === 'deploying' ? `phase ${phase} already done` : null;
  if (job.status !== 'queued' && job.status !== 'running') return `job is ${job.status}: phase ${phase} is not due`;
  if (phase > IDEA_PHASE && !previousDone) return `phase ${phase - 1} has not completed yet`;
  return null;
}

/** A comparison job runs on its own provider; others on the operator's agent settings. */
function phaseAgentEnv(deps: TaskDeps, job: JobRow): Record<string, string> {
  if (!job.provider) return deps.agentEnv;
  return { ...deps.agentEnv, ...providerEnv(ProviderSpec.parse(job.provider), providerSettings(deps.config)) };
}

async function buildInput(
  withClient: WithClient,
  job: JobRow,
  phase: PhaseNumber,
): Promise<{ value: JobInput } | { error: string }> {
  if (job.genre !== null && !Genre.safeParse(job.genre).success) {
    return { error: `genre "${job.genre.slice(0, 40)}" is not one of: ${Genre.options.join(', ')}` };
  }
  // Only the idea phase picks a title, so only it needs the titles already taken.
  const existingTitles = phase === IDEA_PHASE ? await withClient((c) => recentTitles(c)) : [];
  // The repair works from the play-test's defect report (and playtest.json, materialised with the other artifacts).
  // A player's feedback (lib/studio/feedback.ts) comes first when the repair was started by one.
  const feedback = phase === REPAIR_PHASE ? await withClient((c) => repairInput(c, job.id)) : null;
  // Build and repair learn from earlier games of the same kit (lib/lessons/).
  const lessons = writesDist(phase) ? await withClient((c) => lessonsForJob(c, job.id)) : undefined;
  const parsed = JobInput.safeParse({
    jobId: job.id,
    idea: job.idea,
    genre: job.genre,
    seed: job.seed,
    existingTitles,
    feedback,
    lessons,
  });
  if (!parsed.success) return { error: `job input is invalid: ${describeZodError(parsed.error)}` };
  return { value: parsed.data };
}
