// Abuse limits on mutations: a per-client rate limit (hono-rate-limiter's fixed
// window, in memory: one API process) and a body limit enforced while the body
// streams in (Hono's bodyLimit), so a huge or endless chunked body never buffers.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getConnInfo } from '@hono/node-server/conninfo';
import { rateLimiter } from 'hono-rate-limiter';
import { errorResponse } from './errors.ts';
import { SAFE_METHODS } from './guard.ts';

export const MAX_BODY_BYTES = 64 * 1024;

/** The client a request counts against: its socket address, or the proxy's last X-Forwarded-For hop when trusted. */
export function clientKey(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim());
    const last = hops.at(-1);
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not a Node socket (app.request in tests)
  }
}

export function mutationRateLimit(opts: { perMinute: number; trustProxy: boolean }): MiddlewareHandler {
  const limiter = rateLimiter({
    windowMs: 60_000,
    limit: opts.perMinute,
    standardHeaders: 'draft-6', // RateLimit-* headers, and Retry-After on a 429
    keyGenerator: (c) => clientKey(c, opts.trustProxy),
    handler: (c) =>
      errorResponse(
        c,
        429,
        'rate_limited',
        `too many changes from this client: at most ${opts.perMinute} per minute (RATE_LIMIT_PER_MINUTE); retry after the number of seconds in Retry-After`,
      ),
  });
  // Reads are not limited: they pass straight on (the limiter's own skip option costs two awaits per read).
  return (c, next) => (SAFE_METHODS.has(c.req.method) ? next() : limiter(c, next));
}

/** Whether the request carries a body at all (HTTP/1.1: only with Content-Length or Transfer-Encoding). */
export function hasRequestBody(c: Context): boolean {
  const length = c.req.header('content-length');
  return (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
}

export function streamingBodyLimit(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      // The rest of the body is not read: close the connection rather than drain it.
      c.header('connection', 'close');
      return errorResponse(
        c,
        413,
        'payload_too_large',
        `request body is over the limit of ${maxBytes} bytes (an idea may be at most 10000 characters)`,
      );
    },
  });
  // A request without a body has nothing to limit; asking Hono's bodyLimit would build a full
  // fetch Request from the Node request just to find its body empty (~5% of a GET's CPU).
  return (c, next) => (hasRequestBody(c) ? limit(c, next) : next());
}

/**
 * A request answered without its body being read (refused by a guard, a 404, an early error): a small
 * body is read and dropped so the connection can be reused; a large, slow or endless one gets
 * `connection: close` instead, so it is never buffered, drained against a timer or taken for the next request.
 */
export function closeUnreadBodies(maxBytes = MAX_BODY_BYTES, maxMs = 1000): MiddlewareHandler {
  const close: MiddlewareHandler = async (c, next) => {
    await next();
    if (c.req.raw.bodyUsed || !c.req.raw.body) return;
    const length = c.req.header('content-length');
    const small = length !== undefined && Number(length) <= maxBytes;
    if (!small || !(await drain(c.req.raw.body, maxBytes, maxMs))) c.header('connection', 'close');
  };
  // A request without a body (every GET) has nothing to drain: it passes straight on.
  return (c, next) => (hasRequestBody(c) ? close(c, next) : next());
}

/** Reads and drops up to `maxBytes` within `maxMs`; false when the body was longer or slower than that. */
async function drain(body: ReadableStream<Uint8Array>, maxBytes: number, maxMs: number): Promise<boolean> {
  const reader = body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), maxMs)));
  let read = 0;
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), late]);
      if (chunk === 'late') return false;
      if (chunk.done) return true;
      read += chunk.value.length;
      if (read > maxBytes) return false;
    }
  } catch {
    return false; // the client went away
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
}
