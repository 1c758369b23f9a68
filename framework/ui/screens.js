// The game's overlay screens (title, pause, win/lose): what each says and which
// buttons it offers. game.js decides when to show them.
import { formatNumber } from '../core/format.js';

/** @param {any} config @returns {Array<{key: string, text: string}>} */
const controlsOf = (config) => config.controls.map((/** @type {any} */ c) => ({ key: c.input, text: c.action }));

/** @param {any} overlay @param {any} config @param {{ onPlay: () => void }} actions */
export function showTitleScreen(overlay, config, { onPlay }) {
  overlay.show({
    kind: 'title',
    title: config.title,
    subtitle: config.tagline,
    lines: [...(config.idea ? [`“${config.idea}”`] : []), ...config.howToPlay],
    controls: controlsOf(config),
    buttons: [{ label: 'Play (Enter)', onClick: onPlay, primary: true }],
  });
}

/**
 * `howToPlay`: the game's How to play page (ui/how-to-play-link.js), linked when known.
 * @param {any} overlay @param {any} config
 * @param {{ onResume: () => void, onRestart: () => void, howToPlay?: string | null }} actions
 */
export function showPauseScreen(overlay, config, { onResume, onRestart, howToPlay }) {
  overlay.show({
    kind: 'paused',
    title: 'Paused',
    lines: ['Take a breath.'],
    controls: controlsOf(config),
    buttons: [
      { label: 'Resume (P)', onClick: onResume, primary: true },
      { label: 'Restart (R)', onClick: onRestart },
    ],
    links: howToPlay ? [{ label: 'How to play', href: howToPlay }] : [],
  });
}

/**
 * @param {any} overlay @param {any} config
 * @param {{ outcome: 'won' | 'lost', score: number, best: number, prestigeGain: number, onAgain: () => void, onPrestige: () => void }} end
 */
export function showEndScreen(overlay, config, { outcome, score, best, prestigeGain, onAgain, onPrestige }) {
  /** @type {Array<{label: string, onClick: () => void, primary?: boolean}>} */
  const buttons = [{ label: outcome === 'won' ? 'Play again (R)' : 'Try again (R)', onClick: onAgain, primary: true }];
  if (outcome === 'won' && prestigeGain > 0)
    buttons.push({ label: `Prestige: +${prestigeGain} ★`, onClick: onPrestige });
  overlay.show({
    kind: outcome,
    title: outcome === 'won' ? config.winTitle : config.loseTitle,
    subtitle: `Score ${formatNumber(Math.floor(score))} · best ${formatNumber(Math.floor(best))}`,
    lines: [
      outcome === 'won' ? config.winText : config.loseText,
      `You keep your ${config.names.currency} and upgrades: spend them below, then go again.`,
    ],
    buttons,
  });
}

/** Phones have no P key: a small pause button beside the HUD. @param {Document} doc @param {HTMLElement} hudRoot @param {() => void} onToggle */
export function addPauseButton(doc, hudRoot, onToggle) {
  const button = doc.createElement('button');
  button.className = 'gpg-pause';
  button.type = 'button';
  button.textContent = 'Pause';
  button.addEventListener('click', onToggle);
  hudRoot.appendChild(button);
}
