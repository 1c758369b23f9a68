// GET /openapi.json: an OpenAPI 3.1 description of every route, its bodies and
// query strings generated from the same zod schemas the handlers validate with
// (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses). test/openapi.test.ts
// checks it against the 3.1 schema and against the routes the app really has.
// The route descriptions live by resource in functions/openapi/, their shared parts in
// functions/openapi/parts.ts; this file assembles the document and the component schemas.
import { Hono } from 'hono';
import { GenerateRequest } from '../lib/generate.ts';
import { EventKind, StreamOnlyKind } from '../lib/jobs/lifecycle.ts';
import { LessonUpdate, LessonView } from '../lib/lessons/schema.ts';
import { FeedbackRequest } from '../lib/studio/feedback.ts';
import { jobPaths, studioPaths } from './openapi/jobs.ts';
import { lessonPaths } from './openapi/lessons.ts';
import { pagePaths, playPaths } from './openapi/pages.ts';
import { ErrorBody, schema } from './openapi/parts.ts';
import { gamePaths, servicePaths } from './openapi/service.ts';

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
      ...jobPaths,
      ...studioPaths,
      ...gamePaths,
      ...servicePaths,
      ...playPaths,
      ...lessonPaths,
      ...pagePaths,
    },
  };
}

export function createOpenApiRoutes() {
  const doc = openApiDocument();
  return new Hono().get('/', (c) => c.json(doc));
}
