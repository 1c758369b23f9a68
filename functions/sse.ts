// Server-Sent Events over the job event stream: replay rows after the client's
// last id, then wake on NOTIFY and read what's new. No polling.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { listEvents, type JobEvent } from '../lib/events.ts';
import type { AppDeps } from './deps.ts';

const BATCH = 500;

export function streamJobEvents(
  c: Context,
  deps: AppDeps,
  opts: { jobId: number | null; afterId: number; isFinished?: () => Promise<boolean> },
) {
  return streamSSE(c, async (stream) => {
    let lastId = opts.afterId;
    let wake: (() => void) | null = null;
    let pending = true;
    const unsubscribe = deps.events.subscribe((n) => {
      if (opts.jobId !== null && n.jobId !== opts.jobId && n.kind !== 'reconnected') return;
      pending = true;
      wake?.();
    });
    stream.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    try {
      while (!stream.aborted) {
        if (!pending) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        pending = false;
        let rows: JobEvent[];
        do {
          rows = await listEvents(deps.db, { jobId: opts.jobId, afterId: lastId, limit: BATCH });
          for (const e of rows) {
            await stream.writeSSE({ id: String(e.id), event: e.kind, data: JSON.stringify(serializeEvent(e)) });
            lastId = e.id;
          }
        } while (rows.length === BATCH);
        if (opts.isFinished && (await opts.isFinished())) {
          await stream.writeSSE({ event: 'end', data: '{}' });
          break;
        }
      }
    } finally {
      unsubscribe();
    }
  });
}

export function serializeEvent(e: JobEvent) {
  return { id: e.id, jobId: e.job_id, at: e.at, kind: e.kind, phase: e.phase, message: e.message, data: e.data };
}
