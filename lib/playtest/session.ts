// One play-test session on one serving of a game: open it in a fresh context with
// the judge's init script, record errors, console lines and foreign requests,
// wait for frames, take the title screenshot, measure the fit, start the game,
// watch idle play (instant death, a reachable loss, a moving world), test the
// controls against a baseline, then play the seeded input script. It only
// observes; lib/playtest/checks.ts judges. A `light` session (the sandboxed
// serving) loads, starts and plays briefly.
import type { Browser, Page } from 'playwright-core';
import type { ServingMode } from './document.ts';
import { controlActions, declaredControls, perform, type Control } from './controls.ts';
import { testWithGame, testWithPicture, type ActionResult } from './controls-test.ts';
import { judgeInit } from './init-script.ts';
import { measureFit, readGame, readHud, readPicture, readProbe, runFrames, setClock } from './page-probes.ts';
import { visibleText } from './page-probes.ts';
import type { Fit, Picture } from './page-probes.ts';
import { endSeen, idle } from './idle.ts';
import { playScript, shot, type PlayResult, type Recorder } from './play.ts';
import { playerCsp } from './player-csp.ts';
import type { CspSource } from './document.ts';

export interface SessionOptions {
  mode: ServingMode;
  seed: number;
  /** Game seconds of scripted play (default 24). */
  seconds: number;
  light: boolean;
  bootTimeoutMs: number;
  /** The whole session's limit; a page still not answering then counts as hung. */
  deadlineMs: number;
  /** Apply GAME_CSP to document responses that carry no policy (lib/playtest/player-csp.ts). */
  enforceCsp?: boolean;
  signal?: AbortSignal;
}

export type IdleObs = {
  gameSeconds: number;
  instantDeathAt: number | null;
  endedAt: number | null;
  ended: string | null;
  livesLost: boolean;
  progress: string[];
  movedCells: number;
  movedPaths: string[];
};

export interface SessionObs {
  mode: ServingMode;
  url: string;
  light: boolean;
  /** Where the page's CSP came from: its server, the tester (GAME_CSP applied), or nowhere. */
  csp: CspSource;
  unresponsive: string | null;
  foreign: string[];
  /** CSP violations the page reported (blocked requests never reach the network). */
  violations: string[];
  hasGame: boolean;
  frames: number;
  firstFrameMs: number | null;
  /** Wall ms since opening when the start input was sent (errors after it happened during play). */
  playFromMs: number | null;
  titleText: string;
  endText: string;
  pictures: Picture[];
  fits: Fit[];
  start: { before: string | null; after: string | null; byInput: boolean };
  idle: IdleObs | null;
  declared: Control[];
  controls: ActionResult[];
  play: PlayResult | null;
  hud: { score: number; currency: number; text: string } | null;
  rec: Recorder;
}

export class PlaytestUnreachableError extends Error {
  code = 'game_unreachable';
}
export class PlaytestAbortedError extends Error {
  code = 'playtest_aborted';
}

const LOAD_TIMEOUT_MS = 15_000;
const clip = (s: string) => (s.length > 480 ? `${s.slice(0, 477)}...` : s);

export async function runSession(browser: Browser, url: string, opts: SessionOptions): Promise<SessionObs> {
  if (opts.signal?.aborted) throw new PlaytestAbortedError('play-test aborted before it started');
  const origin = new URL(url).origin;
  const rec: Recorder = {
    openedAt: Date.now(),
    console: [],
    errors: [],
    inputScript: [],
    trace: [],
    shots: [],
    mode: opts.mode,
  };
  const obs: SessionObs = {
    ...{
      mode: opts.mode,
      url,
      light: opts.light,
      csp: 'none',
      unresponsive: null,
      foreign: [],
      violations: [],
      hasGame: false,
      frames: 0,
    },
    ...{ firstFrameMs: null, playFromMs: null, titleText: '', endText: '', pictures: [], fits: [] },
    ...{ start: { before: null, after: null, byInput: false }, idle: null, declared: [], controls: [], play: null },
    ...{ hud: null, rec },
  };
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const onAbort = () => void context.close().catch(() => {});
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let hung = false;
  const watchdog = setTimeout(() => {
    hung = true;
    void context.close().catch(() => {});
  }, opts.deadlineMs);
  try {
    // Aborted while the context was being made (before the listener): the listener will never fire.
    if (opts.signal?.aborted) throw new PlaytestAbortedError('play-test aborted while opening the game');
    const csp = await playerCsp(context, opts.enforceCsp ?? false);
    const page = await context.newPage();
    await page.addInitScript(judgeInit, opts.seed);
    const since = () => Date.now() - rec.openedAt;
    page.on('pageerror', (e) => {
      if (rec.errors.length < 50)
        rec.errors.push({ t: since(), text: clip(`${e.name}: ${e.message}${firstFrame(e.stack)}`) });
    });
    page.on('console', (m) => {
      const type = m.type() === 'error' ? 'error' : m.type() === 'warning' ? 'warning' : 'log';
      // Chromium reports a missing favicon as a console error; it says nothing about the game.
      if (type === 'error' && /\/favicon\.ico(\?|$)/.test(m.location().url)) return;
      if (rec.console.length < 150) rec.console.push({ t: since(), type, text: clip(m.text()) });
    });
    page.on('request', (r) => {
      const u = r.url();
      if (!/^(data|blob|about):/.test(u) && originOf(u) !== origin && obs.foreign.length < 50)
        obs.foreign.push(clip(u));
    });
    let status: number | null = null;
    try {
      status = (await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS }))?.status() ?? null;
    } catch (e) {
      if (opts.signal?.aborted) throw new PlaytestAbortedError('play-test aborted while loading the game');
      throw new PlaytestUnreachableError(`could not load ${url}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (status === null || status >= 400)
      throw new PlaytestUnreachableError(`${url} answered HTTP ${status}: the game is not served there`);
    obs.csp = csp.source();
    const loaded = await page.waitForLoadState('load', { timeout: LOAD_TIMEOUT_MS }).then(
      () => true,
      () => false,
    );
    if (!loaded && !hung) obs.unresponsive = `the load event did not fire within ${LOAD_TIMEOUT_MS} ms`;
    await waitForFrames(page, rec, opts.bootTimeoutMs);
    await observe(page, obs, opts);
    return obs;
  } catch (e) {
    if (opts.signal?.aborted && !(e instanceof PlaytestAbortedError))
      throw new PlaytestAbortedError('play-test aborted: the task runner is stopping');
    if (hung && !(e instanceof PlaytestUnreachableError)) {
      obs.unresponsive = `the page stopped responding: the session got no answer within ${opts.deadlineMs} ms (a script blocking the main thread, or a machine too loaded to play it)`;
      return obs;
    }
    throw e;
  } finally {
    clearTimeout(watchdog);
    opts.signal?.removeEventListener('abort', onAbort);
    await context.close().catch(() => {});
  }
}

async function observe(page: Page, obs: SessionObs, opts: SessionOptions): Promise<void> {
  const { rec } = obs;
  const probe = await readProbe(page);
  obs.frames = probe.frames;
  obs.firstFrameMs = probe.firstFrameWall >= 0 ? Math.round(probe.firstFrameWall) : null;
  obs.hasGame = (await readGame(page)) !== null;
  obs.titleText = await visibleText(page);
  obs.declared = declaredControls(obs.titleText);
  // Time stands still while the judge looks (7 frames between pictures): a game without a title
  // card must not play, and lose, while its title is photographed and its layout measured.
  // A loop that stopped (no frame for STALL_MS) won't run the next 7 either: don't wait for it twice more.
  let looping = true;
  for (let i = 0; i < 3; i++) {
    obs.pictures.push(await readPicture(page));
    if (looping) looping = await runFrames(page, 7);
  }
  await shot(page, rec, 'title');
  if (!opts.light) {
    obs.fits.push(await measureFit(page, 1280, 800), await measureFit(page, 390, 844));
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  // Start: real input first (Enter, then a click), the API only if neither started it.
  const before = await readGame(page);
  obs.start.before = before?.state ?? null;
  obs.playFromMs = Date.now() - rec.openedAt;
  await setClock(page, 1);
  await page.keyboard.press('Enter');
  rec.inputScript.push({ at: 0, phase: 'start', action: 'press Enter' });
  await page.waitForTimeout(150);
  if ((await readGame(page))?.state === 'title' || !obs.hasGame) {
    await perform(page, { label: 'click', click: [0.5, 0.5], declared: true, control: 'start' }, 50);
    rec.inputScript.push({ at: 200, phase: 'start', action: 'click canvas 0.5,0.5' });
  }
  const after = await readGame(page);
  obs.start.after = after?.state ?? null;
  obs.start.byInput = !!after && after.state !== before?.state;
  if (after?.state === 'title') await page.evaluate(() => (window as any).__game.start?.());
  if (!opts.light) await idle(page, obs);
  await shot(page, rec, 'play-2s');
  if (!opts.light) {
    const actions = controlActions(obs.declared);
    await setClock(page, 1);
    // A loop stopped at the title and still stopped after the start fails `survives`; testing controls on
    // it would only wait for frames that never come (a loop that resumed on the start input is tested).
    if (!looping) looping = await runFrames(page, 1);
    await setClock(page, 1);
    obs.controls = !looping
      ? actions.map((a) => ({
          label: a.label,
          control: a.control,
          declared: a.declared,
          effect: [],
          inconclusive: true,
        }))
      : obs.hasGame
        ? await testWithGame(page, actions)
        : await testWithPicture(
            page,
            actions,
            async () => (await endSeen(page)) !== null,
            async () => {
              // A run that ended is restarted as a player would, or the controls can't show anything.
              await page.keyboard.press('Enter');
              rec.inputScript.push({
                at: Date.now() - rec.openedAt,
                phase: 'controls',
                action: 'press Enter (end screen)',
              });
            },
          );
    await setClock(page, 1);
    if (obs.hasGame) await page.evaluate(() => (window as any).__game.restart?.());
  }
  obs.play = await playScript(page, rec, {
    seconds: opts.light ? 4 : opts.seconds,
    seed: opts.seed,
    declared: obs.declared,
    hasGame: obs.hasGame,
  });
  for (let i = 0; i < 3; i++) {
    obs.pictures.push(await readPicture(page));
    await page.waitForTimeout(100);
  }
  obs.endText = await visibleText(page);
  obs.hud = await readHud(page);
  await shot(page, rec, 'end');
  obs.violations = (await readProbe(page)).violations;
}

async function waitForFrames(page: Page, rec: Recorder, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    // Booted: time stands still until the judge has looked (a game without a title card would play on).
    if ((await readProbe(page)).frames > 5) return void (await runFrames(page, 0));
    if (rec.errors.length && Date.now() - started > 1500) return;
    await page.waitForTimeout(100);
  }
}

function originOf(u: string): string | null {
  try {
    return new URL(u).origin;
  } catch {
    return null;
  }
}

function firstFrame(stack: string | undefined): string {
  const frame = stack?.split('\n').find((l) => l.trim().startsWith('at '));
  return frame ? ` (${frame.trim()})` : '';
}
