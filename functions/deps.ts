// What the HTTP handlers get: a pool, the config and the event hub. No Docker socket.
import type { Config } from '../lib/config.ts';
import type { Db } from '../lib/db.ts';
import type { EventHub } from '../lib/events.ts';
import type { ViewCache } from '../lib/jobs/view-cache.ts';
import type { Logger } from '../lib/log.ts';
import type { HealthAnswers } from './health.ts';
import type { Metrics } from '../lib/metrics.ts';

export interface AppDeps {
  db: Db;
  config: Config;
  events: EventHub;
  /** The bearer token mutating requests need (generated when not configured). */
  apiToken: string;
  /** Whether API_TOKEN was configured explicitly (if not, loopback callers are trusted). */
  tokenConfigured: boolean;
  runtimeDescription: string;
  /** The play-test browser, as /health/ready reports it (default: none in this process). */
  browserDescription?: string;
  /** Health snapshot cache and database timeout (lib/health.ts defaults: 1 s, 2 s). */
  health?: { ttlMs?: number; timeoutMs?: number };
  /** The health answers to share with the Node-level fast path (functions/health-fast-path.ts); made from `health` when absent. */
  healthAnswers?: HealthAnswers;
  startedAt: Date;
  now?: () => Date;
  /** Structured log (default: silent). */
  logger?: Logger;
  /** The job and list views kept in memory (lib/jobs/view-cache.ts; default: none, every read queries). */
  viewCache?: ViewCache;
  /** Prometheus registry for GET /metrics (default: none, 404). */
  metrics?: Metrics;
}
