// Kit metadata: each genre kit declares, in framework/kits/<id>.meta.json, the
// words that select it, default role names, controls, texts for the design doc,
// tuning ranges and its upgrades. The builtin agent reads them from the job's
// framework directory, so kits and the agent cannot drift apart.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { GENRES, Genre, Keypoint, describeZodError } from '../../artifacts.ts';

const Range = z.tuple([z.number(), z.number()]);

export const KitMeta = z.object({
  id: Genre,
  label: z.string(),
  keywords: z.array(z.string()).min(5),
  roles: z.object({
    player: z.string(),
    enemy: z.string(),
    boss: z.string(),
    currency: z.string(),
    projectile: z.string(),
  }),
  verbs: z.array(z.string()).min(1),
  settings: z.array(z.string()).min(1),
  controls: z
    .array(z.object({ input: z.string(), action: z.string() }))
    .min(1)
    .max(12),
  coreLoop: z.array(z.string()).min(2).max(8),
  mechanics: z.array(z.string()).min(2).max(20),
  win: z.string(),
  lose: z.string(),
  curve: z.string(),
  tuning: z.record(
    z.string(),
    z.object({ min: z.number(), max: z.number(), integer: z.boolean().optional(), about: z.string() }),
  ),
  upgrades: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
        adjectives: z.array(z.string()).min(1),
        noun: z.string(),
        effect: z.string(),
        baseCost: Range,
        costGrowth: Range,
        maxLevel: z.number().int().min(1),
        requires: z.object({ id: z.string(), level: z.number().int().min(1) }).optional(),
      }),
    )
    .min(3)
    .max(12),
  /** Expected behaviours of every game on this kit (texts may use {placeholders}); the builtin design emits them. */
  keypoints: z.array(Keypoint).min(3).max(12),
});
export type KitMeta = z.infer<typeof KitMeta>;

const cache = new Map<string, Promise<Map<Genre, KitMeta>>>();

/** Loads and validates every kit's metadata from `frameworkDir/kits`. */
export function loadKitMetas(frameworkDir: string): Promise<Map<Genre, KitMeta>> {
  let pending = cache.get(frameworkDir);
  if (!pending) {
    pending = readAll(frameworkDir);
    cache.set(frameworkDir, pending);
    pending.catch(() => cache.delete(frameworkDir));
  }
  return pending;
}

async function readAll(frameworkDir: string): Promise<Map<Genre, KitMeta>> {
  const metas = new Map<Genre, KitMeta>();
  for (const id of GENRES) {
    const file = path.join(frameworkDir, 'kits', `${id}.meta.json`);
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch {
      continue; // A kit without metadata is simply not offered.
    }
    const parsed = KitMeta.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new Error(`${file}: ${describeZodError(parsed.error)}`);
    if (parsed.data.id !== id) throw new Error(`${file}: id ${parsed.data.id} does not match the file name`);
    metas.set(id, parsed.data);
  }
  if (metas.size === 0) throw new Error(`no kit metadata found under ${frameworkDir}/kits`);
  return metas;
}
