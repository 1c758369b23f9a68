// Worker stdout is one JSON object per line ({kind, message, data?}); anything
// else (a stray console.log) is kept as a plain log line.
import type { WorkerLine } from './types.ts';

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

export function parseWorkerLine(line: string): WorkerLine | null {
  const text = line.trim();
  if (!text) return null;
  if (text.startsWith('{')) {
    try {
      const value = JSON.parse(text) as Partial<WorkerLine>;
      if (typeof value.kind === 'string' && typeof value.message === 'string') {
        return {
          kind: value.kind,
          message: value.message,
          data: value.data && typeof value.data === 'object' ? value.data : undefined,
        };
      }
    } catch {
      // not JSON after all
    }
  }
  return { kind: 'log', message: text };
}
