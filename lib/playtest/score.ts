// Judging a play-test: turns what the session observed into the checks of
// PLAYTEST_CHECKS (lib/artifacts.ts), a 0–100 score (the weights of the checks
// that passed) and a verdict (every required check passed). Pure, so the
// thresholds are tested without a browser.
import { PLAYTEST_CHECKS, Playtest, describeZodError, type PlaytestCheckId } from '../artifacts.ts';
import type { Observations } from './run-playtest.ts';

/** Fewer distinct colours than this is a blank or flat canvas. */
export const MIN_COLOURS = 4;
/** The first frame should be drawn within this long of navigation. */
export const FIRST_FRAME_BUDGET_MS = 2500;

const list = (items: string[], n = 3) =>
  items.slice(0, n).join(' | ') + (items.length > n ? ` (+${items.length - n} more)` : '');

function judge(obs: Observations): Record<PlaytestCheckId, { passed: boolean; detail: string }> {
  const input = obs.inputChangedState && obs.inputChangedPicture;
  return {
    loads: obs.unresponsive
      ? {
          passed: false,
          detail: obs.unresponsive + (obs.pageErrors.length ? `; uncaught error(s): ${list(obs.pageErrors)}` : ''),
        }
      : obs.pageErrors.length
        ? { passed: false, detail: `uncaught error(s): ${list(obs.pageErrors)}` }
        : { passed: true, detail: 'loaded, no uncaught errors' },
    noConsoleErrors: obs.consoleErrors.length
      ? { passed: false, detail: `console error(s): ${list(obs.consoleErrors)}` }
      : { passed: true, detail: 'none' },
    boots: obs.booted
      ? { passed: true, detail: `${obs.frames} frames` }
      : { passed: false, detail: 'window.__game never ran frames: the game script did not start (see the errors)' },
    painted:
      obs.distinctColours >= MIN_COLOURS
        ? { passed: true, detail: `${obs.distinctColours} distinct colours` }
        : {
            passed: false,
            detail:
              obs.distinctColours === 0
                ? 'no canvas with pixels on the page'
                : `only ${obs.distinctColours} distinct colour(s): the canvas is blank or flat`,
          },
    offline: obs.foreignRequests.length
      ? { passed: false, detail: `requests outside the game origin: ${list(obs.foreignRequests)}` }
      : { passed: true, detail: 'no foreign requests' },
    respondsToInput: input
      ? { passed: true, detail: `state ${obs.stateBefore} → ${obs.stateAfterInput}, picture changed` }
      : {
          passed: false,
          detail: !obs.booted
            ? 'not tested: the game did not boot'
            : `click + Enter: state ${obs.stateBefore} → ${obs.stateAfterInput}${obs.inputChangedState ? '' : ' (unchanged)'}, picture ${obs.inputChangedPicture ? 'changed' : 'unchanged'}`,
        },
    firstFrameFast:
      obs.firstFrameMs !== null && obs.firstFrameMs <= FIRST_FRAME_BUDGET_MS
        ? { passed: true, detail: `first frame after ${obs.firstFrameMs} ms` }
        : {
            passed: false,
            detail:
              obs.firstFrameMs === null
                ? 'no frame was drawn'
                : `first frame after ${obs.firstFrameMs} ms (budget ${FIRST_FRAME_BUDGET_MS} ms)`,
          },
    progresses:
      obs.scoreGained > 0 || obs.currencyGained > 0
        ? {
            passed: true,
            detail: `score +${round1(obs.scoreGained)}, currency +${round1(obs.currencyGained)} in ${obs.playMs} ms`,
          }
        : {
            passed: false,
            detail: obs.booted
              ? `neither score nor currency rose in ${obs.playMs} ms of scripted play`
              : 'not tested: the game did not boot',
          },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function scorePlaytest(
  obs: Observations,
  meta: { round: number; at: Date; durationMs: number; screenshot: boolean },
): Playtest {
  const results = judge(obs);
  const checks = (Object.keys(PLAYTEST_CHECKS) as PlaytestCheckId[]).map((id) => ({
    id,
    passed: results[id].passed,
    required: PLAYTEST_CHECKS[id].required,
    weight: PLAYTEST_CHECKS[id].weight,
    detail: results[id].detail.slice(0, 500),
  }));
  const candidate = {
    version: 1,
    round: meta.round,
    url: obs.url,
    at: meta.at.toISOString(),
    durationMs: Math.round(meta.durationMs),
    score: checks.reduce((n, c) => n + (c.passed ? c.weight : 0), 0),
    passed: checks.every((c) => c.passed || !c.required),
    checks,
    defects: checks
      .filter((c) => !c.passed)
      .map((c) => `${c.required ? '' : '(minor) '}${PLAYTEST_CHECKS[c.id].label}: ${c.detail}`.slice(0, 500)),
    errors: [...obs.pageErrors.map((e) => `page: ${e}`), ...obs.consoleErrors.map((e) => `console: ${e}`)]
      .slice(0, 50)
      .map((e) => e.slice(0, 500)),
    foreignRequests: obs.foreignRequests.slice(0, 50),
    metrics: {
      firstFrameMs: obs.firstFrameMs,
      frames: obs.frames,
      distinctColours: obs.distinctColours,
      stateBefore: obs.stateBefore?.slice(0, 40) ?? null,
      stateAfterInput: obs.stateAfterInput?.slice(0, 40) ?? null,
      scoreGained: obs.scoreGained,
      currencyGained: obs.currencyGained,
      playMs: obs.playMs,
    },
    screenshot: meta.screenshot ? 'playtest.png' : null,
  };
  // Validated here, once, so nothing stores a playtest.json the schema would refuse.
  const parsed = Playtest.safeParse(candidate);
  if (!parsed.success)
    throw Object.assign(new Error(`play-test result is invalid: ${describeZodError(parsed.error)}`), {
      code: 'invalid_playtest',
    });
  return parsed.data;
}
