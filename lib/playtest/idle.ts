// Idle play from the start: exactly 2 s of game time with no input (an instant
// death?), then up to ~24 s more at 8× speed until an end, a lost life or a goal
// counter rising shows there is a game; and whether anything moved by itself.
import type { Page } from 'playwright-core';
import { changedCells, readGame, readPicture, readProbe, runFrames, setClock, visibleText } from './page-probes.ts';
import { goalProgress } from './play.ts';
import type { IdleObs, SessionObs } from './session.ts';

/** An end this soon (game seconds) after the run started, with no input, is an instant death. */
export const INSTANT_DEATH_S = 3;
/** Idle play after the first 2 s, in game seconds (at 8× speed), and the wall-clock cap for it. */
const IDLE_GAME_SECONDS = 24;
const IDLE_WALL_CAP_MS = 30_000;
const END_TEXT = /\b(game over|you (?:lose|lost|died|crashed)|try again|victory|you win)\b/i;
const round1 = (n: number) => Math.round(n * 10) / 10;

export async function idle(page: Page, obs: SessionObs): Promise<void> {
  // Time stands still while the judge reads the starting state, so exactly 120 frames (2 s) of game time
  // pass before the check, however slowly the machine answers (under load the reads took ~1 s of play).
  await runFrames(page, 0);
  // Instant death counts from the start input with __game (it says when a run starts), else from the page load.
  const t0 = obs.hasGame ? (await readProbe(page)).gameSeconds : 0;
  const g0 = await readGame(page);
  const p0 = (await readPicture(page)).grid;
  // Exactly 2 s of game time (120 frames of 1/60 s), whatever the machine's load.
  await runFrames(page, 120);
  const at2 = await endSeen(page);
  const p2 = (await readPicture(page)).grid;
  const g2 = await readGame(page);
  const at2Seconds = round1((await readProbe(page)).gameSeconds - t0);
  const idleObs: IdleObs = {
    gameSeconds: 0,
    instantDeathAt: null,
    endedAt: null,
    ended: at2,
    livesLost: false,
    progress: [],
    movedCells: changedCells(p0, p2).size,
    movedPaths:
      g0 && g2
        ? Object.keys(g2.flat)
            .filter((k) => g0.flat[k] !== g2.flat[k])
            .slice(0, 8)
        : [],
  };
  if (at2 && at2Seconds <= INSTANT_DEATH_S) idleObs.instantDeathAt = at2Seconds;
  await setClock(page, 8);
  // Up to 24 game seconds more, until an end, a lost life or a goal counter rising says it is a game.
  // Bounded by game time, not wall time: a loaded machine runs fewer frames per second, and a
  // fixed wall-clock wait then saw too little play and reported "no threat or goal" falsely.
  const wallDeadline = Date.now() + IDLE_WALL_CAP_MS;
  while (!idleObs.ended && !idleObs.livesLost && !idleObs.progress.length && Date.now() < wallDeadline) {
    if ((await readProbe(page)).gameSeconds - t0 >= 2 + IDLE_GAME_SECONDS) break;
    await page.waitForTimeout(200);
    const g = await readGame(page);
    if (g && g0?.lives != null && g.lives != null && g.lives < g0.lives) idleObs.livesLost = true;
    idleObs.progress = goalProgress(g0, g);
    idleObs.ended = await endSeen(page);
  }
  idleObs.gameSeconds = round1((await readProbe(page)).gameSeconds - t0);
  if (idleObs.ended) idleObs.endedAt = idleObs.gameSeconds;
  obs.idle = idleObs;
}

/** 'lost' / 'won' from __game, else an end screen's words in the page text, else null. */
export async function endSeen(page: Page): Promise<string | null> {
  const g = await readGame(page);
  if (g) return g.state === 'lost' || g.state === 'won' ? g.state : null;
  const m = END_TEXT.exec(await visibleText(page));
  return m ? `"${m[1]}" shown` : null;
}
