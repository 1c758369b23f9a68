// Seeded randomness for the builtin agent: the browser framework's own rng
// (mulberry32 + FNV-1a), so a seed means the same thing on both sides. No
// Math.random anywhere, so outputs are reproducible.
import { createRng, hashString } from '../../../framework/core/rng.js';

export { createRng, hashString };
export type Rng = ReturnType<typeof createRng>;

/** An rng for one named purpose, so adding a draw in one place never shifts another. */
export function rngFor(seed: number, ideaText: string, purpose: string): Rng {
  return createRng(hashString(`${seed}\u0000${ideaText}\u0000${purpose}`));
}
