// Breakout kit: a paddle, a ball and walls of bricks. Bricks pay currency;
// each cleared wall brings a taller, tougher one; losing every ball ends the run.
import { circleBoxSide } from '../world/collision.js';
import { drawSprite } from '../render/sprites.js';
import { mix, withAlpha, lighten } from '../render/color.js';

const COLS = 12;
const TOP = 60;
const BRICK_H = 22;

/** @type {import('../kit.js').Kit} */
export const kit = {
  id: 'breakout',
  create(g) {
    const t = g.tuning;
    const P = g.palette;
    const W = g.width;
    const H = g.height;
    const paddle = { x: W / 2, y: H - 40, w: 100, h: 14 };
    /** @type {Array<{x: number, y: number, vx: number, vy: number, r: number, stuck: boolean}>} */
    let balls = [];
    /** @type {Array<{x: number, y: number, w: number, h: number, hp: number, maxHp: number, row: number}>} */
    let bricks = [];
    let level = 1;
    let lives = 3;
    let lastPointerX = -1;
    let broken = 0;

    const paddleWidth = () => t.paddleWidth * (1 + 0.18 * g.level('paddle'));
    const ballDamage = () => 1 + g.level('power');
    const ballSpeed = () => t.ballSpeed * (1 + 0.06 * (level - 1));

    function buildWall() {
      const rows = Math.min(9, t.rows + level - 1);
      const bw = (W - 40) / COLS;
      bricks = [];
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < COLS; c++) {
          // Gaps in a seeded pattern keep walls from looking identical.
          if (level > 1 && g.rng.chance(0.12)) continue;
          const hp = 1 + Math.floor((rows - 1 - r) * (level / 4));
          bricks.push({ x: 20 + c * bw + 2, y: TOP + r * (BRICK_H + 4), w: bw - 4, h: BRICK_H, hp, maxHp: hp, row: r });
        }
    }

    function serve() {
      balls = [{ x: paddle.x, y: paddle.y - 12, vx: 0, vy: 0, r: 8, stuck: true }];
    }

    function launch() {
      const extra = g.level('multiball');
      for (const b of balls.filter((x) => x.stuck)) {
        b.stuck = false;
        const a = -Math.PI / 2 + g.rng.range(-0.35, 0.35);
        b.vx = Math.cos(a) * ballSpeed();
        b.vy = Math.sin(a) * ballSpeed();
        for (let i = 0; i < extra; i++) {
          const a2 = -Math.PI / 2 + (i % 2 ? 1 : -1) * (0.4 + 0.15 * i);
          balls.push({
            x: b.x,
            y: b.y,
            vx: Math.cos(a2) * ballSpeed(),
            vy: Math.sin(a2) * ballSpeed(),
            r: 8,
            stuck: false,
          });
        }
      }
      g.sfx.play('jump');
    }

    /** @param {number} dt */
    function step(dt) {
      paddle.w = paddleWidth();
      const axis = g.input.axis();
      const ptr = g.input.pointer;
      if (axis.x) paddle.x += axis.x * t.paddleSpeed * dt;
      else if (ptr.active && (ptr.x !== lastPointerX || ptr.down))
        paddle.x += (ptr.x - paddle.x) * Math.min(1, dt * 18);
      lastPointerX = ptr.x;
      paddle.x = Math.max(paddle.w / 2, Math.min(W - paddle.w / 2, paddle.x));
      if (g.input.wasPressed('action') || g.input.wasPressed('up') || ptr.pressed) launch();

      for (const b of balls) {
        if (b.stuck) {
          b.x = paddle.x;
          b.y = paddle.y - 12;
          continue;
        }
        // Substeps keep a fast ball from tunnelling through a brick.
        const sub = 3;
        for (let s = 0; s < sub; s++) moveBall(b, dt / sub);
      }
      const before = balls.length;
      balls = balls.filter((b) => b.y - b.r < H);
      if (before && !balls.length) {
        lives--;
        g.renderer.shake(8, 0.3);
        g.sfx.play('hit');
        if (lives <= 0) return g.lose();
        serve();
      }
      if (!bricks.length) {
        g.earn(t.levelBonus * level, W / 2, H / 2);
        if (level >= t.waves) return g.win();
        level++;
        g.floatText(W / 2, H / 2 - 30, `Wall ${level}`, P.accent);
        buildWall();
        serve();
      }
    }

    /** @param {any} b @param {number} dt */
    function moveBall(b, dt) {
      b.x += b.vx * dt;
      b.y += b.vy * dt;
      if (b.x < b.r) (b.x = b.r), (b.vx = Math.abs(b.vx));
      if (b.x > W - b.r) (b.x = W - b.r), (b.vx = -Math.abs(b.vx));
      if (b.y < b.r) (b.y = b.r), (b.vy = Math.abs(b.vy));
      const pbox = { x: paddle.x - paddle.w / 2, y: paddle.y - paddle.h / 2, w: paddle.w, h: paddle.h };
      if (b.vy > 0 && circleBoxSide(b, pbox)) {
        // Where it lands on the paddle steers the bounce: the player aims.
        const off = Math.max(-1, Math.min(1, (b.x - paddle.x) / (paddle.w / 2)));
        const speed = ballSpeed();
        const a = -Math.PI / 2 + off * 1.05;
        b.vx = Math.cos(a) * speed;
        b.vy = Math.sin(a) * speed;
        b.y = pbox.y - b.r;
      }
      for (const brick of bricks) {
        const side = circleBoxSide(b, brick);
        if (!side) continue;
        brick.hp -= ballDamage();
        const pierce = g.level('power') >= 3 && brick.hp <= 0;
        if (!pierce) {
          if (side === 'x') b.vx = -b.vx;
          else b.vy = -b.vy;
        }
        if (brick.hp <= 0) breakBrick(brick);
        else g.sfx.play('hit');
        break;
      }
      bricks = bricks.filter((x) => x.hp > 0);
    }

    /** @param {any} brick */
    function breakBrick(brick) {
      broken++;
      g.addScore(10 * level * brick.maxHp);
      g.earn(t.brickValue * brick.maxHp * (1 + 0.25 * g.level('value')), brick.x + brick.w / 2, brick.y);
      g.particles.burst(brick.x + brick.w / 2, brick.y + brick.h / 2, {
        color: rowColor(brick.row),
        count: 10,
        speed: 150,
      });
      g.sfx.play('coin');
    }

    const rowColor = (/** @type {number} */ row) => mix(P.secondary, P.accent, (row % 5) / 4);

    /** @param {any} r */
    function render(r) {
      r.cached(0, 'dots', (/** @type {CanvasRenderingContext2D} */ ctx) => {
        ctx.fillStyle = mix(P.background, P.primary, 0.06);
        for (let x = 0; x < W; x += 32) for (let y = (x / 32) % 2 ? 0 : 16; y < H; y += 32) ctx.fillRect(x, y, 2, 2);
      });
      r.draw(10, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        for (const b of bricks) {
          ctx.fillStyle = mix(rowColor(b.row), P.background, 0.5 * (1 - b.hp / b.maxHp));
          ctx.fillRect(b.x, b.y, b.w, b.h);
          ctx.fillStyle = withAlpha(lighten(rowColor(b.row), 0.5), 0.5);
          ctx.fillRect(b.x, b.y, b.w, 4);
          if (b.maxHp > 1)
            drawSprite(ctx, g.sprite('enemy', P.text, 16, 'creature', b.row % 3), b.x + b.w / 2, b.y + b.h / 2, 16);
        }
      });
      r.draw(20, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        ctx.fillStyle = P.primary;
        ctx.beginPath();
        ctx.roundRect(paddle.x - paddle.w / 2, paddle.y - paddle.h / 2, paddle.w, paddle.h, 7);
        ctx.fill();
        drawSprite(ctx, g.sprite('player', P.primary, 24, 'ship'), paddle.x, paddle.y + 2, 24);
        for (const b of balls) {
          ctx.fillStyle = withAlpha(P.accent, 0.25);
          ctx.beginPath();
          ctx.arc(b.x - b.vx * 0.02, b.y - b.vy * 0.02, b.r, 0, Math.PI * 2);
          ctx.fill();
          ctx.fillStyle = P.accent;
          ctx.beginPath();
          ctx.arc(b.x, b.y, b.r, 0, Math.PI * 2);
          ctx.fill();
        }
        if (balls.some((b) => b.stuck))
          r.text(ctx, 'Space / tap to launch', W / 2, paddle.y - 40, {
            size: 14,
            color: withAlpha(P.text, 0.7),
            align: 'center',
          });
      });
    }

    g.bus.on('upgrade', (/** @type {string} */ id) => {
      if (id === 'lives') lives++;
    });

    return {
      reset() {
        level = 1;
        lives = t.lives + g.level('lives');
        broken = 0;
        paddle.x = W / 2;
        buildWall();
        serve();
      },
      update: step,
      render,
      hud: () => [
        { id: 'wave', label: 'Wall', value: `${level}/${t.waves}` },
        { id: 'lives', label: 'Balls', value: '●'.repeat(Math.max(0, lives)) || '—' },
      ],
      get state() {
        return {
          paddle: { x: paddle.x, w: paddle.w },
          balls: balls.length,
          launched: balls.some((b) => !b.stuck),
          ball: balls[0] ? { x: balls[0].x, y: balls[0].y } : null,
          bricks: bricks.length,
          level,
          waves: t.waves,
          lives,
          broken,
        };
      },
    };
  },
};
