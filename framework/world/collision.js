// Collision tests for the two shapes kits use: circles (creatures, bullets)
// and axis-aligned boxes (bricks, platforms, paddles).

/** @typedef {{x: number, y: number, r: number}} Circle */
/** @typedef {{x: number, y: number, w: number, h: number}} Box  top-left corner + size */

/** @param {Circle} a @param {Circle} b */
export function circlesOverlap(a, b) {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  const r = a.r + b.r;
  return dx * dx + dy * dy < r * r;
}

/** @param {Box} a @param {Box} b */
export function boxesOverlap(a, b) {
  return a.x < b.x + b.w && a.x + a.w > b.x && a.y < b.y + b.h && a.y + a.h > b.y;
}

/** @param {Circle} c @param {Box} b */
export function circleBoxOverlap(c, b) {
  const nx = Math.max(b.x, Math.min(c.x, b.x + b.w));
  const ny = Math.max(b.y, Math.min(c.y, b.y + b.h));
  const dx = c.x - nx;
  const dy = c.y - ny;
  return dx * dx + dy * dy < c.r * c.r;
}

/**
 * Which side of box `b` circle `c` hit, for bouncing: 'x' means reverse the
 * horizontal velocity, 'y' the vertical one. Null when they do not touch.
 * @param {Circle} c @param {Box} b
 * @returns {'x' | 'y' | null}
 */
export function circleBoxSide(c, b) {
  if (!circleBoxOverlap(c, b)) return null;
  const overlapX = Math.min(c.x + c.r - b.x, b.x + b.w - (c.x - c.r));
  const overlapY = Math.min(c.y + c.r - b.y, b.y + b.h - (c.y - c.r));
  return overlapX < overlapY ? 'x' : 'y';
}

/** @param {{x: number, y: number}} p @param {Box} b */
export function pointInBox(p, b) {
  return p.x >= b.x && p.x < b.x + b.w && p.y >= b.y && p.y < b.y + b.h;
}

/** Distance between two points. @param {{x: number, y: number}} a @param {{x: number, y: number}} b */
export function distance(a, b) {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/**
 * Nearest item to a point within `maxDistance` (Infinity by default), or null.
 * @template {{x: number, y: number}} T
 * @param {{x: number, y: number}} from @param {Iterable<T>} items @param {number} [maxDistance]
 * @returns {T | null}
 */
export function nearest(from, items, maxDistance = Infinity) {
  let best = null;
  let bestD = maxDistance * maxDistance;
  for (const it of items) {
    const dx = it.x - from.x;
    const dy = it.y - from.y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = it;
    }
  }
  return best;
}
