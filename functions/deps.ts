// What the HTTP handlers get: a pool, the config and the event hub. No Docker socket.
import type { Config } from '../lib/config.ts';
import type { Db } from '../lib/db.ts';
import type { EventHub } from '../lib/events.ts';
import type { Logger } from '../lib/log.ts';
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
  startedAt: Date;
  now?: () => Date;
  /** Structured log (default: silent). */
  logger?: Logger;
  /** Prometheus registry for GET /metrics (default: none, 404). */
  metrics?: Metrics;
}
