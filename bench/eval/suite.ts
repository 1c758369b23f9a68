// The eval suite (`eval/suite.json` by default): the idea prompts `npm run eval` sends
// through the whole pipeline. Each idea names the kit a good design would pick (or
// `none` when no kit fits); its keypoints are not in the suite: the design phase
// writes them (design.json `keypoints`) and the play-test verifies them as the rubric.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { GENRES } from '../../lib/artifacts.ts';

export const SuiteIdea = z
  .object({
    /** Stable id: reports are compared idea by idea on it. */
    id: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'must be a lowercase kebab-case id'),
    /** The prompt, as a user would type it into POST /api/generate. */
    idea: z.string().trim().min(1).max(2000),
    /** The kit a good design would choose, or `none` when the idea fits no kit (a `custom` build). */
    kit: z.enum([...GENRES, 'none']),
    /** The job's seed (same seed, same builtin game: runs are reproducible). */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  })
  .strict();
export type SuiteIdea = z.infer<typeof SuiteIdea>;

export const Suite = z
  .object({
    name: z.string().trim().min(1).max(80),
    description: z.string().max(2000).default(''),
    ideas: z
      .array(SuiteIdea)
      .min(1)
      .max(100)
      .refine((ideas) => new Set(ideas.map((i) => i.id)).size === ideas.length, 'idea ids must be unique'),
  })
  .strict();
export type Suite = z.infer<typeof Suite>;

export class SuiteError extends Error {
  readonly code = 'invalid_suite';
}

/** Reads and validates a suite file; a bad file throws SuiteError naming the file and the fields. */
export async function loadSuite(file: string): Promise<Suite> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new SuiteError(`suite ${file} could not be read as JSON: ${(e as Error).message}`);
  }
  const parsed = Suite.safeParse(raw);
  if (!parsed.success)
    throw new SuiteError(
      `suite ${file} is invalid: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}
