// One structured log line per request (pino, request id, route, status, time) and
// the HTTP duration metric. Paths are logged without their query (which may carry
// ?access_token=) and with control characters escaped.
import type { Context, MiddlewareHandler } from 'hono';
import { printable, type Logger } from '../lib/log.ts';
import type { Metrics } from '../lib/metrics.ts';

const QUIET = new Set(['/health', '/metrics']);

/** The matched route pattern (bounded cardinality for metrics), or a bucket for unmatched paths. */
export function routeOf(c: Context): string {
  const route = c.req.routePath;
  return !route || route === '/*' || route === '*' ? 'unmatched' : route;
}

export function requestLog(logger: Logger, metrics: Metrics | null): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const reqId = c.get('requestId' as never) as string | undefined;
    const log = logger.child({ reqId });
    c.set('log' as never, log as never);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const status = c.res.status;
      // The route the response came from: a matched handler, or the middleware that answered.
      const route = status === 404 && routeOf(c) === 'unmatched' ? 'unmatched' : routeOf(c);
      metrics?.httpDuration.observe({ method: c.req.method, route, status: String(status) }, seconds);
      const path = printable(new URL(c.req.url).pathname);
      const fields = { method: printable(c.req.method, 20), path, route, status, ms: Math.round(seconds * 1000) };
      if (status >= 500) log.error(fields, 'request failed');
      else if (QUIET.has(path)) log.debug(fields, 'request');
      else log.info(fields, 'request');
    }
  };
}

/** The request's logger (with its request id), set by requestLog. */
export function requestLogger(c: Context, fallback: Logger): Logger {
  return (c.get('log' as never) as Logger | undefined) ?? fallback;
}
