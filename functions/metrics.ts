// GET /metrics: Prometheus text format (lib/metrics.ts). Needs READ_TOKEN when one is set.
import { Hono } from 'hono';
import type { AppDeps } from './deps.ts';
import { HttpError } from './errors.ts';

export function createMetricsRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    if (!deps.metrics) throw new HttpError(404, 'not_found', 'metrics are not enabled in this process');
    const text = await deps.metrics.registry.metrics();
    return c.body(text, 200, { 'content-type': deps.metrics.registry.contentType });
  });
}
