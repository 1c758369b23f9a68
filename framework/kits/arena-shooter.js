// Arena shooter kit: survive waves of chasers in a walled arena. The ship
// auto-fires at the nearest enemy; the player steers, dodges, collects the
// currency enemies drop and fires a shockwave on a cooldown.
import { createWaves } from '../world/waves.js';
import { circlesOverlap, nearest } from '../world/collision.js';
import { drawSprite } from '../render/sprites.js';
import { mix, withAlpha } from '../render/color.js';

/** @typedef {import('../world/entities.js').Entity & import('../world/collision.js').Circle & Record<string, any>} Body */

/** @type {import('../kit.js').Kit} */
export const kit = {
  id: 'arena-shooter',
  create(g) {
    const t = g.tuning;
    const P = g.palette;
    const W = g.width;
    const H = g.height;
    const player = { x: W / 2, y: H / 2, r: 14, hp: 3, maxHp: 3, hurt: 0, aim: 0, fireTimer: 0, pulse: 0 };
    let pulseRing = 0;
    let kills = 0;

    const fireInterval = () => t.fireInterval / (1 + 0.3 * g.level('fire-rate'));
    const damage = () => t.bulletDamage * (1 + 0.5 * g.level('damage'));
    const magnetRadius = () => 60 + 45 * g.level('magnet');
    const moveSpeed = () => t.playerSpeed * (1 + 0.12 * g.level('speed'));

    const waves = createWaves({
      total: t.waves,
      count: (n) => t.baseEnemies + n * t.enemiesPerWave,
      spacing: (n) => Math.max(0.2, 1.1 - n * 0.06),
      breather: 2.5,
      onSpawn: (n, i) => spawnEnemy(n, i),
      onWaveStart: (n) => g.floatText(W / 2, 60, `Wave ${n}`, P.accent),
      onWaveCleared: (n) => {
        g.earn(t.waveBonus * n, W / 2, 90);
        if (n >= t.waves) g.win();
      },
    });

    /** @param {number} wave @param {number} index */
    function spawnEnemy(wave, index) {
      const side = g.rng.int(0, 3);
      const along = g.rng.next();
      const x = side === 0 ? -20 : side === 1 ? W + 20 : along * W;
      const y = side === 2 ? -20 : side === 3 ? H + 20 : along * H;
      const boss = wave === t.waves && index === 0;
      const brute = !boss && wave >= 3 && index % 5 === 4;
      const hp = t.enemyHp * (1 + 0.3 * (wave - 1)) * (boss ? 25 : brute ? 3 : 1);
      g.world.spawn('enemy', {
        x,
        y,
        hp,
        maxHp: hp,
        boss,
        r: boss ? 34 : brute ? 20 : 13,
        speed: t.enemySpeed * (1 + 0.05 * (wave - 1)) * (boss ? 0.6 : brute ? 0.75 : 1) * g.rng.range(0.85, 1.15),
        variant: boss ? 2 : brute ? 1 : 0,
        flash: 0,
      });
    }

    function fire() {
      const target = nearest(player, g.world.all('enemy'));
      if (!target) return;
      player.aim = Math.atan2(target.y - player.y, target.x - player.x);
      const shots = 1 + g.level('multishot');
      for (let i = 0; i < shots; i++) {
        const a = player.aim + (i - (shots - 1) / 2) * 0.16;
        g.world.spawn('bullet', {
          x: player.x,
          y: player.y,
          vx: Math.cos(a) * 560,
          vy: Math.sin(a) * 560,
          r: 4,
          life: 1.2,
        });
      }
      g.sfx.play('shoot');
    }

    function shockwave() {
      if (player.pulse > 0) return;
      player.pulse = t.pulseCooldown;
      pulseRing = 0.01;
      g.renderer.shake(6, 0.25);
      for (const e of g.world.all('enemy')) {
        if (Math.hypot(e.x - player.x, e.y - player.y) < 150) hurtEnemy(e, damage() * 3);
      }
    }

    /** @param {any} e @param {number} amount */
    function hurtEnemy(e, amount) {
      e.hp -= amount;
      e.flash = 0.08;
      if (e.hp > 0) return;
      g.world.kill(e);
      kills++;
      g.addScore(10 * waves.wave * (e.boss ? 20 : 1));
      g.particles.burst(e.x, e.y, { color: P.secondary, count: e.boss ? 60 : 14, speed: 180 });
      g.sfx.play('explode');
      const drops = e.boss ? 12 : e.variant === 1 ? 3 : 1;
      for (let i = 0; i < drops; i++)
        g.world.spawn('gem', {
          x: e.x + g.rng.range(-12, 12),
          y: e.y + g.rng.range(-12, 12),
          r: 7,
          value: t.gemValue * (1 + 0.15 * waves.wave),
        });
    }

    function step(/** @type {number} */ dt) {
      const axis = g.input.axis();
      let vx = axis.x;
      let vy = axis.y;
      const ptr = g.input.pointer;
      if (ptr.down) {
        const dx = ptr.x - player.x;
        const dy = ptr.y - player.y;
        const d = Math.hypot(dx, dy);
        if (d > 8) [vx, vy] = [dx / d, dy / d];
      }
      const len = Math.hypot(vx, vy) || 1;
      player.x = Math.max(player.r, Math.min(W - player.r, player.x + (vx / len) * moveSpeed() * dt));
      player.y = Math.max(player.r, Math.min(H - player.r, player.y + (vy / len) * moveSpeed() * dt));
      if (g.input.wasPressed('action') || g.input.wasPressed('alt')) shockwave();
      player.pulse = Math.max(0, player.pulse - dt);
      player.hurt = Math.max(0, player.hurt - dt);
      if (pulseRing > 0) pulseRing = pulseRing > 0.35 ? 0 : pulseRing + dt;

      player.fireTimer -= dt;
      if (player.fireTimer <= 0) {
        fire();
        player.fireTimer = fireInterval();
      }
      for (const b of g.world.all('bullet')) {
        b.x += b.vx * dt;
        b.y += b.vy * dt;
        b.life -= dt;
        if (b.life <= 0 || b.x < -10 || b.x > W + 10 || b.y < -10 || b.y > H + 10) g.world.kill(b);
      }
      for (const e of /** @type {Body[]} */ (g.world.all('enemy'))) {
        const a = Math.atan2(player.y - e.y, player.x - e.x);
        e.x += Math.cos(a) * e.speed * dt;
        e.y += Math.sin(a) * e.speed * dt;
        e.flash = Math.max(0, e.flash - dt);
        for (const b of /** @type {Body[]} */ (g.world.all('bullet'))) {
          if (!b.dead && circlesOverlap(b, e)) {
            g.world.kill(b);
            hurtEnemy(e, damage());
            if (e.dead) break;
          }
        }
        if (!e.dead && player.hurt <= 0 && circlesOverlap(player, e)) {
          player.hp -= 1;
          player.hurt = 1.1;
          g.renderer.shake(8, 0.3);
          g.sfx.play('hit');
          g.particles.burst(player.x, player.y, { color: P.primary, count: 20, speed: 200 });
          e.x -= Math.cos(a) * 60;
          e.y -= Math.sin(a) * 60;
          if (player.hp <= 0) return g.lose();
        }
      }
      for (const gem of g.world.all('gem')) {
        const d = Math.hypot(player.x - gem.x, player.y - gem.y);
        if (d < magnetRadius()) {
          gem.x += ((player.x - gem.x) / (d || 1)) * 320 * dt;
          gem.y += ((player.y - gem.y) / (d || 1)) * 320 * dt;
        }
        if (d < player.r + gem.r) {
          g.world.kill(gem);
          g.earn(gem.value, gem.x, gem.y - 10);
          g.sfx.play('coin');
        }
      }
      waves.update(dt, g.world.count('enemy'));
    }

    function render(/** @type {any} */ r) {
      r.cached(0, 'arena', (/** @type {CanvasRenderingContext2D} */ ctx) => {
        ctx.strokeStyle = mix(P.background, P.primary, 0.12);
        ctx.lineWidth = 1;
        ctx.beginPath();
        for (let x = 0; x <= W; x += 48) {
          ctx.moveTo(x, 0);
          ctx.lineTo(x, H);
        }
        for (let y = 0; y <= H; y += 48) {
          ctx.moveTo(0, y);
          ctx.lineTo(W, y);
        }
        ctx.stroke();
        ctx.strokeStyle = mix(P.background, P.primary, 0.5);
        ctx.lineWidth = 4;
        ctx.strokeRect(2, 2, W - 4, H - 4);
      });
      r.draw(10, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        for (const gem of g.world.all('gem'))
          drawSprite(ctx, g.sprite('currency', P.accent, 16, 'gem'), gem.x, gem.y, 16);
        ctx.strokeStyle = withAlpha(P.accent, 0.18);
        ctx.beginPath();
        ctx.arc(player.x, player.y, magnetRadius(), 0, Math.PI * 2);
        ctx.stroke();
      });
      r.draw(20, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        for (const e of g.world.all('enemy')) {
          drawSprite(
            ctx,
            g.sprite('enemy', e.flash > 0 ? P.text : P.secondary, 32, 'creature', e.variant),
            e.x,
            e.y,
            e.r * 2.3,
          );
          if (e.hp < e.maxHp) {
            ctx.fillStyle = withAlpha(P.text, 0.6);
            ctx.fillRect(e.x - e.r, e.y - e.r - 8, (2 * e.r * e.hp) / e.maxHp, 3);
          }
        }
        ctx.fillStyle = P.accent;
        for (const b of g.world.all('bullet')) {
          ctx.beginPath();
          ctx.arc(b.x, b.y, b.r, 0, Math.PI * 2);
          ctx.fill();
        }
      });
      r.draw(30, (/** @type {CanvasRenderingContext2D} */ ctx) => {
        if (player.hurt > 0 && Math.floor(player.hurt * 12) % 2) return;
        drawSprite(ctx, g.sprite('player', P.primary, 32, 'ship'), player.x, player.y, 34, player.aim + Math.PI / 2);
        if (pulseRing > 0) {
          ctx.strokeStyle = withAlpha(P.accent, 1 - pulseRing / 0.35);
          ctx.lineWidth = 6;
          ctx.beginPath();
          ctx.arc(player.x, player.y, 150 * (pulseRing / 0.35), 0, Math.PI * 2);
          ctx.stroke();
        }
      });
    }

    // Armour bought mid-run takes effect at once: one more heart, filled.
    g.bus.on('upgrade', (/** @type {string} */ id) => {
      if (id !== 'armor') return;
      player.maxHp++;
      player.hp++;
    });

    return {
      reset() {
        Object.assign(player, { x: W / 2, y: H / 2, hurt: 0, aim: -Math.PI / 2, fireTimer: 0.3, pulse: 0 });
        player.maxHp = t.playerHp + g.level('armor');
        player.hp = player.maxHp;
        pulseRing = 0;
        kills = 0;
        waves.reset();
      },
      update: step,
      render,
      hud: () => [
        { id: 'wave', label: 'Wave', value: `${Math.max(1, waves.wave)}/${t.waves}` },
        { id: 'hp', label: g.names.player, value: '♥'.repeat(Math.max(0, player.hp)) || '—' },
        { id: 'pulse', label: 'Shockwave', value: player.pulse > 0 ? `${Math.ceil(player.pulse)}s` : 'ready' },
      ],
      get state() {
        return {
          player: { x: player.x, y: player.y, hp: player.hp, maxHp: player.maxHp },
          wave: waves.wave,
          waves: t.waves,
          enemies: g.world.count('enemy'),
          bullets: g.world.count('bullet'),
          gems: g.world.count('gem'),
          kills,
          pulseReady: player.pulse <= 0,
        };
      },
    };
  },
};
