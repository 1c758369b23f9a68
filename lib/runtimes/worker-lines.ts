// A worker line (lib/worker-protocol/lines.ts) as the job event it is stored as.
import type { WorkerLine } from '../worker-protocol/lines.ts';

/** The job event a worker line becomes (an agent's `error` line is an `agent_error` event). */
export function workerLineEvent(
  jobId: number,
  phase: number | null,
  line: WorkerLine,
  extraData: Record<string, unknown> = {},
) {
  const data = line.data || Object.keys(extraData).length ? { ...line.data, ...extraData } : null;
  return { jobId, kind: line.kind === 'error' ? 'agent_error' : line.kind, phase, message: line.message, data };
}
