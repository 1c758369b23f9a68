// GET /api/stats: counts, durations and usage for the gallery and operators.
import { Hono } from 'hono';
import { readStats } from '../lib/games.ts';
import type { AppDeps } from './deps.ts';

export function createStatsRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => c.json(await readStats(deps.db)));
}
