// GET /openapi.json: an OpenAPI 3.1 description of every route, its bodies and
// query strings generated from the same zod schemas the handlers validate with
// (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses). test/openapi.test.ts
// checks it against the 3.1 schema and against the routes the app really has.
import { Hono } from 'hono';
import { z } from 'zod';
import { GenerateRequest } from '../lib/generate.ts';
import { EventKind, StreamOnlyKind } from '../lib/jobs/lifecycle.ts';
import { LessonUpdate, LessonView, LessonsQuery } from '../lib/lessons/schema.ts';
import { FeedbackRequest } from '../lib/studio/feedback.ts';
import { EventsQuery } from './events.ts';
import { ListQuery, LogsQuery } from './jobs.ts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

const ErrorBody = {
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

const errors = {
  '4XX': { description: 'refused: `{"error": {"code", "message", "details"}}`', content: json(ErrorBody) },
};

function json(s: object) {
  return { 'application/json': { schema: s } };
}

function queryParams(s: z.ZodObject) {
  const js = schema(s) as { properties?: Record<string, object> };
  return Object.entries(js.properties ?? {}).map(([name, p]) => ({ name, in: 'query', required: false, schema: p }));
}

const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const ok = (description: string, content?: object) => ({
  200: { description, ...(content ? { content } : {}) },
  ...errors,
});
const anyJson = json({ type: 'object' });
/** Each SSE message: `event:` an EventKind (or a StreamOnlyKind), `id:` the event's id, `data:` the event as JSON. */
const sse = {
  'text/event-stream': {
    schema: {
      type: 'string',
      description:
        'Server-Sent Events. Each message: `event:` one of components.schemas.EventKind (or StreamOnlyKind: `end` closes a followed job, `reconnected` is never sent), `id:` the event id (send it back as Last-Event-ID), `data:` {id, jobId, at, kind, phase, message, data} as JSON.',
    },
  },
};

export function openApiDocument(serverUrl?: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'GamePocGen API',
      version: '1',
      description: 'Turns a one-line game idea into a playable browser game.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: ErrorBody,
        GenerateRequest: schema(GenerateRequest),
        FeedbackRequest: schema(FeedbackRequest),
        EventKind: schema(EventKind),
        StreamOnlyKind: schema(StreamOnlyKind),
        Lesson: schema(LessonView),
        LessonUpdate: schema(LessonUpdate),
      },
    },
    paths: {
      '/api/generate': {
        post: {
          summary: 'start games (content-type must be application/json)',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: json({ $ref: '#/components/schemas/GenerateRequest' }) },
          responses: { 201: { description: 'the new jobs', content: anyJson }, ...errors },
        },
      },
      '/api/jobs': {
        get: { summary: 'jobs, newest first', parameters: queryParams(ListQuery), responses: ok('jobs', anyJson) },
      },
      '/api/jobs/{id}': { get: { summary: 'one job', parameters: [id], responses: ok('the job', anyJson) } },
      '/api/jobs/{id}/logs': {
        get: {
          summary: "a job's events; ?follow=1 streams them (SSE)",
          parameters: [id, ...queryParams(LogsQuery)],
          responses: ok('events', { ...anyJson, ...sse }),
        },
      },
      '/api/jobs/{id}/artifacts': {
        get: { summary: "a job's artifacts", parameters: [id], responses: ok('artifacts', anyJson) },
      },
      '/api/jobs/{id}/artifacts/{path}': {
        get: {
          summary: 'one artifact (served as a download under a locked-down CSP)',
          parameters: [id, { name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
          responses: ok('the file', { 'application/octet-stream': { schema: { type: 'string' } } }),
        },
      },
      ...studioPaths,
      '/api/games': { get: { summary: 'deployed games', responses: ok('games', anyJson) } },
      '/api/games/{id}': {
        delete: {
          summary: 'remove a game and free its slot',
          security: [{ bearer: [] }],
          parameters: [id],
          responses: ok('removed', anyJson),
        },
      },
      '/api/stats': { get: { summary: 'counts, durations, usage', responses: ok('stats', anyJson) } },
      '/api/providers': {
        get: {
          summary: 'the agent and the providers a job can run on (`provider` of POST /api/generate)',
          responses: ok(
            'agent and providers',
            json({
              type: 'object',
              required: ['agent', 'providers'],
              properties: {
                agent: { enum: ['builtin', 'claude'] },
                providers: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['spec', 'provider', 'model'],
                    properties: { spec: { type: 'string' }, provider: { type: 'string' }, model: { type: 'string' } },
                  },
                },
              },
            }),
          ),
        },
      },
      '/api/events': {
        get: {
          summary: "every job's events (SSE)",
          parameters: queryParams(EventsQuery),
          responses: ok('stream', sse),
        },
      },
      '/health': {
        get: {
          summary: 'database, runtime, runners, queue',
          responses: {
            ...ok('healthy or degraded', anyJson),
            503: { description: 'database unreachable', content: anyJson },
          },
        },
      },
      '/health/ready': {
        get: {
          summary: 'readiness: the health snapshot plus the play-test browser',
          responses: {
            ...ok('ready', anyJson),
            503: { description: 'database unreachable', content: anyJson },
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: ok('text format', { 'text/plain': { schema: { type: 'string' } } }),
        },
      },
      '/openapi.json': { get: { summary: 'this document', responses: ok('OpenAPI 3.1', anyJson) } },
      '/play/{slot}': {
        get: {
          summary: 'redirects to /play/{slot}/',
          parameters: [{ name: 'slot', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
          responses: { 301: { description: 'to the slot with a trailing slash' } },
        },
      },
      '/play/{slot}/{path}': {
        get: {
          summary: "slot N's game (also at http://gamedemoN.<domain>/)",
          parameters: [
            { name: 'slot', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
            { name: 'path', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: ok('a game file', { 'text/html': { schema: { type: 'string' } } }),
        },
      },
      ...lessonPaths,
      ...pagePaths,
    },
  };
}

/** A bodiless studio action: still a POST with `content-type: application/json` (functions/guard.ts). */
const action = (summary: string, status: 200 | 202, extra: object[] = []) => ({
  post: {
    summary: `${summary} (send content-type: application/json, no body needed)`,
    security: [{ bearer: [] }],
    parameters: [id, ...extra],
    responses: { [status]: { description: 'accepted', content: anyJson }, ...errors },
  },
});
const label = { name: 'label', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9-]+$' } };

/** The studio's actions on one job (functions/job-actions.ts). */
const studioPaths = {
  '/api/jobs/{id}/cancel': action('cancel a queued or running job', 200),
  '/api/jobs/{id}/retry': action('start a failed or cancelled job again', 202),
  '/api/jobs/{id}/feedback': {
    get: { summary: "a game's feedback and how each went", parameters: [id], responses: ok('feedback', anyJson) },
    post: {
      summary: 'ask for a change to a deployed game (runs as its next repair)',
      security: [{ bearer: [] }],
      parameters: [id],
      requestBody: { required: true, content: json({ $ref: '#/components/schemas/FeedbackRequest' }) },
      responses: { 202: { description: 'the queued feedback', content: anyJson }, ...errors },
    },
  },
  '/api/jobs/{id}/versions': {
    get: { summary: "a game's stored versions", parameters: [id], responses: ok('versions', anyJson) },
  },
  '/api/jobs/{id}/versions/{label}/restore': action('deploy a stored version again', 202, [label]),
  '/api/jobs/{id}/deploy': action('put an archived game on a slot again', 202),
};

const lessonId = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const lessonBody = json({ type: 'object', properties: { lesson: { $ref: '#/components/schemas/Lesson' } } });

/** Lessons from earlier games (functions/lessons.ts). */
const lessonPaths = {
  '/api/lessons': {
    get: {
      summary: 'lessons distilled from play-tests, most seen first',
      parameters: queryParams(LessonsQuery),
      responses: ok(
        'lessons',
        json({
          type: 'object',
          properties: { lessons: { type: 'array', items: { $ref: '#/components/schemas/Lesson' } } },
        }),
      ),
    },
  },
  '/api/lessons/{id}': {
    get: { summary: 'one lesson', parameters: [lessonId], responses: ok('the lesson', lessonBody) },
    patch: {
      summary: "rewrite a lesson's text (it keeps its count and keeps counting the same failure)",
      security: [{ bearer: [] }],
      parameters: [lessonId],
      requestBody: { required: true, content: json({ $ref: '#/components/schemas/LessonUpdate' }) },
      responses: ok('the edited lesson', lessonBody),
    },
    delete: {
      summary: 'delete a lesson (send content-type: application/json)',
      security: [{ bearer: [] }],
      parameters: [lessonId],
      responses: ok('deleted', anyJson),
    },
  },
};

const html = (description: string) => ok(description, { 'text/html': { schema: { type: 'string' } } });
const filePath = { name: 'path', in: 'path', required: true, schema: { type: 'string' } };

/** Archived games, the gallery's per-job pages and this reference (functions/archive.ts, pages.ts, docs.ts). */
const pagePaths = {
  '/archive/{id}': {
    get: {
      summary: 'redirects to /archive/{id}/',
      parameters: [id],
      responses: { 301: { description: 'to the archived game with a trailing slash' } },
    },
  },
  '/archive/{id}/{path}': {
    get: {
      summary: "a job's stored game, whatever its slot (also at http://game-<id>.<domain>/)",
      parameters: [id, filePath],
      responses: html('a game file'),
    },
  },
  '/docs': {
    get: { summary: 'this API reference, interactive (Swagger UI, self-hosted)', responses: html('the page') },
  },
  '/docs/init.js': {
    get: { summary: "the reference page's start-up script", responses: ok('JavaScript', { 'text/javascript': {} }) },
  },
  '/docs/assets/{file}': {
    get: {
      summary: "the reference page's files (from swagger-ui-dist)",
      parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
      responses: ok('a script, style sheet or icon'),
    },
  },
  '/jobs/{id}': { get: { summary: 'the job page (gallery)', parameters: [id], responses: html('the page') } },
  '/jobs/{id}/how-to-play': {
    get: { summary: "the game's how-to-play page (gallery)", parameters: [id], responses: html('the page') },
  },
  '/slots/{slot}/how-to-play': {
    get: {
      summary: "redirects to the how-to-play page of the game slot N holds now (linked from a game's pause screen)",
      parameters: [{ name: 'slot', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
      responses: { 302: { description: 'to /jobs/{id}/how-to-play' }, ...errors },
    },
  },
};

export function createOpenApiRoutes() {
  const doc = openApiDocument();
  return new Hono().get('/', (c) => c.json(doc));
}
