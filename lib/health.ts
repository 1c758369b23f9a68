// The service's health as one cached snapshot: the database, live runner
// processes and queue depth read in ONE query, at most once per `ttlMs`, with
// concurrent callers sharing the query in flight. A flood of health checks
// (Traefik, Docker, monitors) therefore costs at most one query per TTL, and no
// timer runs when nobody asks. A database that does not answer within
// `timeoutMs` is reported as unreachable (and that answer is cached too).
import type { Queryable } from './db.ts';
import { LIVE_GAMES_RUNNERS_SQL, LIVE_RUNNERS_SQL } from './presence.ts';
import { QUEUE_DEPTH_SQL } from './queue/queries.ts';
import { withTimeout } from './timeout.ts';
import { SLOTS_NOT_SERVED_SQL } from './slots.ts';

export type HealthSnapshot =
  | {
      db: 'ok';
      liveRunners: number;
      /** Live runners with SERVE_GAMES=1: the only ones that deploy (docs/deploy.md, "Scaling out"). */
      gamesRunners: number;
      queueDepth: number;
      /** Assigned slots the reconciler last found not serving their job (lib/slot-reconcile.ts). */
      notServed: Array<{ slot: number; jobId: number; problem: string | null }>;
      checkedAt: Date;
    }
  | { db: 'unreachable'; error: string; checkedAt: Date };

export interface HealthMonitor {
  /** The cached snapshot, refreshed first when older than the TTL. */
  snapshot(): Promise<HealthSnapshot>;
}

export const HEALTH_TTL_MS = 1000;
export const HEALTH_DB_TIMEOUT_MS = 2000;

export function createHealthMonitor(
  db: Queryable,
  opts: { ttlMs?: number; timeoutMs?: number; now?: () => number } = {},
): HealthMonitor {
  const ttlMs = opts.ttlMs ?? HEALTH_TTL_MS;
  const timeoutMs = opts.timeoutMs ?? HEALTH_DB_TIMEOUT_MS;
  const now = opts.now ?? Date.now;
  let cached: { at: number; value: HealthSnapshot } | null = null;
  let inflight: Promise<HealthSnapshot> | null = null;

  const refresh = async (): Promise<HealthSnapshot> => {
    const at = now();
    let value: HealthSnapshot;
    try {
      const { rows } = await withTimeout(
        db.query<{
          runners: number;
          games_runners: number;
          depth: number;
          not_served: Array<{ slot: number; jobId: number; problem: string | null }>;
        }>(
          `select (${LIVE_RUNNERS_SQL}) as runners, (${LIVE_GAMES_RUNNERS_SQL}) as games_runners,
                  (${QUEUE_DEPTH_SQL}) as depth, (${SLOTS_NOT_SERVED_SQL}) as not_served`,
        ),
        timeoutMs,
        'database',
      );
      value = {
        db: 'ok',
        liveRunners: rows[0]!.runners,
        gamesRunners: rows[0]!.games_runners,
        queueDepth: rows[0]!.depth,
        notServed: rows[0]!.not_served,
        checkedAt: new Date(at),
      };
    } catch (e) {
      value = { db: 'unreachable', error: (e as Error).message, checkedAt: new Date(at) };
    }
    cached = { at, value };
    return value;
  };

  return {
    snapshot() {
      if (cached && now() - cached.at < ttlMs) return Promise.resolve(cached.value);
      inflight ??= refresh().finally(() => {
        inflight = null;
      });
      return inflight;
    },
  };
}
