// Which controls a game declares (read from its visible text: the how-to-play
// card, the HUD, a controls panel) and the actions the judge sends to test them,
// plus keys nobody documents, sent to find controls that work but are undocumented.
import type { Page } from 'playwright-core';

export interface Control {
  /** What the page said, e.g. "arrow keys", "Space", "click". */
  label: string;
  /** KeyboardEvent.code values to try, one segment each; empty for pointer controls. */
  keys: string[];
  pointer: boolean;
}

const ARROWS = ['ArrowUp', 'ArrowRight', 'ArrowDown', 'ArrowLeft'];
const SYMBOLS: Record<string, string> = { '↑': 'ArrowUp', '→': 'ArrowRight', '↓': 'ArrowDown', '←': 'ArrowLeft' };
/** Keys no game needs to document: start/confirm and the framework shell's pause/restart/mute/shop keys. */
const SHELL = new Set(['Enter', 'Escape', 'KeyP', 'KeyR', 'KeyM']);
/** Letters probed when nothing documents them (a game steering with J/L documents that or has a defect). */
export const PROBE_LETTERS = ['KeyJ', 'KeyL', 'KeyK', 'KeyI', 'KeyZ', 'KeyX'];

/** The controls the page's text declares. */
export function declaredControls(text: string): Control[] {
  const out: Control[] = [];
  const add = (label: string, keys: string[], pointer = false) => {
    if (!out.some((c) => c.label === label)) out.push({ label, keys, pointer });
  };
  if (/\barrow(?:s| keys?)\b/i.test(text)) add('arrow keys', [...ARROWS]);
  const symbols = [...new Set([...text.matchAll(/[←→↑↓]/g)].map((m) => SYMBOLS[m[0]]!))];
  if (symbols.length) add(symbols.map((k) => k.replace('Arrow', '')).join('/'), symbols);
  if (/\bWASD\b/.test(text)) add('WASD', ['KeyW', 'KeyA', 'KeyS', 'KeyD']);
  // "Arrow keys + Space" is one control (move, then act): Space joins the arrows unless it is also named alone.
  const combo = /\barrow(?:s| keys?)\s*\+\s*space\b/gi;
  if (combo.test(text) && !/\bspace(?:bar)?\b/i.test(text.replace(combo, '')))
    out.find((c) => c.label === 'arrow keys')?.keys.push('Space');
  else if (/\bspace(?:bar)?\b/i.test(text)) add('Space', ['Space']);
  if (/\bshift\b/i.test(text)) add('Shift', ['ShiftLeft']);
  if (/\b(?:click|tap|mouse|pointer|touch|finger|swipe|drag)\b/i.test(text)) add('pointer', [], true);
  // A single capital letter written as a key: "J / L", "press X", "X to jump", "[F]", "A D" after a slash.
  const letter =
    /(?<=\bpress(?:ing)?\s+|[/+,[(]\s*|\b[A-Z]\s+)([A-Z])\b|\b([A-Z])(?=\s*(?:[/+:\])]|\s+(?:to|key|keys|=)\b))/g;
  for (const m of text.matchAll(letter)) {
    const l = (m[1] ?? m[2])!;
    if (l === 'I' && !/\bI\s*(?:[/+:\])]|key)/.test(text)) continue; // the pronoun
    if (SHELL.has(`Key${l}`)) continue; // pause / restart / mute: not play controls
    add(l, [`Key${l}`]);
  }
  // "← →" beside "arrow keys" is the same control written twice: keep the larger one.
  return out.filter(
    (c) =>
      !c.keys.length ||
      !out.some((o) => o !== c && o.keys.length > c.keys.length && c.keys.every((k) => o.keys.includes(k))),
  );
}

export interface Action {
  label: string;
  /** A key held for the segment, or a pointer click (canvas fractions). */
  key?: string;
  click?: [number, number];
  declared: boolean;
  /** The control this action tests (declared) or the probe it belongs to. */
  control: string;
}

/** Every action of the controls test: the declared controls, then undeclared probes. */
export function controlActions(declared: Control[]): Action[] {
  const actions: Action[] = [];
  const declaredKeys = new Set(declared.flatMap((c) => c.keys));
  // Arrows and WASD are one control written two ways: declaring either covers both.
  const alias = (k: string) =>
    ({ KeyW: 'ArrowUp', KeyA: 'ArrowLeft', KeyS: 'ArrowDown', KeyD: 'ArrowRight' })[k] ??
    { ArrowUp: 'KeyW', ArrowLeft: 'KeyA', ArrowDown: 'KeyS', ArrowRight: 'KeyD' }[k];
  const both = declared.some((c) => c.label === 'arrow keys') && declared.some((c) => c.label === 'WASD');
  for (const c of declared) {
    // WASD beside the arrows: two keys (up and left turn a snake heading right, move a ship) keep it short.
    const keys = both && c.label === 'WASD' ? ['KeyW', 'KeyA'] : c.keys;
    for (const key of keys) actions.push({ label: key, key, declared: true, control: c.label });
    if (c.pointer)
      for (const at of [
        [0.5, 0.5],
        [0.3, 0.6],
      ] as [number, number][])
        actions.push({ label: `click ${at.join(',')}`, click: at, declared: true, control: c.label });
  }
  const probes = [...ARROWS, 'Space', ...PROBE_LETTERS].filter(
    (k) => !declaredKeys.has(k) && !declaredKeys.has(alias(k) ?? '') && !SHELL.has(k),
  );
  for (const key of probes) actions.push({ label: key, key, declared: false, control: key });
  if (!declared.some((c) => c.pointer))
    actions.push({ label: 'click 0.5,0.5', click: [0.5, 0.5], declared: false, control: 'pointer' });
  return actions;
}

/** Holds one action (a key, or the pointer pressed on the canvas) while `during` runs. */
export async function perform(page: Page, action: Action, during: number | (() => Promise<unknown>)): Promise<void> {
  const wait = typeof during === 'number' ? () => page.waitForTimeout(during) : during;
  if (action.key) {
    await page.keyboard.down(action.key);
    await wait();
    await page.keyboard.up(action.key);
    return;
  }
  if (!action.click) return void (await wait());
  const [x, y] = await canvasPoint(page, action.click[0], action.click[1]);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await wait();
  await page.mouse.up();
}

/** A point of the largest canvas at a fraction of its size (of the viewport when there is none). */
export async function canvasPoint(page: Page, fx: number, fy: number): Promise<[number, number]> {
  const box = await page.evaluate(() => {
    const r = [...document.querySelectorAll('canvas')]
      .map((c) => c.getBoundingClientRect())
      .sort((a, b) => b.width * b.height - a.width * a.height)[0];
    return r && r.width > 0 ? { x: r.left, y: r.top, w: r.width, h: r.height } : null;
  });
  if (box) return [box.x + fx * box.w, box.y + fy * box.h];
  const v = page.viewportSize() ?? { width: 800, height: 600 };
  return [v.width * fx, v.height * fy];
}

/** Framework scripts are generic: the shell keys that players never need to learn are never "undocumented". */
export const isShellKey = (key: string) => SHELL.has(key) || /^Digit\d$/.test(key);
