// A GameDriver (keypoints.ts) over a Playwright page showing a game that exposes
// window.__game: restart through its API, keys and clicks as a player sends them,
// and game time controlled by the page itself (window.__game.speed).
//
// Every duration is game time, measured and ended inside the page, never by the
// wall clock: between two driver steps the game stands still (speed 0), a hold
// lets exactly its game time pass with the key down (at least one simulation step),
// and a run ends, and reads the watched value, on the very frame its game time is
// reached. A loaded machine (slow round trips, late polls) then cannot change what
// a keypoint sees: before this, a Space jump read 0.8 s late had already landed,
// and a launched ball read 3 s late had already been lost and served again.
import type { Page } from 'playwright-core';
import type { GameDriver } from './keypoints.ts';

/** What clockStep does: restart and hold the game still, or play game time and hold still again. */
type ClockStep =
  | { op: 'restart' }
  | { op: 'freeze' }
  | { op: 'advance'; seconds: number; watch?: string; equals?: string | number | boolean };

/** The page's record of the latest advance (window.__keypointClock). */
interface ClockRecord {
  id: number;
  done: boolean;
  value: unknown;
}

/**
 * Runs in the page (serialised by Playwright: nothing from outside its body). Speed 0 stops the
 * framework's clock; a game whose `speed` cannot go below 0.1 (older framework builds, its own
 * `window.__game`) crawls at 0.1 instead. Each call supersedes the previous call's watcher.
 */
function clockStep(step: ClockStep): { id: number; state: unknown } {
  const w = window as any;
  const g = w.__game;
  if (!g) throw new Error('window.__game is missing');
  const clock: ClockRecord = w.__keypointClock ?? { id: 0, done: true, value: undefined };
  w.__keypointClock = clock;
  const id = ++clock.id;
  const freeze = () => {
    g.speed = 0;
    if (g.speed !== 0) g.speed = 0.1;
  };
  const readPath = (path: string) => {
    let v: any = g;
    for (const part of path.split('.')) v = v == null ? undefined : v[part];
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  };
  if (step.op !== 'advance') {
    if (step.op === 'restart') {
      if (g.state === 'title') g.start();
      else g.restart();
      // Keys go to the page, not to a button left focused (Space on a focused "Play" button would click it).
      (document.activeElement as HTMLElement | null)?.blur?.();
    }
    if (step.op === 'freeze' || g.state === 'playing') freeze();
    clock.done = true;
    return { id, state: g.state };
  }
  const gameTime = () => (typeof g.time === 'number' ? g.time : performance.now() / 1000);
  const t0 = gameTime();
  const steps0 = g.steps;
  // At least one simulation step, so the game has handled the input the driver just sent.
  const stepped = () => (typeof g.steps === 'number' ? g.steps > steps0 : gameTime() > t0);
  // The same test as holds() 'equals' in keypoints.ts.
  const reached = (v: unknown) =>
    v === step.equals || (v !== undefined && String(v) === String(step.equals as string | number | boolean));
  clock.done = false;
  clock.value = undefined;
  const tick = () => {
    if (clock.id !== id) return;
    const left = step.seconds - (gameTime() - t0);
    const ended = g.state !== 'playing' && g.state !== 'paused';
    const hit = step.equals !== undefined && step.watch !== undefined && reached(readPath(step.watch));
    if (ended || hit || (left <= 0 && stepped())) {
      freeze();
      clock.value = step.watch === undefined ? undefined : readPath(step.watch);
      clock.done = true;
      return;
    }
    // Fast while far from the end, never faster than reaches it in one 0.25 s frame (the loop's clamp):
    // a slow frame cannot carry the game past the end.
    g.speed = Math.max(1, Math.min(16, left * 4));
    requestAnimationFrame(tick);
  };
  tick();
  return { id, state: g.state };
}

export function pageDriver(page: Page, opts: { maxWaitMs?: number } = {}): GameDriver {
  const maxWaitMs = opts.maxWaitMs ?? 30_000;
  const read = (path: string) =>
    page.evaluate((p) => {
      let v: any = (window as any).__game;
      for (const part of p.split('.')) v = v == null ? undefined : v[part];
      return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
    }, path);

  /** Plays `seconds` of game time (at least one step) and returns the watched value on the frame it ended. */
  async function advance(seconds: number, watch?: string, equals?: string | number | boolean): Promise<unknown> {
    const { id } = await page.evaluate(clockStep, { op: 'advance', seconds, watch, equals } satisfies ClockStep);
    try {
      await page.waitForFunction(
        (n) => {
          const c = (window as any).__keypointClock;
          return c.id !== n || c.done;
        },
        id,
        { timeout: maxWaitMs, polling: 20 },
      );
    } catch {
      // A game whose clock never reached the end (paused, or stuck) is judged on what it shows now.
      await page.evaluate(clockStep, { op: 'freeze' } satisfies ClockStep);
      return watch === undefined ? undefined : read(watch);
    }
    return page.evaluate(() => (window as any).__keypointClock.value);
  }

  return {
    async restart() {
      const { state } = await page.evaluate(clockStep, { op: 'restart' } satisfies ClockStep);
      if (state === 'playing') return;
      // A game that starts a moment later (its own window.__game): wait for it, then hold it still.
      await page.waitForFunction(() => (window as any).__game.state === 'playing', null, { timeout: 5000 });
      await page.evaluate(clockStep, { op: 'freeze' } satisfies ClockStep);
    },
    read,
    async hold(code, ms) {
      await page.keyboard.down(code);
      try {
        await advance(ms / 1000);
      } finally {
        await page.keyboard.up(code);
      }
    },
    async click({ x, y }) {
      const box = await page.locator('canvas').first().boundingBox();
      if (!box) throw new Error('no visible canvas to click');
      await page.mouse.click(box.x + (x / 960) * box.width, box.y + (y / 540) * box.height);
    },
    run: (seconds, watch, equals) => advance(seconds, watch, equals),
  };
}
