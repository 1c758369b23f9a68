// The play-test's rubric: the design's keypoints (lib/playtest/keypoints.ts) checked
// on the served game, in a page of its own after the judged sessions, through the
// game's window.__game (keypoint-page.ts). A game without window.__game cannot be
// checked this way: its keypoints are reported unverified (passed: null), with why.
import type { Browser } from 'playwright-core';
import type { Keypoint } from '../artifacts.ts';
import type { PlaytestDocument } from './document.ts';
import { pageDriver } from './keypoint-page.ts';
import { checkKeypoints } from './keypoints.ts';
import { playerCsp } from './player-csp.ts';

export type RubricEntry = PlaytestDocument['rubric'][number];

const LOAD_TIMEOUT_MS = 15_000;
const clip = (s: string) => (s.length > 500 ? `${s.slice(0, 497)}...` : s);

/** Every keypoint reported as not verified, with the same reason. */
export const unverified = (keypoints: Pick<Keypoint, 'id' | 'text'>[], why: string): RubricEntry[] =>
  keypoints.slice(0, 40).map((k) => ({ id: k.id.slice(0, 60), text: clip(k.text), passed: null, evidence: clip(why) }));

export async function playRubric(
  browser: Browser,
  url: string,
  keypoints: Keypoint[],
  opts: { signal?: AbortSignal; deadlineMs?: number; enforceCsp?: boolean } = {},
): Promise<RubricEntry[]> {
  if (!keypoints.length) return [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const close = () => void context.close().catch(() => {});
  opts.signal?.addEventListener('abort', close, { once: true });
  // A game that stops answering fails the keypoints still to check ("could not check: …"), never hangs the judge.
  const watchdog = setTimeout(close, opts.deadlineMs ?? 180_000);
  try {
    // The keypoints are played under the same policy as the sessions.
    await playerCsp(context, opts.enforceCsp ?? false);
    const page = await context.newPage();
    try {
      await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
      await page.waitForFunction(() => typeof (window as any).__game?.restart === 'function', null, {
        timeout: LOAD_TIMEOUT_MS,
      });
    } catch (e) {
      return unverified(
        keypoints,
        `not verified: window.__game (with start/restart) never appeared (${(e as Error).message.split('\n')[0]}); keypoints are read through it`,
      );
    }
    const rubric = await checkKeypoints(keypoints.slice(0, 40), pageDriver(page));
    return rubric.results.map((r) => ({
      id: r.id.slice(0, 60),
      text: clip(r.text),
      passed: r.passed,
      evidence: clip(r.detail),
    }));
  } finally {
    clearTimeout(watchdog);
    opts.signal?.removeEventListener('abort', close);
    await context.close().catch(() => {});
  }
}
