// The whole HTTP surface, composed from one route module per resource, behind
// the request log, host and cross-site guards, security headers and abuse limits.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { serveStatic } from '@hono/node-server/serve-static';
import path from 'node:path';
import { ROOT_DIR } from '../lib/config.ts';
import { isInvalidInputError } from '../lib/db.ts';
import { printable, silentLogger } from '../lib/log.ts';
import { redact } from '../lib/redact.ts';
import { requireToken } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { HttpError, errorResponse } from './errors.ts';
import { archiveHostMiddleware, createArchiveRoutes } from './archive.ts';
import { createDocsRoutes } from './docs.ts';
import { createEventRoutes } from './events.ts';
import { createGameRoutes } from './games.ts';
import { hostGuard, mutationGuard } from './guard.ts';
import { createHealthAnswers, createHealthRoutes } from './health.ts';
import { createHostPolicy } from './hosts.ts';
import { createJobActionRoutes } from './job-actions.ts';
import { createJobRoutes } from './jobs.ts';
import { createLessonRoutes } from './lessons.ts';
import { closeUnreadBodies, mutationRateLimit, streamingBodyLimit } from './limits.ts';
import { createMetricsRoutes } from './metrics.ts';
import { createOpenApiRoutes } from './openapi.ts';
import { createPageRoutes, createSlotPageRoutes } from './pages.ts';
import { createPlayRoutes, slotHostMiddleware } from './play.ts';
import { createProviderRoutes } from './providers.ts';
import { requestLog, requestLogger } from './request-log.ts';
import { appSecurityHeaders } from './security-headers.ts';
import { createStatsRoutes } from './stats.ts';

/** Postgres errors beyond isInvalidInputError's that mean the caller sent something unstorable (NUL, bad encoding). */
const CLIENT_PG_ERRORS = new Set(['22021', '22P05']);
/** Game files (slots, the archive) carry their own CSP and framing rule, not the app's. */
const GAME_PATHS = /^\/(play|archive)\//;

export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? silentLogger;
  const policy = createHostPolicy(deps.config);
  const app = new Hono();
  app.use('*', requestLog(logger, deps.metrics ?? null)); // and the request id
  app.use('*', closeUnreadBodies());
  app.use(
    '*',
    hostGuard(policy, { slot: slotHostMiddleware(deps, policy), archive: archiveHostMiddleware(deps, policy) }),
  );
  const securityHeaders = appSecurityHeaders(deps.config);
  app.use('*', (c, next) => (GAME_PATHS.test(c.req.path) ? next() : securityHeaders(c, next)));
  if (policy.corsOrigins.length)
    app.use(
      '/api/*',
      cors({ origin: policy.corsOrigins, allowHeaders: ['content-type', 'authorization'], maxAge: 600 }),
    );
  app.use('*', mutationGuard(policy));
  app.use(
    '/api/*',
    mutationRateLimit({ perMinute: deps.config.RATE_LIMIT_PER_MINUTE, trustProxy: deps.config.TRUST_PROXY }),
  );
  app.use('/api/*', streamingBodyLimit());
  app.use('/api/*', requireToken(deps));
  app.use('/metrics', requireToken(deps));
  app.route('/api', createJobRoutes(deps));
  app.route('/api/jobs', createJobActionRoutes(deps));
  app.route('/api/games', createGameRoutes(deps));
  app.route('/api/stats', createStatsRoutes(deps));
  app.route('/api/providers', createProviderRoutes(deps));
  app.route('/api/lessons', createLessonRoutes(deps));
  app.route('/api/events', createEventRoutes(deps));
  app.route('/health', createHealthRoutes(deps.healthAnswers ?? createHealthAnswers(deps)));
  app.route('/metrics', createMetricsRoutes(deps));
  app.route('/openapi.json', createOpenApiRoutes());
  app.route('/docs', createDocsRoutes());
  app.route('/play', createPlayRoutes(deps));
  app.route('/archive', createArchiveRoutes(deps));
  app.route('/jobs', createPageRoutes());
  app.route('/slots', createSlotPageRoutes(deps));
  app.use('/*', serveStatic({ root: path.join(ROOT_DIR, 'gallery') }));

  app.notFound((c) =>
    errorResponse(
      c,
      404,
      'not_found',
      `no route for ${printable(c.req.method, 20)} ${printable(new URL(c.req.url).pathname, 200)}`,
    ),
  );
  app.onError((err, c) => {
    if (err instanceof HttpError) return errorResponse(c, err.status, err.code, err.message, err.details);
    if (err instanceof HTTPException && err.status < 500)
      return errorResponse(c, err.status, 'invalid_request', err.message || 'the request was refused');
    const log = requestLogger(c, logger);
    if (c.req.raw.signal.aborted || isAbort(err)) {
      // The client went away mid-body: nobody reads this answer, and it is not our failure.
      log.info({ reason: printable(String((err as Error).message)) }, 'request aborted by the client');
      return errorResponse(c, 400, 'request_aborted', 'the request was aborted before its body arrived');
    }
    const code = (err as { code?: string }).code;
    if (isInvalidInputError(err) || (code && CLIENT_PG_ERRORS.has(code)))
      return errorResponse(c, 400, 'invalid_request', err.message);
    log.error({ err: redact(String(err.stack ?? err), [deps.apiToken]) }, 'unhandled error');
    return errorResponse(c, 500, 'internal_error', 'something went wrong on our side; the error was logged');
  });
  return app;
}

function isAbort(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  return (
    e?.name === 'AbortError' ||
    e?.code === 'ECONNRESET' ||
    e?.code === 'ABORT_ERR' ||
    e?.cause?.code === 'ECONNRESET' ||
    /aborted|terminated/i.test(e?.message ?? '')
  );
}
