// The starter of a `custom` game (plan.kit = "custom"): a small, complete kit written as a CLASSIC
// script that sets globalThis.GAME_KIT, loaded by dist/index.html before dist/game.js (the bundled
// shell boots GAME_KIT when it is set). Replace its rules with the game's own: it has no imports
// (everything comes through the kit context `g`, see framework/kit.js), currency and upgrades are
// optional, and it must keep the Kit contract (reset, update, render, hud, state).
// As shipped: move with WASD/arrows (or hold the pointer), collect sparks, dodge hunters that spawn
// in waves; Space dashes. Survive `waves` waves to win; lose every heart and the run is lost.
// Upgrades, if the config has any, apply by position: 1st = speed, 2nd = spark value, 3rd = a heart.

/** @type {import('../kit.js').Kit} */
globalThis.GAME_KIT = {
  id: 'custom',
  create(g) {
    const t = { waves: 5, waveSeconds: 14, hunterSpeed: 70, playerSpeed: 230, sparkValue: 2, hearts: 3, ...g.tuning };
    const P = g.palette;
    const [W, H] = [g.width, g.height];
    const ids = g.config.upgrades.map((u) => u.id);
    const level = (/** @type {number} */ i) => (ids[i] ? g.level(ids[i]) : 0);
    const player = { x: W / 2, y: H / 2, r: 14, hearts: 3, hurt: 0, dash: 0 };
    let wave = 1;
    let waveTime = 0;
    let spawnTimer = 0;
    let collected = 0;

    /** @param {string} tag @param {Record<string, number>} props */
    const spawnAtEdge = (tag, props) => {
      const side = g.rng.int(0, 3);
      const along = g.rng.next();
      const x = side === 0 ? -16 : side === 1 ? W + 16 : along * W;
      const y = side === 2 ? -16 : side === 3 ? H + 16 : along * H;
      g.world.spawn(tag, { x, y, ...props });
    };

    /** @param {number} dt */
    function update(dt) {
      const axis = g.input.axis();
      let [vx, vy] = [axis.x, axis.y];
      const ptr = g.input.pointer;
      if (ptr.down && Math.hypot(ptr.x - player.x, ptr.y - player.y) > 8)
        [vx, vy] = [ptr.x - player.x, ptr.y - player.y];
      const len = Math.hypot(vx, vy) || 1;
      if (g.input.wasPressed('action') && player.dash <= 0) player.dash = 1.2;
      const speed = t.playerSpeed * (1 + 0.12 * level(0)) * (player.dash > 0.9 ? 2.6 : 1);
      player.x = Math.max(player.r, Math.min(W - player.r, player.x + (vx / len) * speed * dt));
      player.y = Math.max(player.r, Math.min(H - player.r, player.y + (vy / len) * speed * dt));
      player.dash = Math.max(0, player.dash - dt);
      player.hurt = Math.max(0, player.hurt - dt);

      waveTime += dt;
      spawnTimer -= dt;
      if (spawnTimer <= 0) {
        spawnTimer = Math.max(0.35, 1.6 - wave * 0.2);
        spawnAtEdge('hunter', { r: 12, speed: t.hunterSpeed * (1 + 0.15 * (wave - 1)) });
        if (g.world.count('spark') < 6)
          g.world.spawn('spark', { x: g.rng.range(40, W - 40), y: g.rng.range(40, H - 40), r: 8 });
      }
      if (waveTime >= t.waveSeconds) {
        g.earn(5 * wave, W / 2, 60);
        if (wave >= t.waves) return g.win();
        wave++;
        waveTime = 0;
        g.floatText(W / 2, 80, `Wave ${wave}`, P.accent);
      }
      for (const h of g.world.all('hunter')) {
        const a = Math.atan2(player.y - h.y, player.x - h.x);
        h.x += Math.cos(a) * h.speed * dt;
        h.y += Math.sin(a) * h.speed * dt;
        if (player.hurt <= 0 && Math.hypot(h.x - player.x, h.y - player.y) < h.r + player.r) {
          g.world.kill(h);
          player.hearts--;
          player.hurt = 1;
          g.renderer.shake(8, 0.3);
          g.sfx.play('hit');
          if (player.hearts <= 0) return g.lose();
        }
      }
      for (const s of g.world.all('spark')) {
        if (Math.hypot(s.x - player.x, s.y - player.y) < s.r + player.r) {
          g.world.kill(s);
          collected++;
          g.addScore(10 * wave);
          g.earn(t.sparkValue * (1 + 0.5 * level(1)), s.x, s.y - 10);
          g.particles.burst(s.x, s.y, { color: P.accent, count: 10, speed: 120 });
          g.sfx.play('coin');
        }
      }
    }

    /** @param {import('../render/renderer.js').Renderer} r */
    function render(r) {
      r.draw(10, (ctx) => {
        ctx.fillStyle = P.accent;
        for (const s of g.world.all('spark')) ctx.fillRect(s.x - s.r, s.y - s.r, s.r * 2, s.r * 2);
        ctx.fillStyle = P.secondary;
        for (const h of g.world.all('hunter')) {
          ctx.beginPath();
          ctx.arc(h.x, h.y, h.r, 0, Math.PI * 2);
          ctx.fill();
        }
        if (player.hurt > 0 && Math.floor(player.hurt * 12) % 2) return;
        ctx.fillStyle = P.primary;
        ctx.beginPath();
        ctx.arc(player.x, player.y, player.r, 0, Math.PI * 2);
        ctx.fill();
      });
    }

    return {
      reset() {
        Object.assign(player, { x: W / 2, y: H / 2, hurt: 0, dash: 0, hearts: t.hearts + level(2) });
        [wave, waveTime, spawnTimer, collected] = [1, 0, 1, 0];
      },
      update,
      render,
      hud: () => [
        { id: 'wave', label: 'Wave', value: `${wave}/${t.waves}` },
        { id: 'hearts', label: g.names.player, value: '♥'.repeat(Math.max(0, player.hearts)) || '—' },
      ],
      get state() {
        return { player: { x: player.x, y: player.y, hearts: player.hearts }, wave, waves: t.waves, collected };
      },
    };
  },
};
