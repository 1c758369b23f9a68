// One phase of one job, from the task's side: materialise the job's artifacts
// into a scratch workspace, run the worker there (local child or container),
// validate what changed, then record the result and chain the next step in one
// transaction. Re-running a completed phase only re-chains (idempotent).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Genre, JobInput, PhaseStatus, describeZodError, phaseName, type PhaseNumber } from './artifacts.ts';
import { deleteArtifacts, loadArtifacts, saveArtifacts } from './artifact-store.ts';
import { phaseBudget } from './budgets.ts';
import { ProviderSpec, providerEnv } from './llm/providers.ts';
import { forkComparison } from './compare.ts';
import { providerSettings } from './config.ts';
import { inTransaction, type DbClient, type WithClient } from './db.ts';
import { addEvent } from './events.ts';
import { chainNext } from './jobs/chain.ts';
import { failComparisonSiblings, failJob, markIdeaDone, startPhase } from './jobs/lifecycle.ts';
import { finishPhaseRun } from './jobs/phase-runs.ts';
import { addJobUsage, getJob, getJobForPhase, recentTitles, setGameGenre, type JobRow } from './jobs/repository.ts';
import { validatePhaseOutputs } from './phase-outputs.ts';
import { lessonsForJob } from './lessons/job-lessons.ts';
import { CANCELLED_ERROR } from './runtimes/types.ts';
import { repairInput } from './studio/feedback.ts';
import { activeFeedback, failActiveFeedback } from './studio/feedback-store.ts';
import { recordRepairFailed } from './playtest/store.ts';
import { isPlaytestRecord } from './playtest/versions.ts';
import { workerLineEvent } from './runtimes/worker-lines.ts';
import { IDEA_PHASE, REPAIR_PHASE, writesDist } from './phases.ts';
import type { TaskDeps } from './task-deps.ts';
import { changedFiles, makeScratchDir, readTree, removeDir, writeTree, type FileMap } from './workspace.ts';

export interface PhaseRunResult {
  status: 'completed' | 'failed' | 'timeout' | 'skipped';
  error: string | null;
}

// The play-tester's records are not the agent's to change: what it writes there is not taken back.
const NOT_TAKEN_BACK = (p: string) => p.startsWith('status/') || p === 'input.json' || isPlaytestRecord(p);

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
  const found = await withClient((c) => getJobForPhase(c, jobId, phase, repair ?? 1));
  if (!found) throw new MissingJobError(jobId);
  const { job, phaseDone, previousDone } = found;
  if (job.status === 'cancelled') return { status: 'skipped', error: 'job is cancelled' };
  // A player's feedback (lib/studio/feedback.ts) calls for a repair as a failed play-test does.
  const feedbackWaiting = phase === REPAIR_PHASE && (await withClient((c) => activeFeedback(c, jobId))) !== null;
  const refusal = notCalledFor(job, phase, phaseDone, previousDone, feedbackWaiting);
  if (refusal) return { status: 'skipped', error: refusal };
  if (phaseDone) {
    await withClient((c) => chainNext(c, jobId, { after: 'run-phase', phase }));
    return { status: 'skipped', error: null };
  }

  let agentEnv: Record<string, string>;
  try {
    agentEnv = phaseAgentEnv(deps, job);
  } catch (e) {
    await withClient((c) =>
      failJob(c, jobId, `phase ${phase} (${phaseName(phase)}) cannot start: ${(e as Error).message}`),
    );
    return { status: 'failed', error: (e as Error).message };
  }

  // The phase run is the first write (one statement), so its started_at measures the hand-off.
  const runId = await withClient((c) =>
    startPhase(c, {
      jobId,
      phase,
      agent: deps.agent,
      runtime: deps.runtime.name,
      workerId,
      message: `phase ${phase} (${phaseName(phase)}) started on ${deps.runtime.name}`,
    }),
  );

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
  await withClient((c) => inTransaction(c, (tx) => recordOutcome(deps, tx, job, phase, runId, ran)));
  return { status: ran.status, error: ran.error };
}

interface WorkspaceRun {
  status: 'completed' | 'failed' | 'timeout';
  error: string | null;
  before: FileMap;
  after: FileMap;
  changed: FileMap;
  durationMs: number;
  agentMs: number;
  usage: Record<string, number>;
}

/** Materialises the job's artifacts, runs the worker there, and reads back what it produced. */
async function runInWorkspace(
  deps: TaskDeps,
  withClient: WithClient,
  run: {
    job: JobRow;
    phase: PhaseNumber;
    input: JobInput;
    agentEnv: Record<string, string>;
    workspace: string;
    signal?: AbortSignal;
  },
): Promise<WorkspaceRun> {
  const { job, phase, workspace } = run;
  const budget = phaseBudget(deps.config, phase);
  // Earlier versions (versions/) stay out of the workspace; the play-test rounds (playtest/) are the repair's evidence.
  const before = new Map(
    [...(await withClient((c) => loadArtifacts(c, job.id)))].filter(([p]) => !p.startsWith('versions/')),
  );
  await writeTree(workspace, before);
  await writeFile(path.join(workspace, 'input.json'), JSON.stringify(run.input, null, 2));

  // Worker lines become events in order, while the phase runs.
  let eventChain = Promise.resolve();
  // A cancelled job's worker is killed (lib/studio/cancel-watch.ts); `signal` is the runner's shutdown.
  const cancel = await deps.cancellations?.watch(job.id);
  const outcome = await deps.runtime
    .runPhase({
      jobId: job.id,
      phase,
      gameName: job.game_name,
      workspaceDir: workspace,
      timeoutSeconds: budget.seconds,
      // The phase's turn budget (lib/budgets.ts); the prompt states it and the time limit.
      env: { ...run.agentEnv, MAX_TURNS: String(budget.turns) },
      signal: run.signal,
      cancelSignal: cancel?.signal,
      onLine: (line) => {
        eventChain = eventChain.then(() =>
          withClient((c) => addEvent(c, workerLineEvent(job.id, phase, line), deps.secrets)).catch(() => {}),
        );
      },
    })
    .finally(() => cancel?.release());
  await eventChain;
  // (A worker stopped by our own shutdown is the runner's doing: the caller returns the step to the queue.)
  if (outcome.interrupted && !run.signal?.aborted) throw new PhaseInterruptedError(outcome.interrupted);

  const status = await readStatus(workspace, phase);
  const after = await readTree(workspace, { skip: NOT_TAKEN_BACK });
  let error = outcome.error ?? status?.error ?? null;
  let finalStatus = outcome.status;
  if (finalStatus === 'completed') {
    const problems = validatePhaseOutputs(phase, after);
    if (problems.length) {
      finalStatus = 'failed';
      error = `invalid ${phaseName(phase)} output: ${problems.join('; ')}`;
    }
  }
  return {
    status: finalStatus,
    error,
    before,
    after,
    changed: changedFiles(before, after),
    durationMs: outcome.durationMs,
    agentMs: status?.agentMs ?? 0,
    usage: numericUsage(status?.usage),
  };
}

/** Records a phase's outcome and, when it completed, stores its files and chains the next step (one transaction). */
async function recordOutcome(
  deps: TaskDeps,
  tx: DbClient,
  job: JobRow,
  phase: PhaseNumber,
  runId: number,
  ran: WorkspaceRun,
): Promise<void> {
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
    return;
  }
  const finish = () =>
    finishPhaseRun(tx, runId, {
      status: ran.status,
      error: ran.error,
      durationMs: ran.durationMs,
      agentMs: ran.agentMs,
      usage: ran.usage,
    });
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
    return;
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
  // Last before commit: finished_at then marks the hand-off to the next step.
  await finish();
  await chainNext(tx, jobId, { after: 'run-phase', phase });
}

/**
 * Idempotent by state, not just by payload: a step added by hand (psql) for a
 * job whose state doesn't call for it does nothing, and says why. Phases 1–4
 * run while the job is being built, each after the one before; the repair
 * (phase 5) only for a deployed game whose repair loop is repairing. A completed
 * phase re-chains its next step only while the job is still on its way.
 */
function notCalledFor(
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

/** A step interrupted by the runner's shutdown: it goes back to the queue without counting as an attempt. */
export class RunnerStoppingError extends Error {
  code = 'runner_stopping';
  constructor(message: string) {
    super(message);
    this.stack = ''; // an expected stop, not a crash: logged as one line
  }
}

/** The worker was killed from outside (not its own failure): the task throws it so the queue retries the phase. */
export class PhaseInterruptedError extends Error {
  code = 'phase_interrupted';
}

export class MissingJobError extends Error {
  code = 'job_not_found';
  constructor(jobId: number) {
    super(`job ${jobId} does not exist`);
  }
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

async function readStatus(workspace: string, phase: number): Promise<PhaseStatus | null> {
  try {
    const parsed = PhaseStatus.safeParse(
      JSON.parse(await readFile(path.join(workspace, 'status', `${phase}.json`), 'utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
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

function numericUsage(usage: PhaseStatus['usage'] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(usage ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}
