// Theme palettes from a hue: a dark, low-saturation background with bright,
// mutually distinct primary/secondary/accent colours and a readable text colour.
import type { z } from 'zod';
import type { Palette } from '../../artifacts.ts';
import type { Rng } from './random.ts';

type PaletteValue = z.infer<typeof Palette>;

export function hslToHex(h: number, s: number, l: number): string {
  const hue = ((h % 360) + 360) % 360;
  const sat = s / 100;
  const lig = l / 100;
  const k = (n: number) => (n + hue / 30) % 12;
  const a = sat * Math.min(lig, 1 - lig);
  const f = (n: number) => lig - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  const hex = (v: number) =>
    Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(f(0))}${hex(f(8))}${hex(f(4))}`;
}

/** Builds the five-colour theme around `baseHue`, varied by `rng`. */
export function makePalette(baseHue: number, rng: Rng): PaletteValue {
  const h = baseHue + rng.range(-12, 12);
  return {
    background: hslToHex(h + rng.range(-20, 20), rng.range(25, 45), rng.range(7, 12)),
    primary: hslToHex(h, rng.range(65, 85), rng.range(58, 66)),
    secondary: hslToHex(h + rng.range(140, 200), rng.range(65, 85), rng.range(56, 64)),
    accent: hslToHex(h + rng.pick([60, 90, -60, -90]) + rng.range(-10, 10), rng.range(85, 100), rng.range(62, 70)),
    text: hslToHex(h, rng.range(15, 30), rng.range(90, 95)),
  };
}
