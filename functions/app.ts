// The whole HTTP surface, composed from one route module per resource.
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import path from 'node:path';
import { ROOT_DIR } from '../lib/config.ts';
import { isInvalidInputError } from '../lib/db.ts';
import { redact } from '../lib/redact.ts';
import { requireToken } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { HttpError, errorResponse } from './errors.ts';
import { archiveHostMiddleware, createArchiveRoutes } from './archive.ts';
import { createEventRoutes } from './events.ts';
import { createGameRoutes } from './games.ts';
import { createHealthRoutes } from './health.ts';
import { createJobActionRoutes } from './job-actions.ts';
import { createJobRoutes } from './jobs.ts';
import { createPageRoutes } from './pages.ts';
import { createPlayRoutes, slotHostMiddleware } from './play.ts';
import { createStatsRoutes } from './stats.ts';

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.use('*', slotHostMiddleware(deps));
  app.use('*', archiveHostMiddleware(deps));
  app.use('/api/*', requireToken(deps));
  app.route('/api', createJobRoutes(deps));
  app.route('/api/jobs', createJobActionRoutes(deps));
  app.route('/api/games', createGameRoutes(deps));
  app.route('/api/stats', createStatsRoutes(deps));
  app.route('/api/events', createEventRoutes(deps));
  app.route('/health', createHealthRoutes(deps));
  app.route('/play', createPlayRoutes(deps));
  app.route('/archive', createArchiveRoutes(deps));
  app.route('/jobs', createPageRoutes());
  app.use('/*', serveStatic({ root: path.join(ROOT_DIR, 'gallery') }));

  app.notFound((c) =>
    errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  );
  app.onError((err, c) => {
    if (err instanceof HttpError) return errorResponse(c, err.status, err.code, err.message, err.details);
    if (isInvalidInputError(err)) return errorResponse(c, 400, 'invalid_request', err.message);
    console.error(`[api] ${c.req.method} ${c.req.path}: ${redact(String(err.stack ?? err), [deps.apiToken])}`);
    return errorResponse(c, 500, 'internal_error', 'something went wrong on our side; the error was logged');
  });
  return app;
}
