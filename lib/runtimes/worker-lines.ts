// Worker stdout is one JSON object per line ({kind, message, data?}); anything
// else (a stray console.log) is kept as a plain log line.
import type { WorkerLine } from './types.ts';

export function parseWorkerLine(line: string): WorkerLine | null {
  const text = line.trim();
  if (!text) return null;
  if (text.startsWith('{')) {
    try {
      const value = JSON.parse(text) as Partial<WorkerLine>;
      if (typeof value.kind === 'string' && typeof value.message === 'string') {
        return { kind: value.kind, message: value.message, data: value.data && typeof value.data === 'object' ? value.data : undefined };
      }
    } catch {
      // not JSON after all
    }
  }
  return { kind: 'log', message: text };
}
