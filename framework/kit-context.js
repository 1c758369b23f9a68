// The KitContext the shell hands a kit (contract: framework/kit.js; guide:
// docs/framework.md): the shell's services, and the helpers a kit builds on them
// (earning with a floating "+n", upgrade levels, cached palette sprites, the run's
// time, score, win and lose).
import { createRng, hashString } from './core/rng.js';
import { formatNumber } from './core/format.js';
import { makeSprite } from './render/sprites.js';

/**
 * @param {object} shell
 * @param {import('./kit.js').GameConfig} shell.config   with defaults applied (core/config.js)
 * @param {number} shell.width
 * @param {number} shell.height
 * @param {object} shell.services   handed to the kit as they are
 * @param {import('./input/input.js').Input} shell.services.input
 * @param {import('./render/renderer.js').Renderer} shell.services.renderer
 * @param {ReturnType<typeof import('./render/particles.js').createParticles>} shell.services.particles
 * @param {import('./world/entities.js').World} shell.services.world
 * @param {ReturnType<typeof import('./audio/sfx.js').createSfx>} shell.services.sfx
 * @param {import('./core/events.js').EventBus} shell.services.bus
 * @param {import('./progression/wallet.js').Wallet} shell.services.wallet
 * @param {ReturnType<typeof import('./progression/upgrades.js').createUpgrades>} shell.services.upgrades
 * @param {ReturnType<typeof import('./render/floaters.js').createFloaters>} shell.floaters
 * @param {() => number} shell.time   seconds played this run
 * @param {(n: number) => void} shell.addScore
 * @param {() => void} shell.win
 * @param {() => void} shell.lose
 * @returns {import('./kit.js').KitContext}
 */
export function createKitContext({ config, width, height, services, floaters, time, addScore, win, lose }) {
  const palette = config.palette;
  const { wallet, upgrades, bus } = services;
  /** @type {import('./kit.js').KitContext} */
  const g = {
    config,
    palette,
    names: config.names,
    tuning: config.tuning,
    width,
    height,
    rng: createRng(config.seed),
    ...services,
    get time() {
      return time();
    },
    /** Level of an upgrade by id (0 when not bought). @param {string} id */
    level: (id) => upgrades.level(id),
    addScore,
    /** Earn currency, with a floating "+n" where it happened. @param {number} n @param {number} [x] @param {number} [y] */
    earn(n, x, y) {
      const gained = wallet.earn(n);
      if (x !== undefined && y !== undefined)
        g.floatText(x, y, `+${formatNumber(Math.round(gained * 10) / 10)}`, palette.accent);
      bus.emit('earn', gained);
      return gained;
    },
    /** @param {number} x @param {number} y @param {string} text @param {string} [color] */
    floatText(x, y, text, color = palette.text) {
      floaters.add(x, y, text, color);
    },
    /** Cached procedural sprite for a role ('player', 'enemy', …). @param {string} role @param {string} color @param {number} size @param {'creature'|'ship'|'gem'|'block'} [shape] @param {number} [variant] */
    sprite: (role, color, size, shape, variant = 0) =>
      makeSprite({ seed: hashString(`${config.seed}:${role}:${variant}`), size, color, shape }),
    win,
    lose,
    format: formatNumber,
  };
  return g;
}
