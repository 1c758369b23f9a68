// Floating text ("+3", "Wave 2") that rises and fades: feedback for earnings
// and events, capped so a burst of pickups cannot grow without bound.

/** @param {number} [capacity=40] */
export function createFloaters(capacity = 40) {
  /** @type {Array<{x: number, y: number, text: string, color: string, life: number}>} */
  const live = [];
  return {
    get count() {
      return live.length;
    },
    /** @param {number} x @param {number} y @param {string} text @param {string} color */
    add(x, y, text, color) {
      if (live.length >= capacity) live.shift();
      live.push({ x, y, text, color, life: 0.9 });
    },
    /** @param {number} dt */
    update(dt) {
      for (let i = live.length - 1; i >= 0; i--) {
        live[i].life -= dt;
        live[i].y -= 40 * dt;
        if (live[i].life <= 0) live.splice(i, 1);
      }
    },
    /**
     * @param {CanvasRenderingContext2D} ctx
     * @param {import('./renderer.js').Renderer} renderer
     * @param {string} outline
     */
    draw(ctx, renderer, outline) {
      for (const f of live) {
        ctx.globalAlpha = Math.min(1, f.life * 2);
        renderer.text(ctx, f.text, f.x, f.y, { size: 15, color: f.color, align: 'center', outline });
      }
      ctx.globalAlpha = 1;
    },
    clear() {
      live.length = 0;
    },
  };
}
