// Particle bursts (hits, pickups, explosions) from a fixed-size pool so a busy
// wave never allocates per frame.

/**
 * @typedef {object} Particle
 * @property {number} x @property {number} y @property {number} vx @property {number} vy
 * @property {number} life @property {number} maxLife @property {number} size @property {string} color
 */

/**
 * @typedef {object} BurstOptions
 * @property {number} [count=12]
 * @property {string} color
 * @property {number} [speed=120]   px/s
 * @property {number} [life=0.5]    seconds
 * @property {number} [size=3]
 * @property {number} [gravity=0]   px/s²
 */

/**
 * @param {object} options
 * @param {() => number} options.random
 * @param {number} [options.capacity=400]
 */
export function createParticles({ random, capacity = 400 }) {
  /** @type {Particle[]} */
  const live = [];
  let gravity = 0;
  return {
    /** @returns {number} particles alive */
    get count() {
      return live.length;
    },
    /** @param {number} x @param {number} y @param {BurstOptions} opts */
    burst(x, y, opts) {
      const count = opts.count ?? 12;
      gravity = opts.gravity ?? gravity;
      for (let i = 0; i < count; i++) {
        if (live.length >= capacity) live.shift();
        const a = random() * Math.PI * 2;
        const s = (opts.speed ?? 120) * (0.3 + random() * 0.7);
        const life = (opts.life ?? 0.5) * (0.6 + random() * 0.4);
        live.push({
          x,
          y,
          vx: Math.cos(a) * s,
          vy: Math.sin(a) * s,
          life,
          maxLife: life,
          size: opts.size ?? 3,
          color: opts.color,
        });
      }
    },
    /** @param {number} dt */
    update(dt) {
      for (let i = live.length - 1; i >= 0; i--) {
        const p = live[i];
        p.life -= dt;
        if (p.life <= 0) {
          live.splice(i, 1);
          continue;
        }
        p.vy += gravity * dt;
        p.x += p.vx * dt;
        p.y += p.vy * dt;
        p.vx *= 1 - 2 * dt;
        p.vy *= 1 - 2 * dt;
      }
    },
    /** @param {CanvasRenderingContext2D} ctx */
    draw(ctx) {
      for (const p of live) {
        ctx.globalAlpha = Math.max(0, p.life / p.maxLife);
        ctx.fillStyle = p.color;
        ctx.fillRect(p.x - p.size / 2, p.y - p.size / 2, p.size, p.size);
      }
      ctx.globalAlpha = 1;
    },
    clear() {
      live.length = 0;
    },
  };
}
