// Game frame timing: builds one game per kit with the builtin agent, loads each
// in headless Chromium under the game CSP and measures
//   firstFrameMs — navigation start → first frame drawn (performance.now() at the
//                  shell's first render; median of several cold loads), target ≤ 300 ms;
//   fps          — animation frames per second over ~3 s of play (window.__game.frames), target ≥ 55.
// Reported figures are the worst kit's (max firstFrameMs, min fps); perKit has them all.
// Run directly: npx node bench/game-fps.ts [--loads N] [--seconds S] [--kit arena-shooter]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GENRES, type Genre } from '../lib/artifacts.ts';
import { generateGame } from '../support/generate-game.ts';
import { launchChromium, serveDist } from '../support/browser.ts';

export interface KitFps {
  kit: Genre;
  firstFrameMs: number;
  fps: number;
}

export interface GameFpsResult {
  firstFrameMs: number;
  fps: number;
  perKit: KitFps[];
}

export async function measureGameFps(
  opts: { kits?: readonly Genre[]; loads?: number; seconds?: number } = {},
): Promise<GameFpsResult> {
  const kits = opts.kits ?? GENRES;
  const loads = opts.loads ?? 3;
  const seconds = opts.seconds ?? 3;
  const browser = await launchChromium();
  const perKit: KitFps[] = [];
  try {
    // Warm the browser process once (a visitor's browser is already running);
    // every measured load still gets a fresh context with a cold cache.
    const warm = await browser.newPage();
    await warm.goto('about:blank');
    await warm.close();
    for (const kit of kits) {
      const built = await generateGame({ idea: null, genre: kit, seed: 2024 });
      const server = await serveDist(path.join(built.dir, 'dist'));
      try {
        const firsts: number[] = [];
        let fps = 0;
        for (let i = 0; i < loads; i++) {
          // A fresh context per load: a cold page, as a visitor would get it.
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
          const page = await context.newPage();
          await page.goto(server.url);
          await page.waitForFunction(() => (window as any).__game?.firstFrameMs >= 0, null, { timeout: 10_000 });
          firsts.push(await page.evaluate(() => (window as any).__game.firstFrameMs as number));
          if (i === loads - 1) {
            await page.keyboard.press('Enter');
            await page.waitForTimeout(300);
            fps = await page.evaluate(async (ms) => {
              const g = (window as any).__game;
              const f0 = g.frames;
              const t0 = performance.now();
              await new Promise((r) => setTimeout(r, ms));
              return ((g.frames - f0) * 1000) / (performance.now() - t0);
            }, seconds * 1000);
          }
          await context.close();
        }
        firsts.sort((a, b) => a - b);
        perKit.push({ kit, firstFrameMs: round(firsts[Math.floor(firsts.length / 2)]!), fps: round(fps) });
      } finally {
        await server.close();
        await built.cleanup();
      }
    }
  } finally {
    await browser.close();
  }
  return {
    firstFrameMs: Math.max(...perKit.map((k) => k.firstFrameMs)),
    fps: Math.min(...perKit.map((k) => k.fps)),
    perKit,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

if (import.meta.main) {
  const { values } = parseArgs({
    options: { loads: { type: 'string' }, seconds: { type: 'string' }, kit: { type: 'string', multiple: true } },
  });
  const kits = values.kit?.length ? (values.kit as Genre[]) : undefined;
  const result = await measureGameFps({
    kits,
    loads: values.loads ? Number(values.loads) : undefined,
    seconds: values.seconds ? Number(values.seconds) : undefined,
  });
  for (const k of result.perKit)
    console.log(
      `${k.kit.padEnd(14)} first frame ${String(k.firstFrameMs).padStart(6)} ms   ${String(k.fps).padStart(5)} fps`,
    );
  console.log(`worst: first frame ${result.firstFrameMs} ms (target ≤ 300), ${result.fps} fps (target ≥ 55)`);
}
