// Snake kit: steer a growing trail around a grid, eating currency and dodging
// the enemies that settle on the board as levels rise. Pace quickens per level.
import { drawSprite } from '../render/sprites.js';
import { mix, withAlpha } from '../render/color.js';

const CELL = 30;
const DIRS = { up: [0, -1], down: [0, 1], left: [-1, 0], right: [1, 0] };

/** @type {import('../kit.js').Kit} */
export const kit = {
  id: 'snake',
  create(g) {
    const t = g.tuning;
    const P = g.palette;
    const COLS = Math.floor(g.width / CELL);
    const ROWS = Math.floor(g.height / CELL);
    /** @type {Array<{x: number, y: number}>} */
    let body = [];
    let dir = [1, 0];
    /** @type {Array<[number, number]>} */
    let queued = [];
    let grow = 0;
    let timer = 0;
    let level = 1;
    let eatenThisLevel = 0;
    let shields = 0;
    let eaten = 0;
    /** @type {Array<{x: number, y: number, golden: boolean}>} */
    let food = [];
    /** @type {Array<{x: number, y: number, variant: number}>} */
    let rocks = [];

    const stepTime = () => t.stepTime * 0.92 ** (level - 1) * (1 + 0.1 * g.level('slow'));
    const foodCount = () => 1 + g.level('feast');
    const occupied = (/** @type {number} */ x, /** @type {number} */ y) =>
      body.some((s) => s.x === x && s.y === y) ||
      rocks.some((r) => r.x === x && r.y === y) ||
      food.some((f) => f.x === x && f.y === y);

    function freeCell() {
      for (let i = 0; i < 200; i++) {
        const x = g.rng.int(1, COLS - 2);
        const y = g.rng.int(1, ROWS - 2);
        // Keep the cells right in front of the head clear so nothing spawns into the player's face.
        if (!occupied(x, y) && Math.abs(x - body[0].x) + Math.abs(y - body[0].y) > 3) return { x, y };
      }
      return null;
    }

    function refillFood() {
      while (food.length < foodCount()) {
        const c = freeCell();
        if (!c) break;
        food.push({ ...c, golden: g.rng.chance(0.12) });
      }
    }

    function startLevel() {
      eatenThisLevel = 0;
      shields = g.level('shield');
      rocks = [];
      for (let i = 0; i < (level - 1) * t.rocksPerLevel; i++) {
        const c = freeCell();
        if (c) rocks.push({ ...c, variant: i % 3 });
      }
      refillFood();
    }

    /** @param {[number, number]} d */
    function turn(d) {
      const last = queued.length ? queued[queued.length - 1] : dir;
      // No reversing into your own neck; the queue keeps quick double-turns.
      if (d[0] === -last[0] && d[1] === -last[1]) return;
      if (d[0] === last[0] && d[1] === last[1]) return;
      if (queued.length < 3) queued.push(d);
    }

    function readControls() {
      for (const [name, d] of Object.entries(DIRS))
        if (g.input.wasPressed(name)) turn(/** @type {[number, number]} */ (d));
      const swipe = g.input.swipe();
      if (swipe) turn(/** @type {[number, number]} */ (DIRS[swipe]));
      const ptr = g.input.pointer;
      if (ptr.pressed && !swipe) {
        // A tap turns toward the tap, relative to the head: playable with one thumb.
        const hx = (body[0].x + 0.5) * CELL;
        const hy = (body[0].y + 0.5) * CELL;
        const dx = ptr.x - hx;
        const dy = ptr.y - hy;
        if (dir[0] !== 0) turn(dy < 0 ? [0, -1] : [0, 1]);
        else turn(dx < 0 ? [-1, 0] : [1, 0]);
      }
    }

    function advance() {
      if (queued.length) dir = /** @type {[number, number]} */ (queued.shift());
      const head = body[0];
      let nx = head.x + dir[0];
      let ny = head.y + dir[1];
      const wall = nx < 0 || ny < 0 || nx >= COLS || ny >= ROWS;
      const hitSelf = body.slice(0, -1).some((s) => s.x === nx && s.y === ny);
      const rock = rocks.find((r) => r.x === nx && r.y === ny);
      if (wall || hitSelf || rock) {
        if (shields <= 0) return g.lose();
        // A shield absorbs the crash: walls wrap, obstacles are smashed.
        shields--;
        g.renderer.shake(6, 0.2);
        g.sfx.play('hit');
        nx = (nx + COLS) % COLS;
        ny = (ny + ROWS) % ROWS;
        if (rock) rocks = rocks.filter((r) => r !== rock);
        g.particles.burst((nx + 0.5) * CELL, (ny + 0.5) * CELL, { color: P.secondary, count: 16, speed: 160 });
      }
      body.unshift({ x: nx, y: ny });
      if (grow > 0) grow--;
      else body.pop();
      const reach = g.level('magnet') > 0 ? 1 : 0;
      for (const f of food) {
        if (Math.abs(f.x - nx) <= reach && Math.abs(f.y - ny) <= reach && (reach || (f.x === nx && f.y === ny))) eat(f);
      }
      food = food.filter((f) => !(/** @type {any} */ (f).eaten));
      refillFood();
    }

    /** @param {any} f */
    function eat(f) {
      f.eaten = true;
      eaten++;
      eatenThisLevel++;
      grow += 1;
      const value = t.foodValue * (f.golden ? 5 : 1) * (1 + 0.3 * g.level('value')) * (1 + 0.1 * (level - 1));
      g.addScore(10 * level * (f.golden ? 5 : 1));
      g.earn(value, (f.x + 0.5) * CELL, f.y * CELL);
      g.particles.burst((f.x + 0.5) * CELL, (f.y + 0.5) * CELL, { color: P.accent, count: 10, speed: 120 });
      g.sfx.play('coin');
      if (eatenThisLevel >= t.foodPerLevel) {
        g.earn(t.levelBonus * level, g.width / 2, g.height / 2);
        if (level >= t.waves) return g.win();
        level++;
        g.floatText(g.width / 2, g.height / 2 - 30, `Level ${level}`, P.accent);
        startLevel();
      }
    }

    /** @param {any} r */
    function render(r) {
      r.cached(0, 'board', (/** @type {CanvasRenderingContext2D} */ ctx) => {
        ctx.fillStyle = mix(P.background, P.primary, 0.08);
        for (let x = 0; x < COLS; x++)
          for (let y = 0; y < ROWS; y++) if ((x + y) % 2) ctx.fillRect(x * CELL, y * CELL, CELL, CELL);
        // A bright rim: the walls are deadly, so they must be obvious.
        ctx.strokeStyle = mix(P.background, P.secondary, 0.7);
        ctx.lineWidth = 4;
        ctx.strokeRect(2, 2, COLS * CELL - 4, ROWS * CELL - 4);
      });
      r.draw(10, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        for (const rock of rocks)
          drawSprite(
            ctx,
            g.sprite('enemy', P.secondary, 30, 'creature', rock.variant),
            (rock.x + 0.5) * CELL,
            (rock.y + 0.5) * CELL,
            CELL,
          );
        for (const f of food)
          drawSprite(
            ctx,
            g.sprite('currency', f.golden ? P.text : P.accent, 24, 'gem'),
            (f.x + 0.5) * CELL,
            (f.y + 0.5) * CELL,
            f.golden ? 26 : 22,
          );
      });
      r.draw(20, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        body.forEach((s, i) => {
          ctx.fillStyle = mix(P.primary, P.background, Math.min(0.6, i / (body.length + 6)));
          ctx.fillRect(s.x * CELL + 2, s.y * CELL + 2, CELL - 4, CELL - 4);
        });
        const h = body[0];
        if (h)
          drawSprite(
            ctx,
            g.sprite('player', P.primary, 30, 'creature'),
            (h.x + 0.5) * CELL,
            (h.y + 0.5) * CELL,
            CELL + 4,
            Math.atan2(dir[1], dir[0]) + Math.PI / 2,
          );
        if (h && shields > 0) {
          ctx.strokeStyle = withAlpha(P.accent, 0.8);
          ctx.lineWidth = 3;
          ctx.beginPath();
          ctx.arc((h.x + 0.5) * CELL, (h.y + 0.5) * CELL, CELL * 0.8, 0, Math.PI * 2);
          ctx.stroke();
        }
      });
    }

    g.bus.on('upgrade', (/** @type {string} */ id) => {
      if (id === 'shield') shields++;
      if (id === 'feast') refillFood();
    });

    return {
      reset() {
        level = 1;
        eaten = 0;
        const y = Math.floor(ROWS / 2);
        body = [
          { x: 6, y },
          { x: 5, y },
          { x: 4, y },
        ];
        dir = [1, 0];
        queued = [];
        grow = 0;
        timer = 0;
        food = [];
        startLevel();
      },
      /** @param {number} dt */
      update(dt) {
        readControls();
        timer += dt;
        // One move per simulation step at most: a move can end the run.
        if (timer >= stepTime()) {
          timer -= stepTime();
          advance();
        }
      },
      render,
      hud: () => [
        { id: 'wave', label: 'Level', value: `${level}/${t.waves}` },
        { id: 'goal', label: 'Eaten', value: `${eatenThisLevel}/${t.foodPerLevel}` },
        { id: 'shield', label: 'Shields', value: String(shields) },
      ],
      get state() {
        return {
          head: body[0] ? { ...body[0] } : null,
          dir: [...dir],
          length: body.length,
          food: food.map((f) => ({ x: f.x, y: f.y })),
          rocks: rocks.length,
          level,
          waves: t.waves,
          eaten,
          shields,
          cols: COLS,
          rows: ROWS,
          cell: CELL,
        };
      },
    };
  },
};
