// The agent contract: who does a phase's work. Agents run *inside* the worker
// (a container or a local child process), read the job's inputs and earlier
// artifacts from the workspace, and write the phase's files into it.
import type { JobInput, PhaseNumber } from '../artifacts.ts';
import type { WorkerLine, WorkerLineKind } from '../worker-protocol/lines.ts';

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

export interface AgentContext {
  phase: PhaseNumber;
  jobId: number;
  gameName: string;
  /** Absolute path of the job's scratch workspace; the only place an agent writes. */
  workspaceDir: string;
  /** Absolute, read-only path of `framework/` (copied into `dist/` by the build phase). */
  frameworkDir: string;
  /** Absolute, read-only path of `prompts/`. */
  promptsDir: string;
  input: JobInput;
  /** Aborted when the phase runs out of time. */
  signal: AbortSignal;
  /** One observable step; the worker prints it as a line (lib/worker-protocol/lines.ts), stored as a job event. */
  emit(line: WorkerLine<WorkerLineKind>): void;
  /** Checks the phase's outputs as the worker will; returns readable problems (empty = valid). */
  validateOutputs(): Promise<string[]>;
  /**
   * The worker's env plus the secrets the runtime handed over on stdin (lib/worker-protocol/env.ts,
   * SECRET_ENV_KEY): held in memory only, so never pass it whole to a child process.
   */
  env: Readonly<Record<string, string | undefined>>;
}

export interface AgentResult {
  usage?: Usage;
}

export interface Agent {
  readonly name: 'builtin' | 'claude';
  runPhase(ctx: AgentContext): Promise<AgentResult>;
}
