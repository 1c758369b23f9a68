// Browser test harness: opens a game served by support/browser.ts in Debian's Chromium,
// recording console errors, page errors and any request that leaves the origin.
import type { Browser, Page } from 'playwright-core';

export { chromiumAvailable, launchChromium, serveDist, type StaticServer } from '../../support/browser.ts';

export interface OpenedGame {
  page: Page;
  errors: string[];
  /** Requests to anything but the game's own server. */
  foreign: string[];
  close(): Promise<void>;
}

/** Opens the game in a fresh context and waits until the framework has booted. */
export async function openGame(browser: Browser, url: string): Promise<OpenedGame> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  await page.goto(url);
  await page.waitForFunction(() => (window as any).__game?.frames > 2, null, { timeout: 10_000 });
  return { page, errors, foreign, close: () => context.close() };
}

/** Counts canvas pixels that differ clearly from the background colour. */
export function paintedPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector('canvas')!;
    const ctx = canvas.getContext('2d')!;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const hex = (window as any).__game.info.palette.background as string;
    const bg = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i]! - bg[0]!) + Math.abs(data[i + 1]! - bg[1]!) + Math.abs(data[i + 2]! - bg[2]!) > 40) n++;
    return n;
  });
}

/** A cheap fingerprint of the canvas, to tell whether the picture changed. */
export function canvasHash(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector('canvas')!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let h = 0x811c9dc5;
    for (let i = 0; i < data.length; i += 16) h = Math.imul(h ^ data[i]!, 0x01000193);
    return h >>> 0;
  });
}

export const game = (page: Page) =>
  page.evaluate(() => {
    const g = (window as any).__game;
    return {
      state: g.state as string,
      score: g.score as number,
      currency: g.currency as number,
      frames: g.frames as number,
      kit: g.kit as Record<string, any>,
      upgrades: g.upgrades as Array<{ id: string; level: number; cost: number; unlocked: boolean; maxed: boolean }>,
    };
  });
