// Seeded pseudo-random numbers (mulberry32): a game with the same seed plays out
// the same way, which keeps generated games reproducible and tests stable.

/**
 * @typedef {object} Rng
 * @property {() => number} next            float in [0, 1)
 * @property {(min: number, max: number) => number} range  float in [min, max)
 * @property {(min: number, max: number) => number} int    integer in [min, max] (inclusive)
 * @property {(p: number) => boolean} chance true with probability p
 * @property {<T>(items: readonly T[]) => T} pick
 * @property {(label?: string) => Rng} fork  an independent stream derived from this one
 * @property {() => number} state            the internal state, for save/restore
 */

/** 32-bit FNV-1a hash of a string, used to derive seeds from names. @param {string} text */
export function hashString(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** @param {number} seed any integer; @returns {Rng} */
export function createRng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** @type {Rng} */
  const rng = {
    next,
    range: (min, max) => min + next() * (max - min),
    int: (min, max) => Math.floor(min + next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    fork: (label = '') => createRng((hashString(label) ^ Math.floor(next() * 4294967296)) >>> 0),
    state: () => s,
  };
  return rng;
}
