// The scripted play: a seeded input script (the declared controls, or arrows,
// Space and clicks when nothing is declared) played for N seconds of game time
// at 4× speed, sampling a trace (time, state, score, currency, lives) and
// watching the frame loop. An end screen is answered with Enter, as a player would.
import type { Page } from 'playwright-core';
import { type Action, type Control, perform } from './controls.ts';
import { type GameSnapshot, readGame, readProbe, resetGaps, setClock, visibleText } from './page-probes.ts';
import type { ServingMode } from './document.ts';

export interface Recorder {
  openedAt: number;
  mode: ServingMode;
  console: { t: number; type: 'error' | 'warning' | 'log'; text: string }[];
  errors: { t: number; text: string }[];
  inputScript: { at: number; phase: 'start' | 'controls' | 'play'; action: string }[];
  trace: {
    t: number;
    mode: ServingMode;
    state: string | null;
    score: number | null;
    currency: number | null;
    lives: number | null;
  }[];
  shots: { name: string; bytes: Buffer }[];
}

export interface PlayResult {
  gameSeconds: number;
  wallMs: number;
  /** Longest wall-clock gap between two frames during play (screenshots excluded). */
  maxGapMs: number;
  /** Wall ms since the last frame when play ended. */
  stalledMs: number;
  framesDuring: number;
  ends: string[];
  livesLost: boolean;
  /** State paths (not the player's) that changed during play. */
  worldPaths: string[];
  /** Progress toward a goal: wave/level/age/stage counters that rose, e.g. "kit.wave 1→3". */
  progress: string[];
}

const GOAL = /\.(wave|level|age|stage)$/;
/** Goal counters (wave, level, age, stage) that rose between two snapshots. */
export function goalProgress(a: GameSnapshot | null, b: GameSnapshot | null): string[] {
  if (!a || !b) return [];
  return Object.keys(b.flat)
    .filter((k) => GOAL.test(k) && typeof a.flat[k] === 'number' && (b.flat[k] as number) > (a.flat[k] as number))
    .map((k) => `${k} ${a.flat[k]}→${b.flat[k]}`);
}

export const PLAY_SPEED = 4;
const END_TEXT = /\b(game over|you (?:lose|lost|died|crashed)|try again)\b/i;
const PLAYER = /^kit\.(player|paddle|cursor)\b/;

function mulberry(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seeded script's actions: every declared key and pointer, or a default set when the page declares none. */
function scriptActions(declared: Control[]): Action[] {
  const keys = declared.flatMap((c) => c.keys);
  const pointer = declared.some((c) => c.pointer) || !declared.length;
  const list = keys.length ? keys : declared.length ? [] : ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Space'];
  const actions: Action[] = list.map((key) => ({ label: key, key, declared: true, control: key }));
  if (pointer)
    for (let i = 0; i < 3; i++)
      actions.push({ label: 'click', click: [0.2 + 0.3 * i, 0.35 + 0.15 * i], declared: true, control: 'pointer' });
  return actions;
}

export async function playScript(
  page: Page,
  rec: Recorder,
  opts: { seconds: number; seed: number; declared: Control[]; hasGame: boolean },
): Promise<PlayResult> {
  const rand = mulberry(opts.seed ^ 0x9e3779b9);
  const actions = scriptActions(opts.declared);
  await setClock(page, PLAY_SPEED);
  await resetGaps(page);
  const start = await readProbe(page);
  const wall0 = Date.now();
  const first = await readGame(page);
  const ends: string[] = [];
  const world = new Set<string>();
  let livesLost = false;
  let last = first;
  let sampledAt = 0;
  const sample = async () => {
    const g = await readGame(page);
    const p = await readProbe(page);
    rec.trace.push({
      t: Math.round(p.gameSeconds * 10) / 10,
      mode: rec.mode,
      state: g?.state ?? null,
      score: g?.score ?? null,
      currency: g?.currency ?? null,
      lives: g?.lives ?? null,
    });
    if (g && last) {
      for (const k of Object.keys(g.flat)) if (g.flat[k] !== last.flat[k] && !PLAYER.test(k)) world.add(k);
      if (g.lives !== null && last.lives !== null && g.lives < last.lives) livesLost = true;
    }
    last = g ?? last;
    let end: string | null = null;
    if (g) end = g.state === 'lost' || g.state === 'won' ? g.state : null;
    else if (!opts.hasGame) end = END_TEXT.exec(await visibleText(page))?.[1] ?? null;
    if (end) {
      ends.push(`${end} at ${Math.round((p.gameSeconds - start.gameSeconds) * 10) / 10} s`);
      await page.keyboard.press('Enter'); // play again
      rec.inputScript.push({ at: Date.now() - wall0, phase: 'play', action: 'press Enter (end screen)' });
    }
    return p;
  };
  let probe = start;
  let shotMid = false;
  while (probe.gameSeconds - start.gameSeconds < opts.seconds && actions.length) {
    const a = actions[Math.floor(rand() * actions.length)]!;
    const hold = 60 + Math.floor(rand() * 160);
    rec.inputScript.push({ at: Date.now() - wall0, phase: 'play', action: `${a.label} for ${hold} ms` });
    await perform(page, a, hold);
    if (Date.now() - sampledAt > 400) {
      sampledAt = Date.now();
      probe = await sample();
    } else probe = await readProbe(page);
    if (!shotMid && probe.gameSeconds - start.gameSeconds >= opts.seconds / 2) {
      shotMid = true;
      await shot(page, rec, 'mid');
    }
  }
  const end = await sample();
  await setClock(page, 1);
  return {
    gameSeconds: Math.round((end.gameSeconds - start.gameSeconds) * 10) / 10,
    wallMs: Date.now() - wall0,
    maxGapMs: Math.round(end.maxGap),
    stalledMs: Math.round(Math.min(end.sinceLastFrame, 1e9)),
    framesDuring: end.frames - start.frames,
    ends,
    livesLost,
    worldPaths: [...world].slice(0, 8),
    progress: goalProgress(first, last),
  };
}

/** A screenshot named `<mode>-<name>`; the frame gap it causes is the judge's, not the game's. */
export async function shot(page: Page, rec: Recorder, name: string): Promise<void> {
  const bytes = await page.screenshot({ type: 'png', timeout: 5000 }).catch(() => null);
  await page.evaluate(() => (window as any).__judge.skipGap()).catch(() => {});
  if (bytes) rec.shots.push({ name: `${rec.mode}-${name}`, bytes });
}
