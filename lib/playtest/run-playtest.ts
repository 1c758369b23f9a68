// One headless play-test session: open the deployed game in a fresh browser
// context, record what went wrong (uncaught errors, console errors, requests
// leaving the game's origin), wait for the framework to boot, prove that real
// keyboard/pointer input reaches the game, play a few seconds of scripted input
// and take a screenshot. It only observes; lib/playtest/score.ts judges.
import type { Browser, Page } from 'playwright-core';

export interface PlaytestOptions {
  /** Length of the scripted play (default 6 s). */
  playMs?: number;
  /** How long the framework may take to run its first frames (default 10 s). */
  bootTimeoutMs?: number;
  /** The whole session's limit; a page still not answering then counts as hung (default: the other limits + 20 s). */
  deadlineMs?: number;
  /** Aborts the session (the runner is shutting down). */
  signal?: AbortSignal;
}

export interface Observations {
  url: string;
  pageErrors: string[];
  consoleErrors: string[];
  foreignRequests: string[];
  /** Why the page counts as unresponsive (never finished loading, main thread blocked), else null. */
  unresponsive: string | null;
  /** window.__game exists and ran frames. */
  booted: boolean;
  frames: number;
  firstFrameMs: number | null;
  /** Distinct (quantised) colours on the game canvas; 0 when there is no canvas. */
  distinctColours: number;
  stateBefore: string | null;
  stateAfterInput: string | null;
  /** Real input (not the __game API) changed the game state / the canvas. */
  inputChangedState: boolean;
  inputChangedPicture: boolean;
  scoreGained: number;
  currencyGained: number;
  playMs: number;
  screenshot: Buffer | null;
}

export class PlaytestUnreachableError extends Error {
  code = 'game_unreachable';
}
export class PlaytestAbortedError extends Error {
  code = 'playtest_aborted';
}

// The framework's logical canvas size (framework/game.js WIDTH × HEIGHT): kit coordinates use it.
const LOGICAL = { width: 960, height: 540 };
const MOVE_KEYS = ['ArrowRight', 'ArrowUp', 'ArrowLeft', 'ArrowDown', 'KeyD', 'KeyW', 'KeyA', 'KeyS'];
const MAX_FINDINGS = 50;
const LOAD_TIMEOUT_MS = 15_000;
const clip = (s: string) => (s.length > 480 ? `${s.slice(0, 477)}...` : s);

export async function runPlaytest(browser: Browser, url: string, opts: PlaytestOptions = {}): Promise<Observations> {
  const { playMs = 6000, bootTimeoutMs = 10_000, signal } = opts;
  const deadlineMs = opts.deadlineMs ?? LOAD_TIMEOUT_MS + bootTimeoutMs + playMs + 20_000;
  if (signal?.aborted) throw new PlaytestAbortedError('play-test aborted before it started');
  const origin = new URL(url).origin;
  const obs: Observations = {
    url,
    pageErrors: [],
    consoleErrors: [],
    foreignRequests: [],
    unresponsive: null,
    booted: false,
    frames: 0,
    firstFrameMs: null,
    distinctColours: 0,
    stateBefore: null,
    stateAfterInput: null,
    inputChangedState: false,
    inputChangedPicture: false,
    scoreGained: 0,
    currencyGained: 0,
    playMs: 0,
    screenshot: null,
  };
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, serviceWorkers: 'block' });
  const onAbort = () => void context.close().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  // Untrusted code can block the page's main thread, and then no evaluate() ever returns:
  // the watchdog closes the context, which is a finding about the game, not a task failure.
  let hung = false;
  const watchdog = setTimeout(() => {
    hung = true;
    void context.close().catch(() => {});
  }, deadlineMs);
  try {
    const page = await context.newPage();
    const note = (list: string[], s: string) => list.length < MAX_FINDINGS && list.push(clip(s));
    page.on('pageerror', (e) => note(obs.pageErrors, `${e.name}: ${e.message}${firstStackFrame(e.stack)}`));
    page.on('console', (m) => {
      // Chromium reports a missing favicon as a console error; it says nothing about the game.
      if (m.type() === 'error' && !/\/favicon\.ico(\?|$)/.test(m.location().url)) note(obs.consoleErrors, m.text());
    });
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith('data:') && !u.startsWith('blob:') && originOf(u) !== origin) note(obs.foreignRequests, u);
    });

    // 'commit' separates "nothing serves this URL" (not the game's fault) from "the page never finishes loading" (its fault).
    let status: number | null = null;
    try {
      status = (await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS }))?.status() ?? null;
    } catch (e) {
      if (signal?.aborted) throw new PlaytestAbortedError('play-test aborted while loading the game');
      throw new PlaytestUnreachableError(`could not load ${url}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (status === null || status >= 400)
      throw new PlaytestUnreachableError(`${url} answered HTTP ${status}: the game is not served there`);
    const loaded = await page.waitForLoadState('load', { timeout: LOAD_TIMEOUT_MS }).then(
      () => true,
      () => false,
    );
    if (!loaded && !hung) obs.unresponsive = `the load event did not fire within ${LOAD_TIMEOUT_MS} ms`;

    obs.booted = await waitForBoot(page, obs.pageErrors, bootTimeoutMs);
    if (obs.booted) await playScripted(page, obs, playMs);
    obs.distinctColours = Math.max(obs.distinctColours, (await sampleCanvas(page)).colours);
    const g = await readGame(page);
    obs.frames = g?.frames ?? 0;
    obs.firstFrameMs = g && g.firstFrameMs >= 0 ? Math.round(g.firstFrameMs) : null;
    obs.screenshot = await page.screenshot({ type: 'png', timeout: 5000 }).catch(() => null);
    return obs;
  } catch (e) {
    if (signal?.aborted && !(e instanceof PlaytestAbortedError))
      throw new PlaytestAbortedError('play-test aborted: the task runner is stopping');
    if (hung && !(e instanceof PlaytestUnreachableError)) {
      obs.unresponsive = `the page stopped responding: the session got no answer within ${deadlineMs} ms (a script blocking the main thread?)`;
      return obs;
    }
    throw e;
  } finally {
    clearTimeout(watchdog);
    signal?.removeEventListener('abort', onAbort);
    await context.close().catch(() => {});
  }
}

type GameView = {
  state: string;
  score: number;
  currency: number;
  frames: number;
  firstFrameMs: number;
  points: [number, number][];
};

/** What the play-tester reads from window.__game (null when there is none). */
function readGame(page: Page): Promise<GameView | null> {
  return page.evaluate(() => {
    const g = (window as unknown as { __game?: Record<string, any> }).__game;
    if (!g) return null;
    // Things worth clicking: anything in the kit state with logical x/y (build spots, nodes, pests, ...).
    const points: [number, number][] = [];
    for (const v of Object.values((g.kit ?? {}) as Record<string, unknown>)) {
      if (!Array.isArray(v)) continue;
      for (const o of v.slice(0, 6))
        if (o && typeof o.x === 'number' && typeof o.y === 'number') points.push([o.x, o.y]);
    }
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
    return {
      state: String(g.state),
      score: num(g.score),
      currency: num(g.currency),
      frames: num(g.frames),
      firstFrameMs: typeof g.firstFrameMs === 'number' ? g.firstFrameMs : -1,
      points,
    };
  });
}

/** Polls until __game has run a few frames; gives up early once an uncaught error left no __game behind. */
async function waitForBoot(page: Page, pageErrors: string[], timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  let brokenSince: number | null = null;
  while (Date.now() - started < timeoutMs) {
    const frames = await page.evaluate(
      () => (window as unknown as { __game?: { frames?: number } }).__game?.frames ?? -1,
    );
    if (frames > 2) return true;
    if (frames < 0 && pageErrors.length) {
      brokenSince ??= Date.now();
      if (Date.now() - brokenSince > 1500) return false;
    }
    await page.waitForTimeout(100);
  }
  return false;
}

/** Real input first (does it reach the game?), then a few seconds of varied keys and clicks. */
async function playScripted(page: Page, obs: Observations, playMs: number): Promise<void> {
  const before = await readGame(page);
  const pictureBefore = await sampleCanvas(page);
  obs.stateBefore = before?.state ?? null;
  obs.distinctColours = pictureBefore.colours;

  await clickLogical(page, LOGICAL.width / 2, LOGICAL.height / 2);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  const after = await readGame(page);
  obs.stateAfterInput = after?.state ?? null;
  obs.inputChangedState = !!after && after.state !== before?.state;
  if (!obs.inputChangedState && before?.state === 'playing') {
    // No title card (framework games always have one): accept any change in the kit's state
    // across a key hold. Time moves a playing kit too, so this is the weaker signal.
    const kitBefore = await kitState(page);
    await holdKey(page, 'ArrowRight', 250);
    obs.inputChangedState = kitBefore !== (await kitState(page));
  }
  // A moment of play keys too: some kits show the same scene on the title card and at the start of a run.
  await holdKey(page, 'ArrowRight', 250);
  await page.keyboard.press('Space');
  await page.waitForTimeout(200);
  obs.inputChangedPicture = (await sampleCanvas(page)).hash !== pictureBefore.hash;
  // Input didn't start it: start through the API so the progress check still means something.
  if (after?.state === 'title')
    await page.evaluate(() => (window as unknown as { __game: { start(): void } }).__game.start());

  const startScore = after?.score ?? 0;
  const startCurrency = after?.currency ?? 0;
  let maxScore = startScore;
  let maxCurrency = startCurrency;
  const started = Date.now();
  for (let i = 0; Date.now() - started < playMs; i++) {
    const g = await readGame(page);
    if (!g) break;
    maxScore = Math.max(maxScore, g.score);
    maxCurrency = Math.max(maxCurrency, g.currency);
    if (g.state === 'won' || g.state === 'lost')
      await page.keyboard.press('Enter'); // play again
    else if (g.state === 'paused') await page.keyboard.press('KeyP');
    else if (i % 4 === 0) await holdKey(page, MOVE_KEYS[(i / 4) % MOVE_KEYS.length]!, 180);
    else if (i % 4 === 1) await page.keyboard.press('Space');
    else if (i % 4 === 2) {
      const [x, y] = g.points[i % Math.max(1, g.points.length)] ?? [((i * 137) % 800) + 80, ((i * 71) % 400) + 70];
      await clickLogical(page, x, y);
    } else await page.keyboard.press(`Digit${1 + ((i >> 2) % 3)}`); // buy an upgrade when affordable
    await page.waitForTimeout(60);
  }
  const last = await readGame(page);
  obs.scoreGained = Math.max(maxScore, last?.score ?? 0) - startScore;
  obs.currencyGained = Math.max(maxCurrency, last?.currency ?? 0) - startCurrency;
  obs.playMs = Date.now() - started;
  obs.distinctColours = Math.max(obs.distinctColours, (await sampleCanvas(page)).colours);
}

const kitState = (page: Page) =>
  page.evaluate(() => JSON.stringify((window as unknown as { __game?: { kit?: unknown } }).__game?.kit ?? null));

async function holdKey(page: Page, key: string, ms: number) {
  await page.keyboard.down(key);
  await page.waitForTimeout(ms);
  await page.keyboard.up(key);
}

/** Clicks a point given in the framework's logical canvas coordinates. */
async function clickLogical(page: Page, x: number, y: number) {
  const box = await page
    .locator('canvas')
    .first()
    .boundingBox({ timeout: 1000 })
    .catch(() => null);
  if (!box) return;
  const cx = box.x + Math.min(Math.max(x / LOGICAL.width, 0.01), 0.99) * box.width;
  const cy = box.y + Math.min(Math.max(y / LOGICAL.height, 0.01), 0.99) * box.height;
  await page.mouse.click(cx, cy);
}

/**
 * Downsamples the largest canvas (2D or WebGL) into a small 2D canvas and
 * counts its distinct colours (quantised, so noise doesn't count) plus a hash
 * of the pixels, to tell whether the picture changed.
 */
function sampleCanvas(page: Page): Promise<{ colours: number; hash: number }> {
  return page.evaluate(() => {
    const canvases = [...document.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0);
    const canvas = canvases.sort((a, b) => b.width * b.height - a.width * a.height)[0];
    if (!canvas) return { colours: 0, hash: 0 };
    const small = document.createElement('canvas');
    small.width = 480;
    small.height = 270;
    const ctx = small.getContext('2d', { willReadFrequently: true })!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(canvas, 0, 0, small.width, small.height);
    const { data } = ctx.getImageData(0, 0, small.width, small.height);
    const seen = new Set<number>();
    let hash = 0x811c9dc5;
    for (let i = 0; i < data.length; i += 4) {
      seen.add(((data[i]! >> 3) << 10) | ((data[i + 1]! >> 3) << 5) | (data[i + 2]! >> 3));
      hash = Math.imul(hash ^ data[i]! ^ (data[i + 1]! << 8) ^ (data[i + 2]! << 16), 0x01000193);
    }
    return { colours: seen.size, hash: hash >>> 0 };
  });
}

function originOf(u: string): string | null {
  try {
    return new URL(u).origin;
  } catch {
    return null;
  }
}

function firstStackFrame(stack: string | undefined): string {
  const frame = stack?.split('\n').find((l) => l.trim().startsWith('at '));
  return frame ? ` (${frame.trim()})` : '';
}
