// The kit contract, as types only (no runtime code): a kit is `{ id, create(g) }`; the shell
// (game.js) builds the kit context `g` and calls `create(g)` once, then drives the returned
// game. Annotate a kit with `/** @type {import('../kit.js').Kit} */ export const kit = { … }`
// and `npx tsc -p framework` checks it against this contract.

/**
 * The game's data (dist/config.js, `globalThis.GAME_CONFIG`). Its schema, field by field, is
 * lib/game-config.ts (docs/framework.md, "Game config"); test/game-config.test.ts keeps these
 * property names equal to the schema's keys.
 * @typedef {object} GameConfig
 * @property {1} schema
 * @property {string} title
 * @property {string} genre          the kit id, or 'custom'
 * @property {number} seed
 * @property {string} [idea]         the player's words, quoted on the title card
 * @property {string} tagline
 * @property {string[]} howToPlay
 * @property {{input: string, action: string}[]} controls
 * @property {Names} names
 * @property {Palette} palette
 * @property {Record<string, number>} tuning   the kit's tuning keys (kits/<id>.meta.json)
 * @property {import('./progression/upgrades.js').UpgradeDef[]} upgrades
 * @property {string} winTitle
 * @property {string} winText
 * @property {string} loseTitle
 * @property {string} loseText
 * @property {string} saveKey
 */

/**
 * Colours as `#rrggbb`.
 * @typedef {object} Palette
 * @property {string} background @property {string} primary @property {string} secondary
 * @property {string} accent @property {string} text
 */

/**
 * What this game calls things (from the idea).
 * @typedef {object} Names
 * @property {string} player @property {string} enemy @property {string} enemies
 * @property {string} boss @property {string} currency @property {string} projectile
 */

/**
 * One HUD entry; `label` may be empty.
 * @typedef {{id: string, label: string, value: string}} HudItem
 */

/**
 * Everything a kit may use, passed to `kit.create(g)` by game.js.
 * @typedef {object} KitContext
 * @property {GameConfig} config
 * @property {Palette} palette
 * @property {Names} names
 * @property {Record<string, number>} tuning
 * @property {number} width                 960
 * @property {number} height                540
 * @property {import('./core/rng.js').Rng} rng   re-seeded at every run start
 * @property {import('./input/input.js').Input} input
 * @property {import('./render/renderer.js').Renderer} renderer
 * @property {ReturnType<typeof import('./render/particles.js').createParticles>} particles
 * @property {import('./world/entities.js').World} world
 * @property {ReturnType<typeof import('./audio/sfx.js').createSfx>} sfx
 * @property {import('./core/events.js').EventBus} bus   the shell emits start, end, earn, upgrade
 * @property {import('./progression/wallet.js').Wallet} wallet
 * @property {ReturnType<typeof import('./progression/upgrades.js').createUpgrades>} upgrades
 * @property {number} time                  seconds played this run (read-only)
 * @property {(id: string) => number} level   level of an upgrade (0 when not bought)
 * @property {(n: number) => void} addScore
 * @property {(n: number, x?: number, y?: number) => number} earn   currency (× prestige), "+n" floats at x, y; returns what was added
 * @property {(x: number, y: number, text: string, color?: string) => void} floatText
 * @property {(role: string, color: string, size: number, shape?: 'creature'|'ship'|'gem'|'block', variant?: number) => ReturnType<typeof import('./render/sprites.js').makeSprite>} sprite
 * @property {() => void} win                ends the run as won
 * @property {() => void} lose               ends the run as lost
 * @property {(n: number) => string} format   1.23K, 4.50B, …
 */

/**
 * What `kit.create(g)` returns; the shell drives it.
 * @typedef {object} KitGame
 * @property {() => void} reset                new run (also once at boot, so the title card shows a scene)
 * @property {(dt: number) => void} update     one 1/60 s step while playing
 * @property {(r: import('./render/renderer.js').Renderer) => void} render   every frame; queue draws with r.draw(layer, ctx => …)
 * @property {() => HudItem[]} hud             the kit's HUD entries
 * @property {object} state                    the kit's public state, exposed as window.__game.kit
 */

/**
 * A genre kit: `kits/<id>.js` exports `kit`, with `kits/<id>.meta.json` beside it.
 * @typedef {object} Kit
 * @property {string} id
 * @property {(g: KitContext) => KitGame} create
 */

export {};
