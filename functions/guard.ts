// Cross-site and host safety, before any route runs:
// - every request must name a host the app serves (else 421: DNS rebinding, misrouting);
// - a mutation must be `application/json` (415), which no form, beacon or no-cors fetch can
//   send without a CORS preflight we never grant to foreign pages, and must not come from a
//   foreign page (`Origin` / `Sec-Fetch-Site`, 403). So the loopback trust of the zero-setup
//   shape (functions/auth.ts) can never be borrowed by a page the operator happens to visit.
import type { Context, MiddlewareHandler } from 'hono';
import { errorResponse } from './errors.ts';
import type { HostPolicy } from './hosts.ts';

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The Host the request names (the URL's when there is no header: app.request() in-process). */
export function requestHost(c: Context): string {
  return c.req.header('host') ?? new URL(c.req.url).host;
}

/**
 * Refuses hosts the app does not serve (421). A game's host (a slot's, an archived game's) goes to the
 * middleware given for it, when there is one, instead of the rest of the chain: one look at the Host per request.
 */
export function hostGuard(
  policy: HostPolicy,
  games: { slot?: MiddlewareHandler; archive?: MiddlewareHandler } = {},
): MiddlewareHandler {
  return async (c, next) => {
    const host = requestHost(c);
    const { kind } = policy.classify(host);
    if (kind === 'app') return next();
    if (kind !== 'unknown') return (games[kind] ?? next)(c, next);
    return errorResponse(
      c,
      421,
      'unknown_host',
      `this server does not serve the host "${String(host ?? '').slice(0, 100)}"; add it to ALLOWED_HOSTS (or set DOMAIN / PUBLIC_URL) if it should`,
    );
  };
}

/** The media type of a Content-Type header, without parameters, lower-cased. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function mutationGuard(policy: HostPolicy): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    const host = requestHost(c);
    if (origin !== undefined && !policy.isOwnOrigin(origin, host))
      return errorResponse(
        c,
        403,
        'forbidden_origin',
        `requests from the page at "${origin.slice(0, 100)}" may not change anything here; list that origin in CORS_ORIGINS if it should`,
      );
    const site = c.req.header('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none' && !(origin && policy.corsOrigins.includes(origin)))
      return errorResponse(c, 403, 'forbidden_origin', `cross-site requests (${site}) may not change anything here`);
    const type = mediaType(c.req.header('content-type'));
    // DELETE and friends without a body carry no content type; a browser can't send them cross-origin unpreflighted.
    const length = c.req.header('content-length');
    const hasBody = c.req.method === 'POST' || (length && length !== '0') || c.req.header('transfer-encoding');
    if (hasBody && type !== 'application/json')
      return errorResponse(
        c,
        415,
        'unsupported_media_type',
        `send the body as JSON with "content-type: application/json" (got "${type.slice(0, 100) || 'none'}")`,
      );
    return next();
  };
}
