// Tower defense kit: enemies march along a seeded path; the player places
// towers beside it. Kills pay currency for more towers and upgrades; leaks cost
// lives. Waves grow in number and health, ending with a boss.
import { createWaves } from '../world/waves.js';
import { drawSprite } from '../render/sprites.js';
import { mix, withAlpha } from '../render/color.js';

const CELL = 40;
const COLS = 24;
const ROWS = 13;
const TOP = 10;

/** @type {import('../kit.js').Kit} */
export const kit = {
  id: 'tower-defense',
  create(g) {
    const t = g.tuning;
    const P = g.palette;
    // The path is fixed per game (seeded), so players can learn it across runs.
    const path = makePath(g.rng.fork('path'));
    const onPath = new Set(path.map((c) => `${c.x},${c.y}`));
    const waypoints = path.map((c) => ({ x: c.x * CELL + CELL / 2, y: TOP + c.y * CELL + CELL / 2 }));
    /** @type {Array<{cx: number, cy: number, x: number, y: number, cooldown: number, beam: number, tx: number, ty: number}>} */
    let towers = [];
    const cursor = { x: 3, y: 2 };
    let lives = 10;
    let built = 0;
    let leaks = 0;

    const range = () => t.range * (1 + 0.15 * g.level('range'));
    const fireDelay = () => t.fireDelay / (1 + 0.25 * g.level('rate'));
    const damage = () => t.damage * (1 + 0.5 * g.level('damage'));
    const towerCost = () => Math.ceil(t.towerCost * 1.3 ** Math.max(0, built - t.freeTowers));
    const nextIsFree = () => built < t.freeTowers;

    const waves = createWaves({
      total: t.waves,
      count: (n) => t.baseCreeps + n * 2,
      spacing: (n) => Math.max(0.35, 1 - n * 0.04),
      breather: 4,
      onSpawn: (n, i) => {
        const boss = n === t.waves && i === 0;
        const hp = t.creepHp * 1.28 ** (n - 1) * (boss ? 15 : 1);
        g.world.spawn('creep', {
          x: waypoints[0].x - CELL,
          y: waypoints[0].y,
          next: 0,
          hp,
          maxHp: hp,
          boss,
          speed: t.creepSpeed * (1 + 0.04 * (n - 1)) * (boss ? 0.6 : 1),
          slow: 0,
          travelled: 0,
        });
      },
      onWaveStart: (n) => g.floatText(g.width / 2, 50, `Wave ${n}`, P.accent),
      onWaveCleared: (n) => {
        g.earn(t.waveBonus * n, g.width / 2, 80);
        if (n >= t.waves) g.win();
      },
    });

    /** @param {number} cx @param {number} cy */
    function canBuild(cx, cy) {
      return (
        cx >= 0 &&
        cy >= 0 &&
        cx < COLS &&
        cy < ROWS &&
        !onPath.has(`${cx},${cy}`) &&
        !towers.some((tw) => tw.cx === cx && tw.cy === cy)
      );
    }

    /** @param {number} cx @param {number} cy */
    function build(cx, cy) {
      if (!canBuild(cx, cy)) return false;
      if (!nextIsFree() && !g.wallet.spend(towerCost())) {
        g.floatText(cx * CELL + CELL / 2, TOP + cy * CELL, `need ${towerCost()}`, P.secondary);
        return false;
      }
      built++;
      towers.push({
        cx,
        cy,
        x: cx * CELL + CELL / 2,
        y: TOP + cy * CELL + CELL / 2,
        cooldown: 0,
        beam: 0,
        tx: 0,
        ty: 0,
      });
      g.particles.burst(cx * CELL + CELL / 2, TOP + cy * CELL + CELL / 2, { color: P.primary, count: 12, speed: 100 });
      g.sfx.play('upgrade');
      return true;
    }

    /** @param {number} dt */
    function step(dt) {
      const ptr = g.input.pointer;
      if (ptr.active) {
        cursor.x = Math.max(0, Math.min(COLS - 1, Math.floor(ptr.x / CELL)));
        cursor.y = Math.max(0, Math.min(ROWS - 1, Math.floor((ptr.y - TOP) / CELL)));
      }
      if (g.input.wasPressed('left')) cursor.x = Math.max(0, cursor.x - 1);
      if (g.input.wasPressed('right')) cursor.x = Math.min(COLS - 1, cursor.x + 1);
      if (g.input.wasPressed('up')) cursor.y = Math.max(0, cursor.y - 1);
      if (g.input.wasPressed('down')) cursor.y = Math.min(ROWS - 1, cursor.y + 1);
      if (ptr.pressed || g.input.wasPressed('action')) build(cursor.x, cursor.y);
      if (g.input.wasPressed('alt') || g.input.wasPressed('confirm')) waves.skipBreather();

      for (const c of g.world.all('creep')) {
        const target = waypoints[c.next];
        const sp = c.speed * (c.slow > 0 ? 0.6 : 1);
        c.slow = Math.max(0, c.slow - dt);
        const dx = target.x - c.x;
        const dy = target.y - c.y;
        const d = Math.hypot(dx, dy);
        if (d <= sp * dt) {
          c.x = target.x;
          c.y = target.y;
          c.next++;
          if (c.next >= waypoints.length) {
            g.world.kill(c);
            leaks++;
            lives -= c.boss ? 5 : 1;
            g.renderer.shake(7, 0.3);
            g.sfx.play('hit');
            if (lives <= 0) return g.lose();
          }
        } else {
          c.x += (dx / d) * sp * dt;
          c.y += (dy / d) * sp * dt;
        }
        c.travelled += sp * dt;
      }
      const creeps = g.world.all('creep');
      for (const tw of towers) {
        tw.cooldown -= dt;
        tw.beam = Math.max(0, tw.beam - dt);
        if (tw.cooldown > 0) continue;
        // Shoot the enemy furthest along the path: the most dangerous one.
        let best = null;
        for (const c of creeps)
          if (!c.dead && Math.hypot(c.x - tw.x, c.y - tw.y) <= range() && (!best || c.travelled > best.travelled))
            best = c;
        if (!best) continue;
        tw.cooldown = fireDelay();
        tw.beam = 0.08;
        tw.tx = best.x;
        tw.ty = best.y;
        best.hp -= damage();
        if (g.level('slow')) best.slow = 0.4 * g.level('slow');
        g.sfx.play('shoot');
        if (best.hp <= 0) {
          g.world.kill(best);
          g.addScore(10 * waves.wave * (best.boss ? 20 : 1));
          g.earn(
            t.bounty * (1 + 0.25 * g.level('bounty')) * (best.boss ? 20 : 1) * (1 + 0.1 * waves.wave),
            best.x,
            best.y - 12,
          );
          g.particles.burst(best.x, best.y, { color: P.secondary, count: best.boss ? 50 : 12, speed: 160 });
          g.sfx.play('explode');
        }
      }
      waves.update(dt, g.world.count('creep'));
    }

    /** @param {any} r */
    function render(r) {
      r.cached(0, 'map', (/** @type {CanvasRenderingContext2D} */ ctx) => {
        for (let x = 0; x < COLS; x++)
          for (let y = 0; y < ROWS; y++) {
            ctx.fillStyle = onPath.has(`${x},${y}`)
              ? mix(P.background, P.secondary, 0.22)
              : mix(P.background, P.primary, (x + y) % 2 ? 0.05 : 0.09);
            ctx.fillRect(x * CELL, TOP + y * CELL, CELL, CELL);
          }
      });
      r.draw(1, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        const ok = canBuild(cursor.x, cursor.y);
        ctx.strokeStyle = ok ? P.accent : withAlpha(P.secondary, 0.8);
        ctx.lineWidth = 2;
        ctx.strokeRect(cursor.x * CELL + 2, TOP + cursor.y * CELL + 2, CELL - 4, CELL - 4);
        if (ok) {
          ctx.strokeStyle = withAlpha(P.accent, 0.25);
          ctx.beginPath();
          ctx.arc(cursor.x * CELL + CELL / 2, TOP + cursor.y * CELL + CELL / 2, range(), 0, Math.PI * 2);
          ctx.stroke();
        }
      });
      r.draw(10, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        for (const tw of towers) {
          ctx.fillStyle = mix(P.background, P.primary, 0.4);
          ctx.fillRect(tw.x - 16, tw.y - 16, 32, 32);
          drawSprite(ctx, g.sprite('player', P.primary, 32, 'ship'), tw.x, tw.y, 30);
          if (tw.beam > 0) {
            ctx.strokeStyle = P.accent;
            ctx.lineWidth = 3;
            ctx.beginPath();
            ctx.moveTo(tw.x, tw.y);
            ctx.lineTo(tw.tx, tw.ty);
            ctx.stroke();
          }
        }
      });
      r.draw(20, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        for (const c of g.world.all('creep')) {
          const size = c.boss ? 44 : 28;
          drawSprite(
            ctx,
            g.sprite('enemy', c.slow > 0 ? mix(P.secondary, P.text, 0.5) : P.secondary, 32, 'creature', c.boss ? 2 : 0),
            c.x,
            c.y,
            size,
          );
          ctx.fillStyle = withAlpha(P.text, 0.7);
          ctx.fillRect(c.x - size / 2, c.y - size / 2 - 6, (size * Math.max(0, c.hp)) / c.maxHp, 3);
        }
      });
      r.drawScreen(30, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        const label = nextIsFree()
          ? `Next ${g.names.player}: free (${t.freeTowers - built} left)`
          : `Next ${g.names.player}: ${towerCost()} ${g.names.currency}`;
        r.text(ctx, label, 10, g.height - 8, { size: 13, color: P.text, outline: P.background });
        if (waves.remaining === 0 && !waves.finished && g.world.count('creep') === 0)
          r.text(ctx, 'Shift / Enter: call the next wave now', g.width - 10, g.height - 8, {
            size: 13,
            color: P.text,
            align: 'right',
            outline: P.background,
          });
      });
    }

    return {
      reset() {
        towers = [];
        built = 0;
        leaks = 0;
        lives = t.lives;
        waves.reset();
      },
      update: step,
      render,
      hud: () => [
        { id: 'wave', label: 'Wave', value: `${Math.max(1, waves.wave)}/${t.waves}` },
        { id: 'lives', label: 'Lives', value: String(Math.max(0, lives)) },
        { id: 'towers', label: g.names.player, value: String(towers.length) },
      ],
      get state() {
        const free = [];
        for (let y = 0; y < ROWS && free.length < 40; y++)
          for (let x = 0; x < COLS; x++)
            if (canBuild(x, y) && path.some((p) => Math.abs(p.x - x) + Math.abs(p.y - y) === 1))
              free.push({ x: x * CELL + CELL / 2, y: TOP + y * CELL + CELL / 2 });
        return {
          towers: towers.length,
          cursor: { ...cursor },
          lives,
          leaks,
          wave: waves.wave,
          waves: t.waves,
          creeps: g.world.count('creep'),
          pathLength: path.length,
          buildSpots: free,
          towerCost: nextIsFree() ? 0 : towerCost(),
        };
      },
    };
  },
};

/** A left-to-right path that wanders up and down. @param {any} rng */
function makePath(rng) {
  /** @type {Array<{x: number, y: number}>} */
  const cells = [];
  let y = rng.int(2, ROWS - 3);
  for (let x = 0; x < COLS; x++) {
    cells.push({ x, y });
    if (x > 1 && x < COLS - 2 && x % 3 === 0 && rng.chance(0.8)) {
      const target = rng.int(1, ROWS - 2);
      while (y !== target) {
        y += target > y ? 1 : -1;
        cells.push({ x, y });
      }
    }
  }
  return cells;
}
