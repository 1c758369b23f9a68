// Tuning: every number a kit exposes, drawn from the range the kit declares.
// Drawn from the idea + seed so two ideas on the same kit play differently,
// and clamped back into range when read from a plan someone else wrote.
import type { KitMeta } from './kits.ts';
import { rngFor } from './random.ts';

export type Tuning = Record<string, number>;

export function chooseTuning(kit: KitMeta, seed: number, ideaText: string): Tuning {
  const rng = rngFor(seed, ideaText, `tuning:${kit.id}`);
  const out: Tuning = {};
  for (const [key, range] of Object.entries(kit.tuning)) {
    const v = rng.range(range.min, range.max);
    out[key] = range.integer ? Math.round(v) : Math.round(v * 100) / 100;
  }
  return out;
}

/** Reads tuning from a plan, keeping only declared keys, in range; missing keys take the midpoint. */
export function clampTuning(kit: KitMeta, given: Record<string, unknown>): Tuning {
  const out: Tuning = {};
  for (const [key, range] of Object.entries(kit.tuning)) {
    const raw = given[key];
    const v =
      typeof raw === 'number' && Number.isFinite(raw)
        ? Math.min(range.max, Math.max(range.min, raw))
        : (range.min + range.max) / 2;
    out[key] = range.integer ? Math.round(v) : v;
  }
  return out;
}
