// Browser test harness: serves a built dist/ from 127.0.0.1 with the production
// CSP (optionally sandboxed) and opens it in Debian's Chromium via playwright-core,
// recording console errors, page errors and any request that leaves the origin.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** True when the browser suite can run; in CI a missing Chromium is a failure, not a skip. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser suite cannot be skipped in CI`);
  return false;
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `root` (a dist/ directory) with the game CSP. */
export async function serveDist(root: string, opts: { sandbox?: boolean } = {}): Promise<StaticServer> {
  const base = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(base, '.' + rel);
    if (!file.startsWith(base + path.sep)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': opts.sandbox ? `${CSP}; sandbox allow-scripts` : CSP,
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

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
