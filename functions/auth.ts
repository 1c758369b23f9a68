// Mutating requests need `Authorization: Bearer <API_TOKEN>`. In the zero-setup
// shape (no API_TOKEN configured) callers on this machine — loopback, not
// forwarded by a proxy — are trusted, so `curl -X POST -H 'content-type:
// application/json' localhost:3000/...` works. That trust is only reached after
// functions/guard.ts: a page in a browser (another origin, a rebinding host, a
// form or beacon) never gets here with a mutation.
// With READ_TOKEN set, reads need READ_TOKEN or API_TOKEN too (as a bearer token,
// or `?access_token=` for EventSource, which can't send headers).
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppDeps } from './deps.ts';
import { errorResponse } from './errors.ts';
import { SAFE_METHODS } from './guard.ts';

export function requireToken(deps: AppDeps): MiddlewareHandler {
  const writeToken = Buffer.from(deps.apiToken);
  const readToken = deps.config.READ_TOKEN ? Buffer.from(deps.config.READ_TOKEN) : null;
  return async (c, next) => {
    const safe = SAFE_METHODS.has(c.req.method);
    if (safe && !readToken) return next(); // reads are open: nothing to look at
    const given = presentedToken(c);
    const trustedLocal = !deps.tokenConfigured && isLocalCaller(c);
    if (safe) {
      if (!readToken || trustedLocal || matches(given, readToken) || matches(given, writeToken)) return next();
      return errorResponse(
        c,
        401,
        'unauthorized',
        'reading needs "Authorization: Bearer <READ_TOKEN>" (or ?access_token=… for event streams)',
      );
    }
    if (matches(given, writeToken) || trustedLocal) return next();
    return errorResponse(
      c,
      401,
      'unauthorized',
      'this request needs "Authorization: Bearer <API_TOKEN>" (the token is printed at start-up and kept in .data/api-token)',
    );
  };
}

function presentedToken(c: Context): Buffer {
  const header = c.req.header('authorization');
  if (header) return Buffer.from(header.replace(/^Bearer\s+/i, ''));
  if (SAFE_METHODS.has(c.req.method)) return Buffer.from(c.req.query('access_token') ?? '');
  return Buffer.alloc(0);
}

function matches(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isLocalCaller(c: Context): boolean {
  if (c.req.header('x-forwarded-for') || c.req.header('forwarded') || c.req.header('x-real-ip')) return false;
  try {
    const address = getConnInfo(c).remote.address ?? '';
    return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  } catch {
    return false; // not a Node socket (e.g. app.request in tests): trust nothing
  }
}
