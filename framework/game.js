// The game shell every generated game boots through: it wires the framework
// modules together, runs the state machine (title → playing ⇄ paused → won/lost
// → restart), owns the incremental layer (currency, upgrades, prestige, save)
// and exposes `window.__game` (play-api.js) for automated play-testing. Kits supply only the
// genre's rules: see docs/framework.md for the kit contract.
import { createLoop } from './core/loop.js';
import { createRng } from './core/rng.js';
import { createEventBus } from './core/events.js';
import { createSaveStore } from './core/save.js';
import { withConfigDefaults } from './core/config.js';
import { formatNumber } from './core/format.js';
import { createInput } from './input/input.js';
import { shortcutFor } from './input/shortcuts.js';
import { createRenderer } from './render/renderer.js';
import { createParticles } from './render/particles.js';
import { createFloaters } from './render/floaters.js';
import { withAlpha } from './render/color.js';
import { createWorld } from './world/entities.js';
import { createWallet } from './progression/wallet.js';
import { createUpgrades } from './progression/upgrades.js';
import { prestigeGain, prestigeMultiplier } from './progression/prestige.js';
import { createHud } from './ui/hud.js';
import { createOverlay } from './ui/overlay.js';
import { createUpgradePanel } from './ui/upgrade-panel.js';
import { buildLayout } from './ui/layout.js';
import { howToPlayUrl } from './ui/how-to-play-link.js';
import { addPauseButton, showEndScreen as showEndScreenFor, showPauseScreen, showTitleScreen } from './ui/screens.js';
import { createSfx } from './audio/sfx.js';
import { createKitContext } from './kit-context.js';
import { createPlayApi } from './play-api.js';

export const WIDTH = 960;
export const HEIGHT = 540;
const SAVE_VERSION = 1;

/**
 * @param {object} options
 * @param {any} options.config   the game's config (dist/config.js); missing fields take defaults (core/config.js)
 * @param {import('./kit.js').Kit} options.kit   the genre kit (contract: framework/kit.js)
 * @param {HTMLCanvasElement} options.canvas
 * @param {Document} [options.doc]
 * @param {any} [options.win]   the window (for keys and `__game`)
 */
export function bootGame({ config: given, kit, canvas, doc = document, win = window }) {
  const config = withConfigDefaults(given);
  const palette = config.palette;
  const bus = createEventBus();
  const sfx = createSfx();
  const save = createSaveStore({ key: `gpg:${config.saveKey}`, version: SAVE_VERSION });
  const wallet = createWallet(['main']);
  const upgrades = createUpgrades(config.upgrades);

  const { stage, hudRoot, shopRoot } = buildLayout(doc, canvas, palette);
  doc.title = config.title;
  const hud = createHud(doc, hudRoot);
  const overlay = createOverlay(doc, stage);
  const howToPlay = howToPlayUrl(win.location);
  const shop = createUpgradePanel(doc, shopRoot, {
    onBuy: (id) => buyUpgrade(id),
    format: formatNumber,
    currencyName: config.names.currency,
  });
  const renderer = createRenderer(canvas, { width: WIDTH, height: HEIGHT });
  const particles = createParticles({ random: Math.random });
  const world = createWorld();
  const floaters = createFloaters();

  let state = 'title';
  let score = 0;
  let best = 0;
  let runs = 0;
  let prestigePoints = 0;
  let time = 0;
  let saveTimer = 0;
  let firstFrameMs = -1;

  const input = createInput({
    keyTarget: win,
    surface: canvas,
    width: WIDTH,
    height: HEIGHT,
    onGesture: () => sfx.unlock(),
    onKey: (code) => onShortcut(code),
  });

  /** Everything a kit may use (framework/kit-context.js). */
  const g = createKitContext({
    config,
    width: WIDTH,
    height: HEIGHT,
    services: { input, renderer, particles, world, sfx, bus, wallet, upgrades },
    floaters,
    time: () => time,
    addScore: (n) => {
      score += n;
    },
    win: () => endRun('won'),
    lose: () => endRun('lost'),
  });
  const game = kit.create(g);

  function startRun() {
    runs++;
    score = 0;
    time = 0;
    g.rng = createRng((config.seed + runs * 7919) >>> 0);
    world.clear();
    particles.clear();
    floaters.clear();
    game.reset();
    state = 'playing';
    overlay.hide();
    bus.emit('start', runs);
  }

  /** @param {'won' | 'lost'} outcome */
  function endRun(outcome) {
    if (state !== 'playing') return;
    state = outcome;
    best = Math.max(best, score);
    sfx.play(outcome === 'won' ? 'win' : 'lose');
    renderer.shake(outcome === 'won' ? 4 : 10, 0.5);
    persist();
    bus.emit('end', outcome);
    showEndScreen(outcome);
  }

  function showEndScreen(/** @type {'won'|'lost'} */ outcome) {
    const gain = prestigeGain(wallet.lifetime(), config.tuning.prestigeThreshold ?? 500);
    showEndScreenFor(overlay, config, {
      outcome,
      score,
      best,
      prestigeGain: gain,
      onAgain: startRun,
      onPrestige: () => doPrestige(),
    });
  }

  const showTitle = () => showTitleScreen(overlay, config, { onPlay: startRun });

  function pause() {
    if (state !== 'playing') return;
    state = 'paused';
    showPauseScreen(overlay, config, { onResume: resume, onRestart: startRun, howToPlay });
  }
  function resume() {
    if (state !== 'paused') return;
    state = 'playing';
    overlay.hide();
  }

  function doPrestige() {
    const gain = prestigeGain(wallet.lifetime(), config.tuning.prestigeThreshold ?? 500);
    if (gain <= 0) return false;
    prestigePoints += gain;
    wallet.reset();
    upgrades.reset();
    wallet.multiplier = prestigeMultiplier(prestigePoints);
    persist();
    startRun();
    return true;
  }

  /** @param {string} id */
  function buyUpgrade(id) {
    const ok = upgrades.buy(id, wallet);
    if (ok) {
      sfx.play('upgrade');
      bus.emit('upgrade', id);
      g.floatText(WIDTH / 2, HEIGHT - 30, `${upgrades.list().find((u) => u.id === id)?.name ?? id} ↑`, palette.accent);
      persist();
    }
    return ok;
  }

  /** @param {string} code */
  function onShortcut(code) {
    const action = shortcutFor(code, state);
    if (!action) return;
    if (action.type === 'buy') {
      const u = config.upgrades[action.index];
      if (u) buyUpgrade(u.id);
    } else if (action.type === 'mute') sfx.toggleMute();
    else if (action.type === 'pause') pause();
    else if (action.type === 'resume') resume();
    else startRun(); // start or restart
  }

  function persist() {
    save.save({ wallet: wallet.snapshot(), upgrades: upgrades.snapshot(), best, prestigePoints });
  }
  function restore() {
    const data = save.load();
    if (!data) return;
    wallet.restore(data.wallet);
    upgrades.restore(data.upgrades);
    best = Number.isFinite(data.best) ? data.best : 0;
    prestigePoints = Number.isInteger(data.prestigePoints) ? data.prestigePoints : 0;
    wallet.multiplier = prestigeMultiplier(prestigePoints);
  }

  /** @param {number} dt */
  function update(dt) {
    renderer.update(dt);
    particles.update(dt);
    floaters.update(dt);
    if (state === 'playing') {
      time += dt;
      game.update(dt);
      world.sweep();
      saveTimer += dt;
      if (saveTimer > 5) {
        saveTimer = 0;
        persist();
      }
    }
    input.endStep();
  }

  function render() {
    // Milliseconds from navigation to the first drawn frame (performance.now's origin).
    if (firstFrameMs < 0) firstFrameMs = globalThis.performance?.now() ?? 0;
    renderer.begin(palette.background);
    game.render(renderer);
    renderer.draw(50, (ctx) => particles.draw(ctx));
    renderer.draw(60, (ctx) => floaters.draw(ctx, renderer, withAlpha(palette.background, 0.8)));
    renderer.end();
    // The DOM is costlier than the canvas: refresh HUD and shop ~12 times a second.
    if (loop.frames % 5 !== 0) return;
    hud.set([
      { id: 'title', label: '', value: config.title },
      { id: 'score', label: 'Score', value: formatNumber(Math.floor(score)) },
      { id: 'currency', label: config.names.currency, value: formatNumber(Math.floor(wallet.get())) },
      ...game.hud(),
      ...(prestigePoints ? [{ id: 'prestige', label: 'Stars', value: `${prestigePoints} ★` }] : []),
    ]);
    shop.update(upgrades.list(), wallet.get());
  }

  addPauseButton(doc, hudRoot, () => (state === 'paused' ? resume() : pause()));

  // On the title card a tap anywhere starts (phones have no Enter key).
  overlay.root.addEventListener('click', () => {
    sfx.unlock();
    if (state === 'title') startRun();
  });

  const loop = createLoop({ update, render });
  restore();
  game.reset();
  showTitle();
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') pause();
  });
  // Draw the first frame now rather than at the next animation frame: the
  // title card appears as soon as the script has run.
  render();
  loop.start();

  /** The play-testing surface (framework/play-api.js; docs/framework.md, "window.__game"). */
  const api = createPlayApi({
    state: () => state,
    score: () => score,
    best: () => best,
    time: () => time,
    prestigePoints: () => prestigePoints,
    firstFrameMs: () => firstFrameMs,
    loop,
    wallet,
    upgrades,
    sfx,
    game,
    info: { title: config.title, genre: config.genre, kit: kit.id, seed: config.seed, palette: { ...palette } },
    start: () => state === 'title' && startRun(),
    restart: startRun,
    pause,
    resume,
    buyUpgrade,
    prestige: doPrestige,
  });
  win.__game = api;
  return api;
}
