// One structured log line per request (pino, request id, route, status, time) and
// the HTTP duration metric. Paths are logged without their query (which may carry
// ?access_token=) and with control characters escaped.
// Per request this is on every read's path, so it does only what the line needs:
// the request's child logger is made when something asks for it (requestLogger),
// the request id goes into the line as a field (the same JSON as a child's binding),
// a line is only built when its level is on (health and metrics: debug), it skips pino's
// by-name redaction (requestLineLogger), and the histogram's child for a method/route/status
// is made once (prom-client still checks and hashes its labels on each observe, ~1.5 µs).
// It also gives each request its id (X-Request-Id: the caller's when valid, as hono/request-id's rule,
// else a new UUID), answered in the response's header (functions/node-response.ts) and in the log line.
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { printable, type Logger } from '../lib/log.ts';
import type { Metrics } from '../lib/metrics.ts';
import { addMissing, setUnderRoute } from './node-response.ts';

const QUIET = new Set(['/health', '/metrics']);
/** hono/request-id's rule for a caller's X-Request-Id. */
export const REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The request's id: the caller's X-Request-Id when it is valid, else a new UUID. */
export function requestIdOf(given: string | undefined): string {
  return given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The matched route pattern (bounded cardinality for metrics), or a bucket for unmatched paths. */
export function routeOf(c: Context): string {
  const route = c.req.routePath;
  return !route || route === '/*' || route === '*' ? 'unmatched' : route;
}

/** Observes one request's duration; the series per method/route/status is resolved once. */
export function durationObserver(
  metrics: Metrics | null,
): (method: string, route: string, status: number, s: number) => void {
  if (!metrics) return () => {};
  const series = new Map<string, { observe(seconds: number): void }>();
  return (method, route, status, seconds) => {
    const key = `${method} ${status} ${route}`;
    let s = series.get(key);
    if (!s) {
      s = metrics.httpDuration.labels({ method, route, status: String(status) });
      series.set(key, s);
    }
    s.observe(seconds);
  };
}

/**
 * The logger request lines go to: `logger` without its redaction by field name (lib/log.ts), which costs
 * three times the rest of a line and can't match: a request line's fields are the six logRequest writes,
 * none of them a secret-bearing name. Secret values are still replaced (the root's streamWrite hook).
 */
export function requestLineLogger(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: [] } });
}

export function requestLog(logger: Logger, metrics: Metrics | null): MiddlewareHandler {
  const observe = durationObserver(metrics);
  const lines = requestLineLogger(logger);
  return async (c, next) => {
    const started = performance.now();
    const reqId = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId' as never, reqId as never);
    const idHeader = [['X-Request-Id', reqId]] as const;
    const onNode = setUnderRoute(c, idHeader);
    try {
      await next();
    } finally {
      if (!onNode) addMissing(c, idHeader);
      const seconds = (performance.now() - started) / 1000;
      const status = c.res.status;
      // The route the response came from: a matched handler, or the middleware that answered.
      const route = routeOf(c);
      observe(c.req.method, route, status, seconds);
      logRequest(lines, {
        reqId,
        method: c.req.method,
        path: urlPath(c.req.url),
        route,
        status,
        seconds,
      });
    }
  };
}

/** The request's log line: info, error for a 5xx, debug for health checks and metrics scrapes. */
export function logRequest(
  logger: Logger,
  r: { reqId: string | undefined; method: string; path: string; route: string; status: number; seconds: number },
): void {
  const quiet = r.status < 500 && QUIET.has(r.path);
  const level = r.status >= 500 ? 'error' : quiet ? 'debug' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const fields = {
    reqId: r.reqId,
    method: printable(r.method, 20),
    path: printable(r.path),
    route: r.route,
    status: r.status,
    ms: Math.round(r.seconds * 1000),
  };
  logger[level](fields, level === 'error' ? 'request failed' : 'request');
}

/**
 * The path of an absolute URL as `new URL(url).pathname` gives it, without parsing the URL: the
 * Node adapter hands Hono URLs that are already normalised (it re-parses any with dot segments or
 * unusual characters), so the path is the text between the authority and the query or fragment.
 */
export function urlPath(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  let end = url.length;
  for (const mark of ['?', '#']) {
    const at = url.indexOf(mark, start);
    if (at >= 0 && at < end) end = at;
  }
  return url.slice(start, end);
}

/** The request's logger (with its request id): a child of `logger`, made when first asked for. */
export function requestLogger(c: Context, logger: Logger): Logger {
  let log = c.get('log' as never) as Logger | undefined;
  if (!log) {
    log = logger.child({ reqId: c.get('requestId' as never) as string | undefined });
    c.set('log' as never, log as never);
  }
  return log;
}
