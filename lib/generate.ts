// Starting games: the HTTP body schema and the transaction that creates the jobs.
import { z } from 'zod';
import { Genre } from './artifacts.ts';
import type { Db } from './db.ts';
import { withTransaction } from './db.ts';
import { ProviderSpec } from './llm/providers.ts';
import { insertComparisonSibling, markComparisonLead } from './jobs/comparison.ts';
import { createJob, lockAndCountActiveJobs, setJobProvider } from './jobs/repository.ts';

/** Text Postgres stores as it was sent: no NUL (error 22021) and no unpaired surrogate (UTF-8 can't carry one). */
export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && s.isWellFormed();
}

export class QueueFullError extends Error {
  readonly code = 'queue_full';
  readonly active: number;
  readonly limit: number;
  constructor(active: number, limit: number) {
    super(`${active} job(s) are queued or running and the limit is ${limit} (MAX_QUEUED); try again once some finish`);
    this.active = active;
    this.limit = limit;
  }
}

export const GenerateRequest = z
  .object({
    idea: z
      .string()
      .max(10_000, 'an idea may be at most 10000 characters')
      .refine(isStorableText, 'an idea may not contain NUL characters or unpaired surrogates')
      .nullish(),
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
    /** One provider spec every job of this request runs on (the gallery's picker); default: the operator's agent. */
    provider: ProviderSpec.nullish(),
  })
  .strict()
  .refine((r) => !(r.compare && r.provider), {
    message: 'give either compare (several providers) or provider (one), not both',
    path: ['provider'],
  })
  .refine((r) => !r.compare || r.count === 1, {
    message: 'compare makes one job per provider; leave count at 1',
    path: ['count'],
  })
  .refine((r) => !r.compare || new Set(r.compare.map((p) => p.spec)).size === r.compare.length, {
    message: 'compare lists a provider twice',
    path: ['compare'],
  });
export type GenerateRequest = z.infer<typeof GenerateRequest>;

/**
 * Creates `count` jobs (seeds seed, seed+1, … when a seed is given) and enqueues their phase 1, atomically.
 * With `maxQueued`, refuses (QueueFullError) when the queued and running jobs would exceed it.
 */
export async function generateGames(
  db: Db,
  req: GenerateRequest,
  opts: { maxQueued?: number } = {},
): Promise<number[]> {
  return withTransaction(db, async (tx) => {
    if (opts.maxQueued !== undefined) {
      const active = await lockAndCountActiveJobs(tx);
      const adding = req.compare ? req.compare.length : req.count;
      if (active + adding > opts.maxQueued) throw new QueueFullError(active, opts.maxQueued);
    }
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
      const id = await createJob(tx, { idea: req.idea?.trim() || null, genre: req.genre ?? null, seed });
      if (req.provider) await setJobProvider(tx, id, req.provider.spec);
      ids.push(id);
    }
    return ids;
  });
}
