// The building blocks the route descriptions of /openapi.json share: zod schema to
// JSON Schema, the error body every refusal has, the `id` path parameter, a 200 with
// the refusals, query parameters from a zod object, the SSE stream's description.
import { z } from 'zod';

export const schema = (s: z.ZodType) =>
  z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

export const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

export const errors = {
  '4XX': { description: 'refused: `{"error": {"code", "message", "details"}}`', content: json(ErrorBody) },
};

export function json(s: object) {
  return { 'application/json': { schema: s } };
}

export function queryParams(s: z.ZodObject) {
  const js = schema(s) as { properties?: Record<string, object> };
  return Object.entries(js.properties ?? {}).map(([name, p]) => ({ name, in: 'query', required: false, schema: p }));
}

export const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
export const ok = (description: string, content?: object) => ({
  200: { description, ...(content ? { content } : {}) },
  ...errors,
});
export const anyJson = json({ type: 'object' });
/** Each SSE message: `event:` an EventKind (or a StreamOnlyKind), `id:` the event's id, `data:` the event as JSON. */
export const sse = {
  'text/event-stream': {
    schema: {
      type: 'string',
      description:
        'Server-Sent Events. Each message: `event:` one of components.schemas.EventKind (or StreamOnlyKind: `end` closes a followed job, `reconnected` is never sent), `id:` the event id (send it back as Last-Event-ID), `data:` {id, jobId, at, kind, phase, message, data} as JSON.',
    },
  },
};

export const html = (description: string) => ok(description, { 'text/html': { schema: { type: 'string' } } });
export const filePath = { name: 'path', in: 'path', required: true, schema: { type: 'string' } };
/** A game slot's number, as /play/{slot} and /slots/{slot} take it. */
export const slot = { name: 'slot', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } };
