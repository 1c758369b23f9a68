// Colour helpers: kits derive every shade they draw from the game's five-colour
// palette, so a palette change re-skins the whole game.

/** @param {string} hex "#rrggbb" @returns {[number, number, number]} */
export function hexToRgb(hex) {
  const n = parseInt(hex.slice(1, 7), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** @param {number} r @param {number} g @param {number} b */
export function rgbToHex(r, g, b) {
  const c = (/** @type {number} */ v) =>
    Math.max(0, Math.min(255, Math.round(v)))
      .toString(16)
      .padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

/** Linear mix of two colours; t = 0 → a, 1 → b. @param {string} a @param {string} b @param {number} t */
export function mix(a, b, t) {
  const x = hexToRgb(a);
  const y = hexToRgb(b);
  return rgbToHex(x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t);
}

/** @param {string} hex @param {number} amount 0..1 */
export const lighten = (hex, amount) => mix(hex, '#ffffff', amount);
/** @param {string} hex @param {number} amount 0..1 */
export const darken = (hex, amount) => mix(hex, '#000000', amount);

/** Relative luminance (WCAG), 0 = black … 1 = white. @param {string} hex */
export function luminance(hex) {
  const [r, g, b] = hexToRgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two colours (1 … 21). @param {string} a @param {string} b */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}

/** @param {string} hex @param {number} alpha 0..1 → "rgba(…)" */
export function withAlpha(hex, alpha) {
  const [r, g, b] = hexToRgb(hex);
  return `rgba(${r},${g},${b},${alpha})`;
}
