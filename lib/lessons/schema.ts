// The lessons API's shapes (functions/lessons.ts, the OpenAPI document): zod is the single source.
import { z } from 'zod';
import { LESSON_MAX_CHARS } from './distil.ts';

export const LessonView = z.object({
  id: z.number().int().positive(),
  /** The kit the games were built from (plan.json `kit`, else their genre); null when unknown. */
  kit: z.string().nullable(),
  genre: z.string().nullable(),
  text: z.string(),
  /** How many jobs this lesson was seen in. */
  count: z.number().int().min(1),
  /** The jobs it came from (the newest 50). */
  jobIds: z.array(z.number().int()),
  firstSeen: z.string(),
  lastSeen: z.string(),
});
export type LessonView = z.infer<typeof LessonView>;

const Scope = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, 'a kit or genre is 1–40 lowercase letters, digits and dashes (e.g. "snake", "custom")');

export const LessonsQuery = z.object({
  kit: Scope.optional(),
  genre: Scope.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const LessonUpdate = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, 'a lesson needs some text')
      .max(LESSON_MAX_CHARS, `a lesson is at most ${LESSON_MAX_CHARS} characters`),
  })
  .strict();
