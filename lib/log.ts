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

/**
 * The GamePocGen job a task payload is about, as log fields: only integers are taken,
 * so a malformed payload (from psql, say) can neither forge nor bloat a field.
 */
export function jobFields(payload: unknown): { jobId?: number; phase?: number } {
  const p = (payload ?? {}) as { jobId?: unknown; phase?: unknown };
  return {
    ...(Number.isSafeInteger(p.jobId) ? { jobId: p.jobId as number } : {}),
    ...(Number.isSafeInteger(p.phase) ? { phase: p.phase as number } : {}),
  };
}

/**
 * graphile-worker's logger on top of ours: each line carries the task, the graphile job id and the worker,
 * and graphile-worker's own lines about a job ("Completed task …", "Failed task …") the GamePocGen jobId
 * and phase from its payload (the payload itself is not logged).
 */
export function graphileLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const { job, ...rest } = (meta ?? {}) as {
      job?: { id?: string; task_identifier?: string; payload?: unknown; attempts?: number };
    };
    const fields = {
      task: scope.taskIdentifier ?? job?.task_identifier,
      graphileJobId: scope.jobId ?? job?.id,
      worker: scope.workerId,
      ...(job ? { ...jobFields(job.payload), attempts: job.attempts } : {}),
      ...rest,
    };
    const method = level === 'warning' ? 'warn' : level === 'error' ? 'error' : level === 'debug' ? 'debug' : 'info';
    logger[method](fields, message);
  });
}

/** A task's graphile logger whose every line also carries `fields` (the job and phase the task is running). */
export function boundGraphileLogger(base: GraphileLogger, fields: Record<string, unknown>): GraphileLogger {
  return new GraphileLogger(() => (level, message, meta) => {
    const method = level === 'warning' ? 'warn' : level === 'error' ? 'error' : level === 'debug' ? 'debug' : 'info';
    base[method](message, { ...fields, ...meta });
  });
}
