// What the judge reads from a page, each in one evaluate(): the game's own
// report (window.__game, flattened), the picture (a grid of average colours and
// the distinct colours of the largest canvas), the visible text, the layout.
import type { Page } from 'playwright-core';
import type { JudgeProbe } from './init-script.ts';

export const GRID = { cols: 48, rows: 27 };

export interface GameSnapshot {
  state: string;
  score: number;
  currency: number;
  lives: number | null;
  frames: number;
  /** Every number, boolean and string of __game.kit (arrays: length and first 3 items), by path. */
  flat: Record<string, number | string | boolean>;
  /** Points worth clicking (kit objects with logical x/y). */
  points: [number, number][];
}

/** window.__game flattened, or null when the page has none (or it is not an object). */
export function readGame(page: Page): Promise<GameSnapshot | null> {
  return page.evaluate(() => {
    const g = (window as any).__game;
    if (!g || typeof g !== 'object') return null;
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
    const flat: Record<string, number | string | boolean> = {};
    const points: [number, number][] = [];
    const walk = (v: any, p: string, depth: number) => {
      if (Object.keys(flat).length > 300) return;
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') flat[p] = v;
      else if (Array.isArray(v)) {
        flat[`${p}.length`] = v.length;
        if (depth < 3) for (const [i, x] of v.slice(0, 3).entries()) walk(x, `${p}.${i}`, depth + 1);
      } else if (v && typeof v === 'object' && depth < 3) {
        if (typeof v.x === 'number' && typeof v.y === 'number' && points.length < 12) points.push([v.x, v.y]);
        for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k, depth + 1);
      }
    };
    let kit: any = null;
    try {
      kit = g.kit;
    } catch {}
    walk(kit, 'kit', 0);
    const lives = [kit?.lives, kit?.player?.hp, kit?.base?.hp, kit?.hp, kit?.health, kit?.player?.lives].find(
      (x) => typeof x === 'number' && Number.isFinite(x),
    );
    return {
      state: String(g.state).slice(0, 40),
      score: num(g.score),
      currency: num(g.currency),
      lives: lives ?? null,
      frames: num(g.frames),
      flat,
      points,
    };
  });
}

export const readProbe = (page: Page): Promise<JudgeProbe> => page.evaluate(() => (window as any).__judge.read());
export const setClock = (page: Page, scale: number) =>
  page.evaluate((s) => {
    (window as any).__judge.setScale(s);
    const g = (window as any).__game;
    // The framework runs its rules unchanged at a higher speed; the virtual clock already
    // speeds its frame timestamps, so the framework's own speed stays at 1.
    if (g && typeof g === 'object' && 'speed' in g) g.speed = 1;
  }, scale);

/** No frame for this long (wall clock) in runFrames means the game's loop stopped; a loaded machine stalls ~1 s. */
const STALL_MS = 3000;

/**
 * Runs exactly `n` frames of game time (1/60 s each) and waits for them; time then stands still
 * until the next call or setClock(). False as soon as no frame came for STALL_MS (the loop stopped).
 */
export async function runFrames(page: Page, n: number, timeoutMs = 20_000): Promise<boolean> {
  await page.evaluate((k) => (window as any).__judge.runFrames(k), n);
  const started = Date.now();
  let left = n;
  let movedAt = Date.now();
  while (Date.now() - started < timeoutMs) {
    const now: number = await page.evaluate(() => (window as any).__judge.budget);
    if (now <= 0) return true;
    if (now !== left) [left, movedAt] = [now, Date.now()];
    else if (Date.now() - movedAt > STALL_MS) return false;
    await page.waitForTimeout(20);
  }
  return false;
}
export const skipGap = (page: Page) => page.evaluate(() => (window as any).__judge.skipGap());
export const resetGaps = (page: Page) => page.evaluate(() => (window as any).__judge.resetGaps());

export interface Picture {
  /** Distinct quantised colours on the largest canvas (0: no canvas). */
  colours: number;
  /** Average colour per grid cell, [r, g, b] flattened, row by row. */
  grid: number[];
  /** Share of the viewport the largest canvas covers (0–1). */
  canvasShare: number;
  /** Quantised colours (r5g5b5) present on >0.2 % of the canvas, for palette matching. */
  common: number[];
}

export function readPicture(page: Page): Promise<Picture> {
  return page.evaluate(({ cols, rows }) => {
    const canvases = [...document.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0);
    const area = (c: HTMLCanvasElement) => {
      const r = c.getBoundingClientRect();
      return Math.max(0, r.width) * Math.max(0, r.height);
    };
    const canvas = canvases.sort((a, b) => area(b) - area(a))[0];
    if (!canvas) return { colours: 0, grid: [], canvasShare: 0, common: [] };
    const W = cols * 5;
    const H = rows * 5;
    const small = document.createElement('canvas');
    small.width = W;
    small.height = H;
    const ctx = small.getContext('2d', { willReadFrequently: true })!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(canvas, 0, 0, W, H);
    const { data } = ctx.getImageData(0, 0, W, H);
    const counts = new Map<number, number>();
    const grid = new Array(cols * rows * 3).fill(0);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 4;
        const q = ((data[i]! >> 3) << 10) | ((data[i + 1]! >> 3) << 5) | (data[i + 2]! >> 3);
        counts.set(q, (counts.get(q) ?? 0) + 1);
        const cell = (Math.floor(y / 5) * cols + Math.floor(x / 5)) * 3;
        grid[cell] += data[i]! / 25;
        grid[cell + 1] += data[i + 1]! / 25;
        grid[cell + 2] += data[i + 2]! / 25;
      }
    const common = [...counts].filter(([, n]) => n > W * H * 0.002).map(([q]) => q);
    return {
      colours: counts.size,
      grid: grid.map(Math.round),
      canvasShare: area(canvas) / (innerWidth * innerHeight),
      common,
    };
  }, GRID);
}

/** Grid cells whose average colour moved by more than `threshold` (sum over r, g, b). */
export function changedCells(a: number[], b: number[], threshold = 30): Set<number> {
  const out = new Set<number>();
  if (!a.length || a.length !== b.length) return out;
  for (let i = 0; i < a.length; i += 3)
    if (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) > threshold)
      out.add(i / 3);
  return out;
}

export const visibleText = (page: Page): Promise<string> =>
  // biome-ignore lint/performance/useDomNodeTextContent: what the player sees (textContent includes hidden text)
  page.evaluate(() => (document.body?.innerText ?? '').replace(/\s+/g, ' ').trim().slice(0, 6000));

export interface Fit {
  viewport: string;
  scrolls: boolean;
  /** The largest canvas lies inside the viewport (null: no canvas). */
  canvasInside: boolean | null;
  canvas: { x: number; y: number; width: number; height: number } | null;
}

export async function measureFit(page: Page, width: number, height: number): Promise<Fit> {
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(150);
  return page.evaluate((viewport) => {
    const root = document.scrollingElement ?? document.documentElement;
    const scrolls = root.scrollWidth > innerWidth + 2 || root.scrollHeight > innerHeight + 2;
    const canvas = [...document.querySelectorAll('canvas')]
      .map((c) => c.getBoundingClientRect())
      .sort((a, b) => b.width * b.height - a.width * a.height)[0];
    if (!canvas || canvas.width * canvas.height === 0) return { viewport, scrolls, canvasInside: null, canvas: null };
    const inside =
      canvas.left >= -2 && canvas.top >= -2 && canvas.right <= innerWidth + 2 && canvas.bottom <= innerHeight + 2;
    const r = (n: number) => Math.round(n);
    return {
      viewport,
      scrolls,
      canvasInside: inside,
      canvas: { x: r(canvas.left), y: r(canvas.top), width: r(canvas.width), height: r(canvas.height) },
    };
  }, `${width}×${height}`);
}

/** The page text and the numbers __game reports, read in the same task so they belong together. */
export const readHud = (page: Page): Promise<{ score: number; currency: number; text: string } | null> =>
  page.evaluate(() => {
    const g = (window as any).__game;
    if (!g || typeof g !== 'object') return null;
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
    return {
      score: num(g.score),
      currency: num(g.currency),
      // biome-ignore lint/performance/useDomNodeTextContent: what the player sees (textContent includes hidden text)
      text: (document.body?.innerText ?? '').replace(/\s+/g, ' ').slice(0, 6000),
    };
  });
