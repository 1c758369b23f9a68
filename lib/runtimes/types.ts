// The runtime contract: where a phase runs. Both runtimes start the same
// `worker/entrypoint.ts` with the same protocol (lib/worker-protocol/) and
// enforce the same timeout; the caller reads `status/<phase>.json` afterwards.
import type { PhaseNumber } from '../artifacts.ts';
import type { WorkerLine } from '../worker-protocol/lines.ts';

export interface PhaseRunRequest {
  jobId: number;
  phase: PhaseNumber;
  gameName: string;
  /** Absolute path of the job's workspace on this host. */
  workspaceDir: string;
  timeoutSeconds: number;
  /** Extra env for the worker (agent settings); never logged. */
  env: Record<string, string>;
  /** Every line the worker printed, parsed, cut and redacted (lib/worker-protocol/lines.ts). */
  onLine(line: WorkerLine): void;
  /** Aborted when the runner stops past its shutdown grace: the worker is killed and the phase ends `failed`. */
  signal?: AbortSignal;
  /** Aborted when the job is cancelled: the runtime kills the worker and reports `failed` with CANCELLED_ERROR. */
  cancelSignal?: AbortSignal;
}

/** The outcome's error when the phase was stopped because its job was cancelled. */
export const CANCELLED_ERROR = 'cancelled by request: the worker was stopped';

export interface PhaseRunOutcome {
  /** `timeout` when the runtime killed the worker; otherwise what the exit code says. */
  status: 'completed' | 'failed' | 'timeout';
  exitCode: number | null;
  error: string | null;
  durationMs: number;
  /**
   * Set when the worker was killed by something other than this runtime (`docker kill`, the engine or host
   * restarting, its container removed): not the phase's fault, so the caller retries it (bounded by the queue's attempts).
   */
  interrupted?: string;
}

export interface Runtime {
  readonly name: 'local' | 'docker';
  runPhase(request: PhaseRunRequest): Promise<PhaseRunOutcome>;
  /** One line for start-up and /health, e.g. "docker (image gamepocgen-worker:latest)". */
  describe(): string;
  close?(): Promise<void>;
}
