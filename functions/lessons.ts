// /api/lessons: what the play-tests of earlier games taught (lib/lessons/), which
// later build and repair phases of the same kit are given. Operators list them,
// rewrite one's text, or delete one (it comes back, counted from 1, if the same
// failure is seen again). Mutations are behind the same guard and token as every other.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { cleanLessonText } from '../lib/lessons/distil.ts';
import { LessonUpdate, LessonsQuery } from '../lib/lessons/schema.ts';
import { deleteLesson, getLesson, listLessons, updateLessonText } from '../lib/lessons/store.ts';
import type { AppDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { jsonBody, query } from './validate.ts';

const LessonId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function lessonId(c: Context): number {
  const raw = c.req.param('id') ?? '';
  const parsed = /^\d+$/.test(raw) ? LessonId.safeParse(raw) : null;
  if (!parsed?.success)
    throw new HttpError(400, 'invalid_id', `"${raw.slice(0, 40)}" is not a lesson id (expected a positive integer)`);
  return parsed.data;
}

const notFound = (id: number) => new HttpError(404, 'lesson_not_found', `lesson ${id} does not exist`);

export function createLessonRoutes(deps: AppDeps) {
  const app = new Hono();

  app.get('/', async (c) => c.json({ lessons: await listLessons(deps.db, query(c, LessonsQuery)) }));

  app.get('/:id', async (c) => {
    const id = lessonId(c);
    const lesson = await getLesson(deps.db, id);
    if (!lesson) throw notFound(id);
    return c.json({ lesson });
  });

  app.patch('/:id', async (c) => {
    const id = lessonId(c);
    const body = await jsonBody(c, LessonUpdate);
    // Stored as every lesson is: one line, no URLs, never a secret.
    const text = cleanLessonText(body.text, [deps.apiToken]);
    if (!text) throw new HttpError(400, 'invalid_request', 'invalid request body: text: a lesson needs some text');
    const lesson = await updateLessonText(deps.db, id, text);
    if (!lesson) throw notFound(id);
    return c.json({ lesson });
  });

  app.delete('/:id', async (c) => {
    const id = lessonId(c);
    if (!(await deleteLesson(deps.db, id))) throw notFound(id);
    return c.json({ deleted: id });
  });

  return app;
}
