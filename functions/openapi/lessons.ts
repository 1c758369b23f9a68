// /openapi.json: lessons from earlier games (functions/lessons.ts).
import { LessonsQuery } from '../../lib/lessons/schema.ts';
import { anyJson, json, ok, queryParams } from './parts.ts';

const lessonId = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const lessonBody = json({ type: 'object', properties: { lesson: { $ref: '#/components/schemas/Lesson' } } });
export const lessonPaths = {
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
