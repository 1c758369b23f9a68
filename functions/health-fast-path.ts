// GET /health and GET /health/ready answered at the Node level, before the Hono
// adapter builds a fetch Request and Response for them: health checks arrive
// every few seconds from Traefik, Docker and monitors, and the adapter and the
// middleware chain cost more than the cached answer itself (about 60% of a
// health check's CPU). The fast path keeps what applies to these two routes:
// - host guard: only hosts the app serves as itself; anything else (an unknown
//   host's 421, a game's host serving its own /health file) goes through Hono;
// - the same security headers, taken once from the app's secureHeaders middleware;
// - a request id (a valid X-Request-Id is kept, as hono/request-id does);
// - the request duration metric, and the request's log line at debug level
//   (the request log logs health checks at debug too).
// Health is unauthenticated and read-only (no token, CORS, rate limit or body
// limit applies to it); a request with a body, a query string, another method
// or any other path is left to Hono.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { silentLogger, type Logger } from '../lib/log.ts';
import type { AppDeps } from './deps.ts';
import type { HealthAnswers } from './health.ts';
import { createHostPolicy, type HostPolicy } from './hosts.ts';
import { durationObserver, logRequest } from './request-log.ts';
import { appSecurityHeaders } from './security-headers.ts';

/** Answers the request and returns true, or returns false to leave it to the app. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const ROUTES = { '/health': 'live', '/health/ready': 'ready' } as const;
/** hono/request-id's rule for a caller's X-Request-Id. */
const REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The headers a middleware (the app's secureHeaders) adds to a plain 200, as [name, value] pairs. */
export async function headersAddedBy(middleware: MiddlewareHandler): Promise<[string, string][]> {
  const probe = new Hono();
  probe.use('*', middleware);
  probe.get('/', (c) => c.body(null, 200));
  const res = await probe.request('http://localhost/');
  return [...res.headers].filter(([name]) => name !== 'content-type' && name !== 'content-length');
}

/** The fast path for the app these deps build (functions/app.ts), sharing its health answers. */
export async function healthFastPath(deps: AppDeps, answers: HealthAnswers): Promise<FastPath> {
  return createHealthFastPath({
    answers,
    policy: createHostPolicy(deps.config),
    securityHeaders: await headersAddedBy(appSecurityHeaders(deps.config)),
    observe: durationObserver(deps.metrics ?? null),
    logger: deps.logger ?? silentLogger,
  });
}

export function createHealthFastPath(opts: {
  answers: HealthAnswers;
  policy: HostPolicy;
  /** What the app's security headers middleware adds (headersAddedBy). */
  securityHeaders: [string, string][];
  observe: (method: string, route: string, status: number, seconds: number) => void;
  logger: Logger;
}): FastPath {
  const fixed = opts.securityHeaders.flat();
  return (req, res) => {
    const route = req.method === 'GET' ? ROUTES[req.url as keyof typeof ROUTES] : undefined;
    if (!route) return false;
    const length = req.headers['content-length'];
    if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) return false;
    if (opts.policy.classify(req.headers.host).kind !== 'app') return false;
    const started = performance.now();
    const given = req.headers['x-request-id'];
    const reqId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    const finished = (status: number) => {
      const seconds = (performance.now() - started) / 1000;
      const path = req.url as keyof typeof ROUTES;
      opts.observe('GET', path, status, seconds);
      logRequest(opts.logger, { reqId, method: 'GET', path, route: path, status, seconds });
    };
    opts.answers[route]().then(
      (a) => {
        res.writeHead(a.status, [
          'x-request-id',
          reqId,
          'content-type',
          'application/json',
          'content-length',
          String(Buffer.byteLength(a.body)),
          ...fixed,
        ]);
        res.end(a.body);
        finished(a.status);
      },
      (e: unknown) => {
        // Not expected (the snapshot turns a database failure into a 503): answered like the app's onError.
        opts.logger.child({ reqId }).error({ err: String((e as Error)?.stack ?? e) }, 'unhandled error');
        const body = JSON.stringify({
          error: {
            code: 'internal_error',
            message: 'something went wrong on our side; the error was logged',
            details: null,
          },
        });
        res.writeHead(500, ['x-request-id', reqId, 'content-type', 'application/json', ...fixed]);
        res.end(body);
        finished(500);
      },
    );
    return true;
  };
}
