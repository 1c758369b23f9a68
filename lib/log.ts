// Structured logs (pino): one JSON object per line, so no input can forge a line
// (newlines in values are escaped by JSON); pretty and coloured when stdout is a
// terminal. Secret values (API keys, tokens) are replaced wherever they appear,
// and the usual secret-bearing fields are redacted by path.
import { Logger as GraphileLogger } from 'graphile-worker';
import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { redact } from './redact.ts';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Values that must never be written (secretsOf(config), the API token). */
  secrets?: string[];
  /** Where lines go (default stdout; pretty when stdout is a TTY). */
  destination?: DestinationStream;
  pretty?: boolean;
}

const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'password',
  '*.password',
];

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s && s.length >= 4);
  const usePretty = opts.pretty ?? (!opts.destination && process.stdout.isTTY === true);
  const target: DestinationStream =
    opts.destination ??
    (usePretty
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' })
      : pino.destination(1));
  return pino(
    {
      level: opts.level ?? 'info',
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      ...(secrets.length ? { hooks: { streamWrite: (line: string) => redact(line, secrets) } } : {}),
    },
    target,
  );
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Collects lines in memory (tests). */
export function memoryDestination(): DestinationStream & { lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(l);
      cb();
    },
  });
  return Object.assign(stream, { lines });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g;

/** A value from a request, shortened and with control characters escaped, for a log field or message. */
export function printable(value: string, max = 300): string {
  const escaped = value.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

/** graphile-worker's logger on top of ours: each line carries the task, the graphile job id and the worker. */
export function graphileLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const fields = { task: scope.taskIdentifier, graphileJobId: scope.jobId, worker: scope.workerId, ...meta };
    const method = level === 'warning' ? 'warn' : level === 'error' ? 'error' : level === 'debug' ? 'debug' : 'info';
    logger[method](fields, message);
  });
}
