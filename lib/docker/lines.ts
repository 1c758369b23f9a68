// Worker output → WorkerLine. The worker prints one JSON object per line on
// stdout ({kind, message, data?}); anything else (a crash trace on stderr, a
// stray print) still becomes a line so nothing a phase said is lost.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { WorkerLine } from '../runtimes/types.ts';
import { redact } from '../redact.ts';

/** Longer lines are cut: one runaway print must not balloon memory or an event row. */
export const MAX_LINE_CHARS = 64 * 1024;

export type StreamName = 'stdout' | 'stderr';

export function parseWorkerLine(text: string, stream: StreamName, secrets: string[] = []): WorkerLine | null {
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
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
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

/**
 * Streams a container's multiplexed stdout/stderr (from `attach` or
 * `logs({follow: true})`) into `onLine`. Resolves when the stream has ended and
 * every line has been delivered.
 */
export function demuxLines(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onLine: (text: string, from: StreamName) => void,
): Promise<void> {
  const out = lineSink((t) => onLine(t, 'stdout'));
  const err = lineSink((t) => onLine(t, 'stderr'));
  docker.modem.demuxStream(stream, out, err);
  const ended = (s: PassThrough) => new Promise<void>((resolve) => s.once('end', resolve));
  const done = Promise.all([ended(out), ended(err)]).then(() => undefined);
  const finish = () => {
    out.end();
    err.end();
  };
  stream.once('end', finish);
  stream.once('close', finish);
  stream.once('error', finish);
  return done;
}

/** Splits a non-follow `logs()` buffer (8-byte frame headers: stream, 0, 0, 0, size BE32) into lines. */
export function demuxBuffer(buf: Buffer): Array<{ text: string; from: StreamName }> {
  const chunks: Record<StreamName, Buffer[]> = { stdout: [], stderr: [] };
  let i = 0;
  const framed = buf.length >= 8 && (buf[0] === 1 || buf[0] === 2) && buf[1] === 0 && buf[2] === 0 && buf[3] === 0;
  if (!framed) chunks.stdout.push(buf); // a TTY container's log is raw
  while (framed && i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    chunks[buf[i] === 2 ? 'stderr' : 'stdout'].push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  const lines: Array<{ text: string; from: StreamName }> = [];
  for (const from of ['stdout', 'stderr'] as const) {
    for (const text of Buffer.concat(chunks[from]).toString('utf8').split('\n')) if (text) lines.push({ text, from });
  }
  return lines;
}
