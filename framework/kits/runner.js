// Runner kit: an endless side-scroller cut into levels. Jump over ground
// obstacles, under fliers, grab currency in arcs; each level runs faster.
import { boxesOverlap } from '../world/collision.js';
import { drawSprite } from '../render/sprites.js';
import { mix, withAlpha } from '../render/color.js';

/** @typedef {import('../world/entities.js').Entity & import('../world/collision.js').Box & Record<string, any>} Block */

const GROUND = 450;
const GRAVITY = 2200;
const HILL_TILE = 960;
/** Parallax bands: [scroll factor, shade, height]. */
const HILLS = [
  [0.2, 0.1, 160],
  [0.5, 0.2, 90],
];

/** @type {import('../kit.js').Kit} */
export const kit = {
  id: 'runner',
  create(g) {
    const t = g.tuning;
    const P = g.palette;
    const W = g.width;
    const H = g.height;
    const player = { x: 170, y: GROUND - 36, w: 30, h: 36, vy: 0, onGround: true, jumpsLeft: 1, hurt: 0 };
    let distance = 0;
    let levelStart = 0;
    let level = 1;
    let lives = 3;
    let spawnTimer = 1;
    let coinTimer = 0.5;
    let scroll = 0;
    let coins = 0;

    const speed = () => t.speed * (1 + 0.12 * (level - 1));
    const maxJumps = () => 1 + g.level('jumps');
    const magnet = () => 40 * g.level('magnet');
    const levelLength = () => t.levelLength;

    function jump() {
      if (player.jumpsLeft <= 0) return;
      player.vy = -t.jumpPower * (player.onGround ? 1 : 0.85);
      player.onGround = false;
      player.jumpsLeft--;
      g.particles.burst(player.x + player.w / 2, player.y + player.h, { color: P.primary, count: 6, speed: 80 });
      g.sfx.play('jump');
    }

    function spawnObstacle() {
      const flier = level >= 2 && g.rng.chance(0.3);
      const size = g.rng.int(26, 40 + level * 3);
      g.world.spawn(
        'obstacle',
        flier
          ? { x: W + 40, y: GROUND - 110 - g.rng.int(0, 30), w: 34, h: 28, flier: true, variant: 1 }
          : { x: W + 40, y: GROUND - size, w: size * 0.8, h: size, flier: false, variant: 0 },
      );
      const gap = t.gap * (1 - 0.06 * (level - 1));
      spawnTimer = g.rng.range(gap * 0.7, gap * 1.3) / (speed() / t.speed);
    }

    function spawnCoins() {
      // Coins come in short arcs, placed where a jump would take you.
      const n = g.rng.int(3, 6);
      const high = g.rng.chance(0.5);
      for (let i = 0; i < n; i++) {
        const arc = Math.sin((i / (n - 1)) * Math.PI);
        g.world.spawn('coin', {
          x: W + 30 + i * 34,
          y: GROUND - 40 - (high ? 90 : 30) * arc - (high ? 30 : 0),
          w: 18,
          h: 18,
        });
      }
      coinTimer = g.rng.range(1.2, 2.4);
    }

    /** @param {number} dt */
    function step(dt) {
      const v = speed();
      distance += v * dt;
      scroll += v * dt;
      if (g.input.wasPressed('action') || g.input.wasPressed('up') || g.input.pointer.pressed) jump();
      // Holding jump keeps you aloft a little longer: a light touch for a hop.
      const holding = g.input.isDown('action') || g.input.isDown('up') || g.input.pointer.down;
      player.vy += GRAVITY * (holding && player.vy < 0 ? 0.6 : 1) * dt;
      player.y += player.vy * dt;
      if (player.y >= GROUND - player.h) {
        player.y = GROUND - player.h;
        player.vy = 0;
        if (!player.onGround) player.jumpsLeft = maxJumps();
        player.onGround = true;
      }
      player.hurt = Math.max(0, player.hurt - dt);

      spawnTimer -= dt;
      if (spawnTimer <= 0) spawnObstacle();
      coinTimer -= dt;
      if (coinTimer <= 0) spawnCoins();

      for (const o of /** @type {Block[]} */ (g.world.all('obstacle'))) {
        o.x -= v * dt;
        if (o.x + o.w < -20) {
          g.world.kill(o);
          g.addScore(5 * level);
        } else if (player.hurt <= 0 && boxesOverlap(shrink(player, 5), shrink(o, 4))) {
          lives--;
          player.hurt = 1.2;
          g.renderer.shake(9, 0.3);
          g.sfx.play('hit');
          g.particles.burst(player.x + player.w / 2, player.y + player.h / 2, {
            color: P.secondary,
            count: 18,
            speed: 200,
          });
          if (lives <= 0) return g.lose();
        }
      }
      const cx = player.x + player.w / 2;
      const cy = player.y + player.h / 2;
      for (const c of /** @type {Block[]} */ (g.world.all('coin'))) {
        c.x -= v * dt;
        const d = Math.hypot(c.x + 9 - cx, c.y + 9 - cy);
        if (d < magnet() + 24) {
          c.x += ((cx - c.x - 9) / (d || 1)) * 500 * dt;
          c.y += ((cy - c.y - 9) / (d || 1)) * 500 * dt;
        }
        if (boxesOverlap(player, c)) {
          g.world.kill(c);
          coins++;
          g.earn(t.coinValue * (1 + 0.3 * g.level('value')) * (1 + 0.15 * (level - 1)), c.x, c.y);
          g.addScore(2 * level);
          g.sfx.play('coin');
        } else if (c.x < -30) g.world.kill(c);
      }
      g.addScore(v * dt * 0.01);
      if (distance - levelStart >= levelLength()) {
        g.earn(t.levelBonus * level, W / 2, H / 3);
        if (level >= t.waves) return g.win();
        level++;
        levelStart = distance;
        g.floatText(W / 2, H / 3 - 30, `Level ${level}: faster!`, P.accent);
      }
    }

    /** @param {{x: number, y: number, w: number, h: number}} b @param {number} n */
    const shrink = (b, n) => ({ x: b.x + n, y: b.y + n, w: b.w - 2 * n, h: b.h - 2 * n });

    /** @param {any} r */
    function render(r) {
      // Two parallax hill bands sell the speed. Each is a seamless tile painted
      // once and blitted at its own scroll offset.
      HILLS.forEach(([k, shade, height], band) => {
        r.cached(
          0,
          `hills-${band}`,
          (/** @type {CanvasRenderingContext2D} */ ctx) => {
            ctx.fillStyle = mix(P.background, P.primary, shade);
            ctx.beginPath();
            ctx.moveTo(0, GROUND);
            for (let x = 0; x <= HILL_TILE; x += 20)
              ctx.lineTo(
                x,
                GROUND -
                  height *
                    (0.55 +
                      0.3 * Math.sin((x / HILL_TILE) * Math.PI * 2 * 2) +
                      0.15 * Math.sin((x / HILL_TILE) * Math.PI * 2 * 7)),
              );
            ctx.lineTo(HILL_TILE, GROUND);
            ctx.fill();
          },
          -((scroll * k) % HILL_TILE),
          2,
        );
      });
      r.draw(0, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        ctx.fillStyle = mix(P.background, P.secondary, 0.35);
        ctx.fillRect(0, GROUND, W, H - GROUND);
        ctx.fillStyle = mix(P.background, P.secondary, 0.55);
        for (let x = -(scroll % 40); x < W; x += 40) ctx.fillRect(x, GROUND + 8, 20, 4);
      });
      r.draw(10, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        for (const c of g.world.all('coin'))
          drawSprite(ctx, g.sprite('currency', P.accent, 18, 'gem'), c.x + 9, c.y + 9, 18);
        for (const o of g.world.all('obstacle'))
          drawSprite(
            ctx,
            g.sprite('enemy', P.secondary, 32, o.flier ? 'ship' : 'creature', o.variant),
            o.x + o.w / 2,
            o.y + o.h / 2,
            Math.max(o.w, o.h) * 1.15,
          );
      });
      r.draw(20, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        if (player.hurt > 0 && Math.floor(player.hurt * 12) % 2) return;
        const tilt = player.onGround ? Math.sin(distance / 25) * 0.08 : Math.max(-0.4, Math.min(0.4, player.vy / 1500));
        drawSprite(
          ctx,
          g.sprite('player', P.primary, 32, 'creature'),
          player.x + player.w / 2,
          player.y + player.h / 2,
          42,
          tilt,
        );
      });
      r.drawScreen(30, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        const p = Math.min(1, (distance - levelStart) / levelLength());
        ctx.fillStyle = withAlpha(P.text, 0.15);
        ctx.fillRect(20, 16, W - 40, 6);
        ctx.fillStyle = P.accent;
        ctx.fillRect(20, 16, (W - 40) * p, 6);
      });
    }

    g.bus.on('upgrade', (/** @type {string} */ id) => {
      if (id === 'shield') lives++;
      if (id === 'jumps' && player.onGround) player.jumpsLeft = maxJumps();
    });

    return {
      reset() {
        Object.assign(player, { y: GROUND - player.h, vy: 0, onGround: true, jumpsLeft: maxJumps(), hurt: 0 });
        distance = levelStart = scroll = 0;
        level = 1;
        coins = 0;
        lives = t.lives + g.level('shield');
        spawnTimer = 1.5;
        coinTimer = 0.6;
      },
      update: step,
      render,
      hud: () => [
        { id: 'wave', label: 'Level', value: `${level}/${t.waves}` },
        { id: 'distance', label: 'Distance', value: `${Math.floor(distance / 10)} m` },
        { id: 'lives', label: 'Lives', value: '♥'.repeat(Math.max(0, lives)) || '—' },
      ],
      get state() {
        return {
          player: { x: player.x, y: player.y, vy: player.vy, onGround: player.onGround, jumpsLeft: player.jumpsLeft },
          distance,
          level,
          waves: t.waves,
          lives,
          coins,
          obstacles: g.world.count('obstacle'),
        };
      },
    };
  },
};
