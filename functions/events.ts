// GET /api/events: every job's events as Server-Sent Events (the live gallery).
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from './deps.ts';
import { streamJobEvents } from './sse.ts';
import { query } from './validate.ts';

export const EventsQuery = z.object({ after: z.coerce.number().int().min(0).optional() });

export function createEventRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    const q = query(c, EventsQuery);
    const header = Number(c.req.header('last-event-id'));
    let after = Number.isSafeInteger(header) && header > 0 ? header : q.after;
    // A new client starts from now, not from the beginning of history.
    if (after === undefined) {
      const { rows } = await deps.db.query<{ id: number }>(
        'select coalesce(max(id), 0)::bigint id from gamepocgen.job_events',
      );
      after = rows[0]!.id;
    }
    return streamJobEvents(c, deps, { jobId: null, afterId: after });
  });
}
