// Idle kit: a living little world around a home base. Resource nodes sprout,
// workers walk out to harvest them on their own, and the player taps nodes for
// an instant yield. Pests creep toward the base in waves; tap to squash them.
// Each "age" needs more currency; reaching the last age wins, losing the base loses.
// The rules live here; how the world is drawn is idle/draw.js.
import { drawIdle } from './idle/draw.js';

/** @type {import('../kit.js').Kit} */
export const kit = {
  id: 'idle',
  create(g) {
    const t = g.tuning;
    const P = g.palette;
    const W = g.width;
    const H = g.height;
    const base = { x: W / 2, y: H / 2, r: 34, hp: 10, maxHp: 10, zap: 0 };
    const cursor = { x: W / 2 + 120, y: H / 2 };
    let age = 1;
    let ageEarned = 0;
    let pestTimer = 0;
    let nodeTimer = 0;
    let taps = 0;

    const ageTarget = () => Math.round(t.ageTarget * t.ageGrowth ** (age - 1));
    const tapYield = () => t.tapYield * (1 + 0.5 * g.level('tap')) * (1 + 0.2 * (age - 1));
    const workerCount = () => t.workers + g.level('workers');
    const workerSpeed = () => t.workerSpeed * (1 + 0.2 * g.level('haste'));

    /** @param {number} n */
    function earn(n, /** @type {number} */ x, /** @type {number} */ y) {
      const got = g.earn(n, x, y);
      ageEarned += got;
      g.addScore(got);
      if (ageEarned >= ageTarget()) {
        if (age >= t.waves) return g.win();
        age++;
        ageEarned = 0;
        g.floatText(W / 2, 40, `Age ${age}`, P.accent);
        g.particles.burst(base.x, base.y, { color: P.accent, count: 40, speed: 220 });
      }
    }

    function spawnNode() {
      const a = g.rng.range(0, Math.PI * 2);
      const d = g.rng.range(110, 240);
      g.world.spawn('node', {
        x: W / 2 + Math.cos(a) * d * 1.6,
        y: H / 2 + Math.sin(a) * d * 0.85,
        r: 16,
        amount: t.nodeSize * (1 + 0.3 * (age - 1)),
        grow: 0,
        variant: g.rng.int(0, 2),
      });
    }

    function syncWorkers() {
      while (g.world.count('worker') < workerCount())
        g.world.spawn('worker', { x: base.x, y: base.y, target: null, carry: 0, phase: g.rng.range(0, 6) });
    }

    function spawnPest() {
      const a = g.rng.range(0, Math.PI * 2);
      const hp = t.pestHp * (1 + 0.35 * (age - 1));
      g.world.spawn('pest', {
        x: W / 2 + Math.cos(a) * 560,
        y: H / 2 + Math.sin(a) * 330,
        r: 14,
        hp,
        maxHp: hp,
        speed: t.pestSpeed * (1 + 0.08 * (age - 1)),
      });
    }

    /** Tap or Space at a point: squash a pest there, else harvest a node. @param {number} x @param {number} y */
    function poke(x, y) {
      taps++;
      for (const p of g.world.all('pest')) {
        if (Math.hypot(p.x - x, p.y - y) < p.r + 22) {
          p.hp -= 1 + g.level('tap');
          g.particles.burst(p.x, p.y, { color: P.secondary, count: 8, speed: 120 });
          if (p.hp <= 0) squash(p);
          return;
        }
      }
      let best = null;
      for (const n of g.world.all('node'))
        if (Math.hypot(n.x - x, n.y - y) < n.r + 30 && (!best || n.amount > best.amount)) best = n;
      const target = best ?? base;
      if (Math.hypot(target.x - x, target.y - y) > 70) return;
      if (best) {
        const take = Math.min(best.amount, tapYield());
        best.amount -= take;
        if (best.amount <= 0.01) g.world.kill(best);
        earn(take, best.x, best.y - 18);
      } else earn(tapYield() * 0.5, base.x, base.y - 40);
      g.particles.burst(target.x, target.y, { color: P.accent, count: 8, speed: 110 });
      g.sfx.play('coin');
    }

    /** @param {any} p */
    function squash(p) {
      g.world.kill(p);
      g.addScore(20 * age);
      earn(t.pestBounty * age, p.x, p.y - 14);
      g.sfx.play('explode');
    }

    /** @param {number} dt */
    function step(dt) {
      syncWorkers();
      const ptr = g.input.pointer;
      const axis = g.input.axis();
      cursor.x = Math.max(0, Math.min(W, cursor.x + axis.x * 380 * dt));
      cursor.y = Math.max(0, Math.min(H, cursor.y + axis.y * 380 * dt));
      if (ptr.pressed) {
        cursor.x = ptr.x;
        cursor.y = ptr.y;
        poke(ptr.x, ptr.y);
      }
      if (g.input.wasPressed('action')) poke(cursor.x, cursor.y);

      nodeTimer -= dt;
      if (nodeTimer <= 0 && g.world.count('node') < t.maxNodes + age) {
        spawnNode();
        nodeTimer = t.nodeInterval;
      }
      for (const n of g.world.all('node')) n.grow = Math.min(1, n.grow + dt * 2);

      for (const w of g.world.all('worker')) {
        w.phase += dt * 8;
        if (!w.target || w.target.dead) {
          w.target = w.carry > 0 ? base : nearestNode(w);
          if (!w.target) w.target = base;
        }
        const dx = w.target.x - w.x;
        const dy = w.target.y - w.y;
        const d = Math.hypot(dx, dy);
        if (d < 12) {
          if (w.target === base) {
            if (w.carry > 0) earn(w.carry, base.x + g.rng.range(-20, 20), base.y - 30);
            w.carry = 0;
            w.target = null;
          } else {
            const take = Math.min(w.target.amount, t.workerLoad * (1 + 0.5 * g.level('yield')));
            w.target.amount -= take;
            w.carry = take;
            if (w.target.amount <= 0.01) g.world.kill(w.target);
            w.target = base;
          }
        } else {
          w.x += (dx / d) * workerSpeed() * dt;
          w.y += (dy / d) * workerSpeed() * dt;
        }
      }

      pestTimer -= dt;
      if (pestTimer <= 0) {
        const n = 1 + Math.floor(age / 2);
        for (let i = 0; i < n; i++) spawnPest();
        pestTimer = t.pestInterval * 0.9 ** (age - 1);
      }
      base.zap -= dt;
      for (const p of g.world.all('pest')) {
        const dx = base.x - p.x;
        const dy = base.y - p.y;
        const d = Math.hypot(dx, dy);
        p.x += (dx / d) * p.speed * dt;
        p.y += (dy / d) * p.speed * dt;
        if (d < base.r + p.r) {
          g.world.kill(p);
          base.hp -= 1;
          g.renderer.shake(7, 0.3);
          g.sfx.play('hit');
          if (base.hp <= 0) return g.lose();
        }
      }
      // The ward upgrade zaps the nearest pest on a timer: the base defends itself.
      if (g.level('ward') && base.zap <= 0) {
        const near = g.world
          .all('pest')
          .filter((p) => Math.hypot(p.x - base.x, p.y - base.y) < 220)
          .sort((a, b) => Math.hypot(a.x - base.x, a.y - base.y) - Math.hypot(b.x - base.x, b.y - base.y))[0];
        if (near) {
          near.hp -= 1;
          near.zapped = 0.1;
          base.zap = 1.6 / g.level('ward');
          if (near.hp <= 0) squash(near);
        }
      }
    }

    /** @param {any} w */
    function nearestNode(w) {
      let best = null;
      let bestD = Infinity;
      for (const n of g.world.all('node')) {
        const d = Math.hypot(n.x - w.x, n.y - w.y);
        if (d < bestD) (best = n), (bestD = d);
      }
      return best;
    }

    /** @param {any} r */
    function render(r) {
      drawIdle(r, g, { age, base, cursor, progress: Math.min(1, ageEarned / ageTarget()) });
    }

    g.bus.on('upgrade', (/** @type {string} */ id) => {
      if (id === 'walls') (base.maxHp += 3), (base.hp += 3);
    });

    return {
      reset() {
        age = 1;
        ageEarned = 0;
        taps = 0;
        base.maxHp = t.baseHp + 3 * g.level('walls');
        base.hp = base.maxHp;
        pestTimer = t.pestInterval;
        nodeTimer = 0;
        for (let i = 0; i < 3; i++) spawnNode();
        syncWorkers();
      },
      update: step,
      render,
      hud: () => [
        { id: 'wave', label: 'Age', value: `${age}/${t.waves}` },
        { id: 'goal', label: 'Next age', value: `${g.format(Math.floor(ageEarned))}/${g.format(ageTarget())}` },
        { id: 'lives', label: g.names.player, value: `${Math.max(0, base.hp)}/${base.maxHp}` },
      ],
      get state() {
        return {
          base: { x: base.x, y: base.y, hp: base.hp, maxHp: base.maxHp },
          cursor: { ...cursor },
          nodes: g.world.all('node').map((n) => ({ x: n.x, y: n.y, amount: n.amount })),
          pests: g.world.all('pest').map((p) => ({ x: p.x, y: p.y })),
          workers: g.world.count('worker'),
          age,
          waves: t.waves,
          ageEarned,
          ageTarget: ageTarget(),
          taps,
        };
      },
    };
  },
};
