// The design's keypoints (lib/artifacts.ts Keypoint) checked against a running
// game: each from a fresh run, through a small driver (a browser page in
// keypoint-page.ts, a fake in unit tests), with evidence for every verdict. The
// pass rate over a design's keypoints is the play-test's rubric score.
import type { Keypoint } from '../artifacts.ts';

/**
 * What the checks need from a running game. Times are game time (`window.__game.time`), and the game
 * stands still between calls: what a check reads cannot depend on how fast the machine answers.
 */
export interface GameDriver {
  /** A fresh run in state `playing`, held still until the next hold or run. */
  restart(): Promise<void>;
  /** The value at a dotted path of window.__game (`kit.player.x`), or undefined. */
  read(path: string): Promise<unknown>;
  /** Holds the key down for `ms` of game time (at least one simulation step), then releases it. */
  hold(code: string, ms: number): Promise<void>;
  /** Clicks a point in canvas pixels (960×540). */
  click(point: { x: number; y: number }): Promise<void>;
  /**
   * Lets the game run `seconds` of game time (at least one step, so it has handled the last input),
   * ending early when the run ends or `watch` equals `equals`; returns `watch`'s value at that moment.
   */
  run(seconds: number, watch: string, equals?: string | number | boolean): Promise<unknown>;
}

export interface KeypointResult {
  id: string;
  text: string;
  passed: boolean;
  /** What was seen: the values before and after, and the baseline's when it ran. */
  detail: string;
}

export interface Rubric {
  results: KeypointResult[];
  passed: number;
  total: number;
  /** passed / total, 0–1 (1 when there are no keypoints). */
  passRate: number;
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 80 ? `${s.slice(0, 77)}…` : s;
};

/** Whether `after` relates to `before` as the keypoint expects. */
export function holds(expect: Keypoint['expect'], before: unknown, after: unknown): boolean {
  switch (expect.change) {
    case 'rises':
      return typeof before === 'number' && typeof after === 'number' && after > before;
    case 'falls':
      return typeof before === 'number' && typeof after === 'number' && after < before;
    case 'changes':
      return JSON.stringify(before) !== JSON.stringify(after);
    case 'equals':
    case 'stays':
      return after === expect.value || (after !== undefined && String(after) === String(expect.value));
  }
}

/** Plays the keypoint's act from a fresh run and returns the watched value before and after. */
async function perform(kp: Keypoint, driver: GameDriver, withInput: boolean) {
  await driver.restart();
  const before = await driver.read(kp.expect.watch);
  if (withInput) {
    for (const code of kp.act.keys) await driver.hold(code, kp.act.holdMs);
    if (kp.act.click) {
      const point = (await driver.read(kp.act.click)) as { x?: unknown; y?: unknown } | undefined;
      if (typeof point?.x !== 'number' || typeof point?.y !== 'number')
        return {
          before,
          after: undefined,
          problem: `window.__game.${kp.act.click} is not an {x, y} point (${show(point)})`,
        };
      await driver.click({ x: point.x, y: point.y });
    }
  } else {
    // The baseline lets the same game time pass without input.
    const idleMs = kp.act.keys.length * kp.act.holdMs;
    if (idleMs) await driver.run(idleMs / 1000, kp.expect.watch);
  }
  const equals = kp.expect.change === 'equals' ? kp.expect.value : undefined;
  const after = await driver.run(kp.act.seconds, kp.expect.watch, equals);
  return { before, after, problem: null as string | null };
}

/** Checks one keypoint; never throws (a driver failure is a failed keypoint with its reason). */
export async function checkKeypoint(kp: Keypoint, driver: GameDriver): Promise<KeypointResult> {
  const base = { id: kp.id, text: kp.text };
  const want = `${kp.expect.watch} ${kp.expect.change}${kp.expect.value !== undefined ? ` ${show(kp.expect.value)}` : ''}`;
  try {
    const run = await perform(kp, driver, true);
    if (run.problem) return { ...base, passed: false, detail: run.problem };
    if (run.after === undefined && run.before === undefined)
      return { ...base, passed: false, detail: `window.__game.${kp.expect.watch} does not exist` };
    const seen = `${kp.expect.watch}: ${show(run.before)} → ${show(run.after)}`;
    if (!holds(kp.expect, run.before, run.after))
      return { ...base, passed: false, detail: `expected ${want}; saw ${seen}` };
    if (!kp.baseline) return { ...base, passed: true, detail: seen };
    const idle = await perform(kp, driver, false);
    const idleSeen = `${show(idle.before)} → ${show(idle.after)} without the input`;
    if (holds(kp.expect, idle.before, idle.after))
      return { ...base, passed: false, detail: `${seen}, but also ${idleSeen}: the input is not what changed it` };
    return { ...base, passed: true, detail: `${seen}; ${idleSeen}` };
  } catch (e) {
    return { ...base, passed: false, detail: `could not check: ${(e as Error).message.slice(0, 300)}` };
  }
}

/** Checks every keypoint in order (each from a fresh run) and sums up the rubric. */
export async function checkKeypoints(keypoints: Keypoint[], driver: GameDriver): Promise<Rubric> {
  const results: KeypointResult[] = [];
  for (const kp of keypoints) results.push(await checkKeypoint(kp, driver));
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, total: results.length, passRate: results.length ? passed / results.length : 1 };
}
