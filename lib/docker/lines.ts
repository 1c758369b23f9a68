// A container's output as lines: Docker multiplexes stdout and stderr into one stream
// (or one buffer, for non-follow logs); these split it back and hand each line to the
// worker protocol's parser (lib/worker-protocol/lines.ts).
import type { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { lineSink, type StreamName } from '../worker-protocol/lines.ts';

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
