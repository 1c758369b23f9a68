// A GameDriver (keypoints.ts) over a Playwright page showing a game that exposes
// window.__game: restart through its API, keys and clicks as a player sends them,
// and game time sped up (window.__game.speed) while the checks wait.
import type { Page } from 'playwright-core';
import type { GameDriver } from './keypoints.ts';

const FAST = 16;
const POLL_MS = 50;
/** Runs this short (game seconds) are played at real speed, where one frame is at most 0.25 s. */
const SHORT_RUN_S = 5;

export function pageDriver(page: Page, opts: { maxWaitMs?: number } = {}): GameDriver {
  const maxWaitMs = opts.maxWaitMs ?? 30_000;
  const read = (path: string) =>
    page.evaluate((p) => {
      let v: any = (window as any).__game;
      for (const part of p.split('.')) v = v == null ? undefined : v[part];
      return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
    }, path);
  return {
    async restart() {
      await page.evaluate(() => {
        const g = (window as any).__game;
        if (!g) throw new Error('window.__game is missing');
        g.speed = 1;
        if (g.state === 'title') g.start();
        else g.restart();
        // Keys go to the page, not to a button left focused (Space on a focused "Play" button would click it).
        (document.activeElement as HTMLElement | null)?.blur?.();
      });
      await page.waitForFunction(() => (window as any).__game.state === 'playing', null, { timeout: 5000 });
    },
    read,
    async hold(code, ms) {
      await page.keyboard.down(code);
      await page.waitForTimeout(ms);
      await page.keyboard.up(code);
    },
    async click({ x, y }) {
      const box = await page.locator('canvas').first().boundingBox();
      if (!box) throw new Error('no visible canvas to click');
      await page.mouse.click(box.x + (x / 960) * box.width, box.y + (y / 540) * box.height);
    },
    async run(seconds, watch, until) {
      const start = (await read('time')) as number;
      // Short runs at real speed, and the page itself slows time to a crawl on the frame the run
      // is over: a poll that comes late (a loaded machine) must not play on past the target. At 16×
      // one slow frame is up to 4 s of game time, which made "survives the first 2 s" a coin toss.
      await page.evaluate(
        ({ speed, seconds }) => {
          const g = (window as any).__game;
          const t0 = g.time;
          g.speed = speed;
          // A newer run replaces this one's watcher (a run can end early, on its `until`).
          const run = ((window as any).__keypointRun ?? 0) + 1;
          (window as any).__keypointRun = run;
          const watch = () => {
            if ((window as any).__keypointRun !== run) return;
            if (g.time - t0 >= seconds || (g.state !== 'playing' && g.state !== 'paused')) g.speed = 0.1;
            else requestAnimationFrame(watch);
          };
          requestAnimationFrame(watch);
        },
        { speed: seconds <= SHORT_RUN_S ? 1 : FAST, seconds },
      );
      const deadline = Date.now() + maxWaitMs;
      let value = await read(watch);
      try {
        while (Date.now() < deadline) {
          if (until?.(value)) break;
          const [time, state] = (await Promise.all([read('time'), read('state')])) as [number, string];
          // A run that ended (won or lost) has stopped its clock: nothing more will happen.
          if (time - start >= seconds || (state !== 'playing' && state !== 'paused')) break;
          await page.waitForTimeout(POLL_MS);
          value = await read(watch);
        }
        return await read(watch);
      } finally {
        await page.evaluate(() => ((window as any).__game.speed = 1)).catch(() => {});
      }
    },
  };
}
