// One phase's run in its scratch workspace: materialise the job's artifacts and input,
// run the phase process on the runtime (its lines become events as they come, a
// cancelled job's process is killed), then read back its status and the files it
// changed, and validate the phase's outputs. Nothing here writes the outcome
// (lib/phase-outcome.ts does, in one transaction).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PhaseStatus, phaseName, type JobInput, type PhaseNumber } from './artifacts.ts';
import { loadArtifacts } from './artifact-store.ts';
import { phaseBudget } from './budgets.ts';
import type { WithClient } from './db.ts';
import { addEvent } from './events.ts';
import type { JobRow } from './jobs/repository.ts';
import { validatePhaseOutputs } from './phase-outputs.ts';
import { PhaseInterruptedError } from './phase-errors.ts';
import { isPlaytestRecord } from './playtest/versions.ts';
import { workerLineEvent } from './runtimes/worker-lines.ts';
import type { TaskDeps } from './task-deps.ts';
import { changedFiles, readTree, writeTree, type FileMap } from './workspace.ts';

// The play-tester's records are not the agent's to change: what it writes there is not taken back.
const NOT_TAKEN_BACK = (p: string) => p.startsWith('status/') || p === 'input.json' || isPlaytestRecord(p);

export interface WorkspaceRun {
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
export async function runInWorkspace(
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

function numericUsage(usage: PhaseStatus['usage'] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(usage ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}
