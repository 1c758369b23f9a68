// GET /health (liveness) and GET /health/ready (readiness): database, live
// runner processes, queue depth, runtime, uptime; readiness adds the play-test
// browser and when the figures were read. Both answer from one cached snapshot
// (lib/health.ts: at most one query per second, whatever the request rate) and
// answer 503 when the database does not, so a load balancer stops routing here.
import { Hono } from 'hono';
import { createHealthMonitor, type HealthSnapshot } from '../lib/health.ts';
import type { AppDeps } from './deps.ts';

export function createHealthRoutes(deps: AppDeps) {
  const app = new Hono();
  const monitor = createHealthMonitor(deps.db, deps.health);
  const uptimeSeconds = () => Math.round((Date.now() - deps.startedAt.getTime()) / 1000);

  const view = (s: HealthSnapshot) =>
    s.db === 'ok'
      ? {
          // degraded: no runner alive, none that deploys (SERVE_GAMES=1), or a deployed game's slot is not served
          // (lib/slot-reconcile.ts).
          status: s.liveRunners > 0 && s.gamesRunners > 0 && s.notServed.length === 0 ? 'ok' : 'degraded',
          db: 'ok',
          runtime: deps.runtimeDescription,
          workers: { live: s.liveRunners, servingGames: s.gamesRunners },
          queueDepth: s.queueDepth,
          slots: { notServed: s.notServed },
          uptimeSeconds: uptimeSeconds(),
        }
      : {
          status: 'error',
          db: 'unreachable',
          error: s.error,
          runtime: deps.runtimeDescription,
          uptimeSeconds: uptimeSeconds(),
        };

  app.get('/', async (c) => {
    const s = await monitor.snapshot();
    return c.json(view(s), s.db === 'ok' ? 200 : 503);
  });

  app.get('/ready', async (c) => {
    const s = await monitor.snapshot();
    return c.json(
      { ...view(s), browser: deps.browserDescription ?? 'none in this process', checkedAt: s.checkedAt },
      s.db === 'ok' ? 200 : 503,
    );
  });
  return app;
}
