// GET /health (liveness) and GET /health/ready (readiness): database, live
// runner processes, queue depth, runtime, uptime; readiness adds the play-test
// browser and when the figures were read. Both answer from one cached snapshot
// (lib/health.ts: at most one query per second, whatever the request rate) and
// answer 503 when the database does not, so a load balancer stops routing here.
// The answers' JSON is written once per snapshot and uptime second and shared by
// these routes and the Node-level fast path (functions/health-fast-path.ts).
import { Hono } from 'hono';
import { createHealthMonitor, type HealthSnapshot } from '../lib/health.ts';
import type { AppDeps } from './deps.ts';

export interface HealthAnswer {
  status: 200 | 503;
  /** The JSON body, already serialised. */
  body: string;
}

export interface HealthAnswers {
  live(): Promise<HealthAnswer>;
  ready(): Promise<HealthAnswer>;
}

type HealthDeps = Pick<AppDeps, 'db' | 'health' | 'startedAt' | 'runtimeDescription' | 'browserDescription'>;

export function createHealthAnswers(deps: HealthDeps): HealthAnswers {
  const monitor = createHealthMonitor(deps.db, deps.health);
  const uptimeSeconds = () => Math.round((Date.now() - deps.startedAt.getTime()) / 1000);

  const view = (s: HealthSnapshot, uptime: number) =>
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
          uptimeSeconds: uptime,
        }
      : {
          status: 'error',
          db: 'unreachable',
          error: s.error,
          runtime: deps.runtimeDescription,
          uptimeSeconds: uptime,
        };

  /** One answer per (snapshot, uptime second): a flood of checks serialises it once. */
  const memo = (build: (s: HealthSnapshot, uptime: number) => unknown) => {
    let last: { snapshot: HealthSnapshot; uptime: number; answer: HealthAnswer } | null = null;
    return async (): Promise<HealthAnswer> => {
      const snapshot = await monitor.snapshot();
      const uptime = uptimeSeconds();
      if (last?.snapshot !== snapshot || last.uptime !== uptime) {
        const answer: HealthAnswer = {
          status: snapshot.db === 'ok' ? 200 : 503,
          body: JSON.stringify(build(snapshot, uptime)),
        };
        last = { snapshot, uptime, answer };
      }
      return last.answer;
    };
  };

  return {
    live: memo(view),
    ready: memo((s, uptime) => ({
      ...view(s, uptime),
      browser: deps.browserDescription ?? 'none in this process',
      checkedAt: s.checkedAt,
    })),
  };
}

export function createHealthRoutes(answers: HealthAnswers) {
  const app = new Hono();
  app.get('/', async (c) => {
    const a = await answers.live();
    return c.body(a.body, a.status, { 'content-type': 'application/json' });
  });
  app.get('/ready', async (c) => {
    const a = await answers.ready();
    return c.body(a.body, a.status, { 'content-type': 'application/json' });
  });
  return app;
}
