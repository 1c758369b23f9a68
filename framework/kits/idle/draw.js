// How the idle kit's world is drawn (its rules are kits/idle.js; a kit's own
// helper modules live in kits/<id>/, while kits/*.js are the kits themselves):
// rings of settled land that grow with each age, resource nodes, the home base
// with its health bar, the workers, the pests (with the ward's zap), the cursor,
// and the progress bar towards the next age.
import { drawSprite } from '../../render/sprites.js';
import { mix, withAlpha } from '../../render/color.js';

/**
 * @param {any} r   the renderer
 * @param {import('../../kit.js').KitContext} g
 * @param {{ age: number, base: any, cursor: { x: number, y: number }, progress: number }} view   progress: 0‥1 of this age's target
 */
export function drawIdle(r, g, { age, base, cursor, progress }) {
  const P = g.palette;
  const t = g.tuning;
  const W = g.width;
  r.cached(0, `rings-${age}`, (/** @type {CanvasRenderingContext2D} */ ctx) => {
    // Concentric rings of "settled land" grow with each age.
    for (let i = age + 2; i > 0; i--) {
      ctx.fillStyle = mix(P.background, P.primary, 0.04 * i);
      ctx.beginPath();
      ctx.ellipse(base.x, base.y, 60 + i * 55, 40 + i * 32, 0, 0, Math.PI * 2);
      ctx.fill();
    }
  });
  r.draw(10, (/** @type {CanvasRenderingContext2D} */ ctx) => {
    for (const n of g.world.all('node')) {
      const s = (18 + 14 * Math.min(1, n.amount / t.nodeSize)) * n.grow;
      drawSprite(ctx, g.sprite('currency', P.accent, 24, 'gem', n.variant), n.x, n.y, s);
    }
    ctx.fillStyle = mix(P.primary, P.background, 0.3);
    ctx.beginPath();
    ctx.arc(base.x, base.y, base.r, 0, Math.PI * 2);
    ctx.fill();
    drawSprite(ctx, g.sprite('player', P.primary, 48, 'creature'), base.x, base.y, 56 + 4 * age);
    ctx.fillStyle = withAlpha(P.text, 0.8);
    ctx.fillRect(base.x - 30, base.y + base.r + 8, (60 * Math.max(0, base.hp)) / base.maxHp, 4);
  });
  r.draw(20, (/** @type {CanvasRenderingContext2D} */ ctx) => {
    for (const w of g.world.all('worker'))
      drawSprite(
        ctx,
        g.sprite('worker', w.carry ? P.accent : P.text, 16, 'creature'),
        w.x,
        w.y + Math.sin(w.phase) * 2,
        16,
      );
    for (const p of g.world.all('pest')) {
      drawSprite(ctx, g.sprite('enemy', P.secondary, 32, 'creature'), p.x, p.y, 30);
      if (p.zapped > 0) {
        p.zapped -= 1 / 60;
        ctx.strokeStyle = P.accent;
        ctx.beginPath();
        ctx.moveTo(base.x, base.y);
        ctx.lineTo(p.x, p.y);
        ctx.stroke();
      }
    }
    ctx.strokeStyle = withAlpha(P.text, 0.6);
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(cursor.x, cursor.y, 18, 0, Math.PI * 2);
    ctx.stroke();
  });
  r.drawScreen(30, (/** @type {CanvasRenderingContext2D} */ ctx) => {
    ctx.fillStyle = withAlpha(P.text, 0.15);
    ctx.fillRect(20, 16, W - 40, 6);
    ctx.fillStyle = P.accent;
    ctx.fillRect(20, 16, (W - 40) * progress, 6);
  });
}
