// Mutating requests need `Authorization: Bearer <API_TOKEN>`. In the zero-setup
// shape (no API_TOKEN configured) callers on this machine — loopback, not
// forwarded by a proxy — are trusted, so `curl -X POST localhost:3000/...` works.
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppDeps } from './deps.ts';
import { errorResponse } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireToken(deps: AppDeps): MiddlewareHandler {
  const expected = Buffer.from(deps.apiToken);
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const header = c.req.header('authorization') ?? '';
    const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    if (!deps.tokenConfigured && isLocalCaller(c)) return next();
    return errorResponse(
      c,
      401,
      'unauthorized',
      'this request needs "Authorization: Bearer <API_TOKEN>" (the token is printed at start-up and kept in .data/api-token)',
    );
  };
}

function isLocalCaller(c: Parameters<MiddlewareHandler>[0]): boolean {
  if (c.req.header('x-forwarded-for') || c.req.header('forwarded') || c.req.header('x-real-ip')) return false;
  try {
    const address = getConnInfo(c).remote.address ?? '';
    return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  } catch {
    return false; // not a Node socket (e.g. app.request in tests): trust nothing
  }
}
