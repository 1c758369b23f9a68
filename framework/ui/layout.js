// Page layout: wraps the game's canvas in the standard arrangement (HUD above,
// stage with overlays, shop below) and exposes the palette as CSS variables.
import { mix } from '../render/color.js';

/** Wraps the page's canvas in the standard layout and sets palette variables. */
export function buildLayout(
  /** @type {Document} */ doc,
  /** @type {HTMLCanvasElement} */ canvas,
  /** @type {any} */ palette,
) {
  const root = doc.createElement('div');
  root.className = 'gpg-root';
  const hudRoot = doc.createElement('div');
  hudRoot.className = 'gpg-top';
  const stage = doc.createElement('div');
  stage.className = 'gpg-stage';
  const shopRoot = doc.createElement('div');
  canvas.parentNode?.insertBefore(root, canvas);
  stage.appendChild(canvas);
  root.append(hudRoot, stage, shopRoot);
  const vars = {
    '--gpg-bg': palette.background,
    '--gpg-text': palette.text,
    '--gpg-primary': palette.primary,
    '--gpg-accent': palette.accent,
    '--gpg-panel': mix(palette.background, palette.primary, 0.12),
    '--gpg-primary-dim': mix(palette.background, palette.primary, 0.35),
  };
  for (const [k, v] of Object.entries(vars)) doc.documentElement.style.setProperty(k, v);
  return { stage, hudRoot, shopRoot };
}
