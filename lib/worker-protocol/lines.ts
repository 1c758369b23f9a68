// The worker protocol, part 2: what a phase process prints. One JSON object per line on
// stdout ({kind, message, data?}); anything else (a crash trace on stderr, a stray print)
// still becomes a line so nothing a phase said is lost. Every line a runtime reads goes
// through `parseWorkerLine`, which cuts runaway lines and redacts the secrets it was given.
// Imports only node:* (the worker image ships no other package).
import { PassThrough } from 'node:stream';
import { redact } from '../redact.ts';

/** The kinds an agent emits; a parsed line may carry any kind string (the worker is untrusted). */
export type WorkerLineKind = 'log' | 'tool' | 'assistant' | 'usage' | 'error';

/**
 * One line of a phase process: what an agent emits (ctx.emit), what the entrypoint prints,
 * and what a runtime hands its caller (which stores it as a job event).
 */
export interface WorkerLine<K extends string = string> {
  kind: K;
  message: string;
  data?: Record<string, unknown>;
}

/** Longer lines are cut: one runaway print must not balloon memory or an event row. */
export const MAX_LINE_CHARS = 64 * 1024;

export type StreamName = 'stdout' | 'stderr';

/** The text a phase process prints for one line. */
export const formatWorkerLine = (line: WorkerLine) => JSON.stringify(line) + '\n';

export function parseWorkerLine(
  text: string,
  stream: StreamName = 'stdout',
  secrets: string[] = [],
): WorkerLine | null {
  const raw = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (!raw.trim()) return null;
  const clean = redact(raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) + '…[truncated]' : raw, secrets);
  if (stream === 'stdout' && clean.startsWith('{')) {
    try {
      const v = JSON.parse(clean) as { kind?: unknown; message?: unknown; data?: unknown };
      if (typeof v.kind === 'string' && typeof v.message === 'string') {
        const line: WorkerLine = { kind: v.kind, message: v.message };
        if (v.data && typeof v.data === 'object' && !Array.isArray(v.data))
          line.data = v.data as Record<string, unknown>;
        return line;
      }
    } catch {
      // not JSON after all: fall through to a plain line
    }
  }
  return stream === 'stderr'
    ? { kind: 'log', message: clean, data: { stream: 'stderr' } }
    : { kind: 'log', message: clean };
}

/** Splits a byte stream into lines (UTF-8 safe across chunk boundaries) and hands each to `onLine`. */
export function lineSink(onLine: (text: string) => void): PassThrough {
  const sink = new PassThrough();
  sink.setEncoding('utf8');
  let pending = '';
  sink.on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
    // A line with no newline yet still must not grow without bound.
    if (pending.length > MAX_LINE_CHARS * 2) {
      onLine(pending);
      pending = '';
    }
  });
  sink.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
  return sink;
}
