// Starting games: the HTTP body schema and the transaction that creates the jobs.
import { z } from 'zod';
import { Genre } from './artifacts.ts';
import type { Db } from './db.ts';
import { withTransaction } from './db.ts';
import { ProviderSpec } from './llm/providers.ts';
import { insertComparisonSibling, markComparisonLead } from './jobs/comparison.ts';
import { createJob } from './jobs/repository.ts';

export const GenerateRequest = z
  .object({
    idea: z.string().max(10_000, 'an idea may be at most 10000 characters').nullish(),
    count: z.number().int().min(1).max(10).default(1),
    genre: Genre.nullish(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .nullish(),
    /** Provider specs ("zai:glm-4.6", "anthropic:claude-sonnet-4-5"): phase 1 shared, later phases once each. */
    compare: z.array(ProviderSpec).min(2).max(4).nullish(),
  })
  .strict()
  .refine((r) => !r.compare || r.count === 1, {
    message: 'compare makes one job per provider; leave count at 1',
    path: ['count'],
  })
  .refine((r) => !r.compare || new Set(r.compare.map((p) => p.spec)).size === r.compare.length, {
    message: 'compare lists a provider twice',
    path: ['compare'],
  });
export type GenerateRequest = z.infer<typeof GenerateRequest>;

/** Creates `count` jobs (seeds seed, seed+1, … when a seed is given) and enqueues their phase 1, atomically. */
export async function generateGames(db: Db, req: GenerateRequest): Promise<number[]> {
  return withTransaction(db, async (tx) => {
    if (req.compare) {
      const lead = await createJob(tx, {
        idea: req.idea?.trim() || null,
        genre: req.genre ?? null,
        seed: req.seed ?? null,
      });
      await markComparisonLead(tx, lead, req.compare[0]!.spec);
      const ids = [lead];
      for (const p of req.compare.slice(1)) ids.push(await insertComparisonSibling(tx, lead, p.spec));
      return ids;
    }
    const ids: number[] = [];
    for (let i = 0; i < req.count; i++) {
      const seed = req.seed == null ? null : (req.seed + i) % 2 ** 31;
      ids.push(await createJob(tx, { idea: req.idea?.trim() || null, genre: req.genre ?? null, seed }));
    }
    return ids;
  });
}
