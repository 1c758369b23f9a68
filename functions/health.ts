// GET /health: database, runtime, live runner processes, queue depth, slots not served, uptime.
// 503 when the database does not answer, so a load balancer stops routing here; `degraded`
// when no runner is alive or a deployed game's slot is not served (lib/slot-reconcile.ts).
import { Hono } from 'hono';
import { liveRunnerCount } from '../lib/presence.ts';
import { queueDepth } from '../lib/queue/queries.ts';
import { slotsNotServed } from '../lib/slots.ts';
import { withTimeout } from '../lib/timeout.ts';
import type { AppDeps } from './deps.ts';

const DB_TIMEOUT_MS = 2000;

export function createHealthRoutes(deps: AppDeps) {
  const app = new Hono();
  app.get('/', async (c) => {
    const uptimeSeconds = Math.round((Date.now() - deps.startedAt.getTime()) / 1000);
    try {
      const [liveWorkers, depth, notServed] = await withTimeout(
        Promise.all([liveRunnerCount(deps.db), queueDepth(deps.db), slotsNotServed(deps.db)]),
        DB_TIMEOUT_MS,
        'database',
      );
      return c.json({
        status: liveWorkers > 0 && notServed.length === 0 ? 'ok' : 'degraded',
        db: 'ok',
        runtime: deps.runtimeDescription,
        workers: { live: liveWorkers },
        queueDepth: depth,
        slots: { notServed },
        uptimeSeconds,
      });
    } catch (e) {
      return c.json(
        {
          status: 'error',
          db: 'unreachable',
          error: (e as Error).message,
          runtime: deps.runtimeDescription,
          uptimeSeconds,
        },
        503,
      );
    }
  });
  return app;
}
