// A worker line (lib/worker-protocol/lines.ts) as the job event it is stored as.
import type { EventKind } from '../jobs/lifecycle.ts';
import type { WorkerLine, WorkerLineKind } from '../worker-protocol/lines.ts';

/** An agent's line kinds as event kinds; the worker is untrusted, so no other kind passes through. */
const LINE_EVENT_KINDS: Record<WorkerLineKind, EventKind> = {
  log: 'log',
  tool: 'tool',
  assistant: 'assistant',
  usage: 'usage',
  error: 'agent_error',
};

/**
 * The job event a worker line becomes (an agent's `error` line is an `agent_error`
 * event). A line of any other kind is a `log` event keeping its kind in `data.kind`:
 * a phase process cannot write the service's own kinds (`status`, `deployed`, …).
 */
export function workerLineEvent(
  jobId: number,
  phase: number | null,
  line: WorkerLine,
  extraData: Record<string, unknown> = {},
) {
  const known = Object.hasOwn(LINE_EVENT_KINDS, line.kind);
  const extra = known ? extraData : { kind: line.kind, ...extraData };
  const data = line.data || Object.keys(extra).length ? { ...line.data, ...extra } : null;
  const kind = known ? LINE_EVENT_KINDS[line.kind as WorkerLineKind] : 'log';
  return { jobId, kind, phase, message: line.message, data };
}
