// Procedural sprites: symmetric pixel creatures/ships/gems generated from a seed
// and the palette, pre-rendered once to an offscreen canvas. No image files.
import { createRng } from '../core/rng.js';
import { darken, lighten } from './color.js';

/**
 * @typedef {object} SpriteSpec
 * @property {number} seed
 * @property {number} size        drawn size in logical pixels (square)
 * @property {string} color       main colour
 * @property {string} [detail]    secondary colour (eyes, windows)
 * @property {number} [grid=8]    pixel grid resolution
 * @property {'creature'|'ship'|'gem'|'block'} [shape]
 */

/**
 * Builds the pixel mask for a sprite: a grid mirrored left/right so it reads as
 * a creature or craft. Exported for tests; 0 = empty, 1 = body, 2 = detail, 3 = edge.
 * @param {SpriteSpec} spec
 * @returns {number[][]}
 */
export function spriteMask(spec) {
  const n = spec.grid ?? 8;
  const rng = createRng(spec.seed);
  const half = Math.ceil(n / 2);
  /** @type {number[][]} */
  const rows = [];
  for (let y = 0; y < n; y++) {
    const row = new Array(n).fill(0);
    for (let x = 0; x < half; x++) {
      const cx = (x + 0.5) / half; // 0 at the outside edge … 1 at the centre line
      const cy = Math.abs((y + 0.5) / n - 0.5) * 2; // 0 at the middle row … 1 at the top/bottom
      let p;
      switch (spec.shape ?? 'creature') {
        case 'gem':
          p = cx > cy ? 1 : 0;
          break;
        case 'block':
          p = 1;
          break;
        case 'ship':
          p = cx * 0.9 + (y / n) * 0.5 - 0.25;
          break;
        default:
          p = cx * 0.8 + (1 - cy) * 0.45 - 0.2;
      }
      let v = rng.next() < p ? 1 : 0;
      if (v && rng.next() < 0.18) v = 2;
      row[x] = v;
      row[n - 1 - x] = v;
    }
    rows.push(row);
  }
  // Guarantee a solid core so no sprite is empty or just specks.
  const mid = Math.floor(n / 2);
  for (let y = mid - 1; y <= mid; y++)
    for (let x = mid - 1; x <= mid; x++) if (rows[y] && rows[y][x] === 0) rows[y][x] = 1;
  // Outline: empty cells touching the body become edge pixels.
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      if (rows[y][x] !== 0) continue;
      const near = [
        [0, 1],
        [1, 0],
        [0, -1],
        [-1, 0],
      ].some(([dx, dy]) => {
        const v = rows[y + dy]?.[x + dx];
        return v === 1 || v === 2;
      });
      if (near) rows[y][x] = 3;
    }
  return rows;
}

/** @type {Map<string, HTMLCanvasElement | OffscreenCanvas>} */
const cache = new Map();

/**
 * Returns a canvas holding the sprite (cached by spec).
 * @param {SpriteSpec} spec
 * @param {(w: number, h: number) => HTMLCanvasElement | OffscreenCanvas} [makeCanvas]
 */
export function makeSprite(spec, makeCanvas = defaultCanvas) {
  const key = JSON.stringify(spec);
  const hit = cache.get(key);
  if (hit) return hit;
  const mask = spriteMask(spec);
  const n = mask.length;
  const px = Math.max(1, Math.round(spec.size / n));
  const canvas = makeCanvas(n * px, n * px);
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const colors = ['', spec.color, spec.detail ?? lighten(spec.color, 0.6), darken(spec.color, 0.55)];
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const v = mask[y][x];
      if (!v) continue;
      ctx.fillStyle = colors[v];
      ctx.fillRect(x * px, y * px, px, px);
    }
  cache.set(key, canvas);
  return canvas;
}

/**
 * Draws a sprite centred on (x, y), optionally rotated.
 * @param {CanvasRenderingContext2D} ctx
 * @param {CanvasImageSource & {width: number, height: number}} sprite
 * @param {number} x @param {number} y @param {number} size @param {number} [angle=0]
 */
export function drawSprite(ctx, sprite, x, y, size, angle = 0) {
  ctx.save();
  ctx.translate(x, y);
  if (angle) ctx.rotate(angle);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(sprite, -size / 2, -size / 2, size, size);
  ctx.restore();
}

/** @param {number} w @param {number} h */
function defaultCanvas(w, h) {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}
