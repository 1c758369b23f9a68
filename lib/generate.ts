// Starting games: the HTTP body schema and the transaction that creates the jobs.
import { z } from 'zod';
import { Genre } from './artifacts.ts';
import type { Db } from './db.ts';
import { withTransaction } from './db.ts';
import { createJob } from './jobs.ts';

export const GenerateRequest = z
  .object({
    idea: z.string().max(10_000, 'an idea may be at most 10000 characters').nullish(),
    count: z.number().int().min(1).max(10).default(1),
    genre: Genre.nullish(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).nullish(),
  })
  .strict();
export type GenerateRequest = z.infer<typeof GenerateRequest>;

/** Creates `count` jobs (seeds seed, seed+1, … when a seed is given) and enqueues their phase 1, atomically. */
export async function generateGames(db: Db, req: GenerateRequest): Promise<number[]> {
  return withTransaction(db, async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < req.count; i++) {
      const seed = req.seed == null ? null : (req.seed + i) % 2 ** 31;
      ids.push(await createJob(tx, { idea: req.idea?.trim() || null, genre: req.genre ?? null, seed }));
    }
    return ids;
  });
}
