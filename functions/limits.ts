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
  return rateLimiter({
    windowMs: 60_000,
    limit: opts.perMinute,
    standardHeaders: 'draft-6', // RateLimit-* headers, and Retry-After on a 429
    skip: (c) => SAFE_METHODS.has(c.req.method),
    keyGenerator: (c) => clientKey(c, opts.trustProxy),
    handler: (c) =>
      errorResponse(
        c,
        429,
        'rate_limited',
        `too many changes from this client: at most ${opts.perMinute} per minute (RATE_LIMIT_PER_MINUTE); retry after the number of seconds in Retry-After`,
      ),
  });
}

export function streamingBodyLimit(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({
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
}
