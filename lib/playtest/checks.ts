// Judging the sessions: each check of PLAYTEST_CHECKS from what the sessions
// observed, with a message that says only what was seen and the evidence behind
// it; what could not be seen goes to `couldNotCheck` with the reason. Pure.
import type { Keypoint } from '../artifacts.ts';
import type { PlaytestCheckId } from './document.ts';
import type { SessionObs } from './session.ts';
import { lookChecks } from './checks-look.ts';
import { SEGMENT_FRAMES } from './controls-test.ts';
import { changedCells } from './page-probes.ts';

export type CheckResult = { passed: boolean; message: string; evidence?: Record<string, unknown> };
export type Unchecked = { id: string; why: string };
export type Judged = Partial<Record<PlaytestCheckId, CheckResult>>;

export interface JudgeExpectations {
  /** Names the design chose (title, player, enemies, currency): they should appear in the visible text. */
  names?: string[];
  /** The design's palette (#rrggbb): it should appear in the canvas. */
  palette?: string[];
  /** Keypoints of the design: expected behaviours, verified on the game as the document's `rubric` (rubric.ts). */
  keypoints?: Keypoint[];
}

export const FROZEN_MS = 1000;
export const MIN_FRAMES = 5;
const list = (items: string[], n = 3) =>
  items.slice(0, n).join(' | ') + (items.length > n ? ` (+${items.length - n} more)` : '');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function judgeSessions(sessions: SessionObs[], expect: JudgeExpectations = {}) {
  const main = sessions.find((s) => !s.light) ?? sessions[0]!;
  const sandbox =
    sessions.find((s) => s.mode === 'sandboxed' && s !== main) ?? (main.mode === 'sandboxed' ? main : null);
  const results: Judged = {};
  const unchecked: Unchecked[] = [];
  const playFrom = main.playFromMs ?? Number.POSITIVE_INFINITY;
  const early = main.rec.errors.filter((e) => e.t < playFrom);

  results.loads = main.unresponsive
    ? { passed: false, message: main.unresponsive, evidence: { errors: main.rec.errors.slice(0, 3) } }
    : early.length
      ? {
          passed: false,
          message: `uncaught error ${secs(early[0]!.t)} after opening, before play: ${list(early.map((e) => e.text))}`,
          evidence: { errors: early.slice(0, 5) },
        }
      : { passed: true, message: 'loaded; no uncaught error before play' };

  const foreign = [...new Set([...main.foreign, ...main.violations.filter((v) => /https?:/.test(v))])];
  results.offline = foreign.length
    ? {
        passed: false,
        message: `requests outside the game's origin (blocked or not): ${list(foreign)}`,
        evidence: { foreign },
      }
    : { passed: true, message: 'no request left the game origin' };

  if (main.unresponsive) {
    // The session was cut short: what it did not get to see is not judged.
    unchecked.push({
      id: 'play',
      why: `the session was cut short (${main.unresponsive}): the later checks did not run`,
    });
    return { results, unchecked };
  }
  const loading = (t: string) => /\bloading\b/i.exec(t)?.[0];
  const stuck = loading(main.titleText) && loading(main.endText) && (main.play?.gameSeconds ?? 0) > 0;
  results.starts =
    main.frames <= MIN_FRAMES
      ? {
          passed: false,
          message: `only ${main.frames} animation frame(s) were drawn after load${main.rec.errors.length ? `; the first uncaught error: ${main.rec.errors[0]!.text}` : ''}${blockedScripts(main)}`,
          evidence: { frames: main.frames, ...(main.violations.length ? { cspViolations: main.violations } : {}) },
        }
      : stuck
        ? {
            passed: false,
            message: `stuck on a loading screen: "${excerpt(main.endText)}" is still shown after ${main.play!.gameSeconds} s of play`,
            evidence: { titleText: main.titleText.slice(0, 200), endText: main.endText.slice(0, 200) },
          }
        : {
            passed: true,
            message: `${main.frames} frames before play, first at ${main.firstFrameMs} ms; start ${main.start.before ?? '?'} → ${main.start.after ?? '?'}`,
            evidence: { firstFrameMs: main.firstFrameMs, start: main.start },
          };

  if (main.frames > MIN_FRAMES) {
    judgeControls(main, results, unchecked);
    judgeSurvival(main, results);
    judgeIsGame(main, results, unchecked);
  } else
    unchecked.push({
      id: 'play',
      why: `the game never drew frames (${main.frames}), so its controls, survival and gameplay could not be checked`,
    });

  if (!sandbox) {
    unchecked.push({
      id: 'sandboxed',
      why: 'the sandboxed /play/N/ serving was not played (a URL is played as given; serve a folder with --sandbox, or pass the /play/N/ URL)',
    });
  } else {
    const errs = sandbox.rec.errors;
    const storage = errs.find((e) => /localStorage|sessionStorage|indexedDB|cookie|SecurityError/i.test(e.text));
    results.sandboxed = sandbox.unresponsive
      ? { passed: false, message: `sandboxed: ${sandbox.unresponsive}` }
      : errs.length
        ? {
            passed: false,
            message: `on the sandboxed origin (${sandbox.url}): uncaught error ${secs(errs[0]!.t)} after opening: ${list(errs.map((e) => e.text))}${storage ? '; storage throws on an opaque origin, so it must be wrapped in try/catch and degrade to no persistence' : ''}`,
            evidence: { url: sandbox.url, errors: errs.slice(0, 5) },
          }
        : sandbox.frames <= MIN_FRAMES && main.frames > MIN_FRAMES
          ? {
              passed: false,
              message: `on the sandboxed origin only ${sandbox.frames} frame(s) were drawn`,
              evidence: { url: sandbox.url },
            }
          : {
              passed: true,
              message: `sandboxed origin: ${sandbox.frames} frames, no uncaught error`,
              evidence: { url: sandbox.url },
            };
  }

  const consoleErrors = sessions.flatMap((s) => s.rec.console.filter((c) => c.type === 'error').map((c) => c.text));
  results.noConsoleErrors = consoleErrors.length
    ? { passed: false, message: `console error(s): ${list(consoleErrors)}`, evidence: { count: consoleErrors.length } }
    : { passed: true, message: 'no console errors' };

  lookChecks(main, results, unchecked, expect);
  return { results, unchecked };
}

function judgeControls(main: SessionObs, results: Judged, unchecked: Unchecked[]) {
  if (main.light || !main.controls.length) return;
  const declared = main.controls.filter((r) => r.declared);
  const byControl = new Map<string, typeof declared>();
  for (const r of declared) byControl.set(r.control, [...(byControl.get(r.control) ?? []), r]);
  const dead: string[] = [];
  const live: string[] = [];
  for (const [control, rs] of byControl) {
    const conclusive = rs.filter((r) => !r.inconclusive);
    if (!conclusive.length) {
      unchecked.push({
        id: `control:${control}`,
        why: `the game was not playing while ${control} was tested (it had ended, paused, or its frame loop had stopped)`,
      });
      continue;
    }
    const hit = conclusive.find((r) => r.effect.length);
    if (hit) live.push(`${control} (${hit.label}: ${hit.effect.join(', ')})`);
    else dead.push(`${control} (${conclusive.map((r) => r.label).join(', ')})`);
  }
  const undeclared = main.controls.filter((r) => !r.declared && !r.inconclusive && r.effect.length);
  const method = main.hasGame
    ? `each held for ${SEGMENT_FRAMES} frames (1/60 s each) after a restart and compared with the same frames of a no-input run from the same seed`
    : `each held for ${SEGMENT_FRAMES} frames (1/60 s each) and compared with the picture just before and after (no window.__game)`;
  const evidence = { declared: main.declared.map((c) => c.label), results: main.controls.slice(0, 30), method };
  if (main.controls.length && main.controls.every((r) => r.inconclusive)) {
    unchecked.push({
      id: 'inputReal',
      why: 'no control could be tested: the game was never playing with its frame loop running',
    });
    return;
  }
  if (!byControl.size && !undeclared.length)
    results.inputReal = {
      passed: false,
      message: `no input changed the game beyond what the no-input baseline changed (tried ${main.controls.map((r) => r.label).join(', ')}; ${method})`,
      evidence,
    };
  else if (dead.length)
    results.inputReal = {
      passed: false,
      message: `declared control(s) with no effect beyond the no-input baseline: ${dead.join('; ')} (${method})`,
      evidence,
    };
  else
    results.inputReal = {
      passed: true,
      message: live.length ? `controls work: ${list(live, 4)}` : `undeclared input works: ${undeclared[0]!.label}`,
      evidence,
    };
  results.controlsDocumented = undeclared.length
    ? {
        passed: false,
        message: `${undeclared.map((r) => `${r.label} (${r.effect.join(', ')})`).join('; ')} change the game but the page documents ${main.declared.length ? `only ${main.declared.map((c) => c.label).join(', ')}` : 'no controls'}`,
        evidence,
      }
    : {
        passed: true,
        message: `no undocumented control found (probed ${main.controls
          .filter((r) => !r.declared)
          .map((r) => r.label)
          .join(', ')})`,
      };
}

function judgeSurvival(main: SessionObs, results: Judged) {
  const play = main.play;
  if (!play) return;
  const late = main.rec.errors.filter((e) => e.t >= (main.playFromMs ?? 0));
  const ended = play.ends.length > 0;
  const evidence = {
    gameSeconds: play.gameSeconds,
    wallMs: play.wallMs,
    maxGapMs: play.maxGapMs,
    stalledMs: play.stalledMs,
    frames: play.framesDuring,
  };
  if (late.length)
    results.survives = {
      passed: false,
      message: `uncaught error ${secs(late[0]!.t - (main.playFromMs ?? 0))} into play (wall clock; the judge plays at up to 8× speed): ${list(late.map((e) => e.text))}`,
      evidence: { ...evidence, errors: late.slice(0, 5) },
    };
  else if (play.maxGapMs > FROZEN_MS)
    results.survives = { passed: false, message: `the frame loop froze for ${play.maxGapMs} ms during play`, evidence };
  else if (play.stalledMs > FROZEN_MS && !ended)
    results.survives = {
      passed: false,
      message: `no frame was drawn in the last ${play.stalledMs} ms of play: the loop stopped`,
      evidence,
    };
  else
    results.survives = {
      passed: true,
      message: `${play.gameSeconds} s of game time played (${play.framesDuring} frames, longest gap ${play.maxGapMs} ms)`,
      evidence,
    };
}

function judgeIsGame(main: SessionObs, results: Judged, unchecked: Unchecked[]) {
  const idle = main.idle;
  const play = main.play;
  if (!idle || !play) return;
  const evidence = { idle, ends: play.ends, livesLost: play.livesLost, worldPaths: play.worldPaths };
  const reached =
    idle.ended ??
    play.ends[0] ??
    (idle.livesLost || play.livesLost ? 'a life lost' : null) ??
    (idle.progress[0] || play.progress[0] ? `progress toward the goal: ${idle.progress[0] ?? play.progress[0]}` : null);
  const endPictures = main.pictures.slice(3);
  const playMoved = endPictures.some((p, i) => i > 0 && changedCells(endPictures[i - 1]!.grid, p.grid).size >= 4);
  const moved =
    playMoved ||
    idle.movedCells >= 4 ||
    idle.movedPaths.some((p) => !/^kit\.(player|paddle|cursor)\b/.test(p)) ||
    play.worldPaths.length > 0;
  if (idle.instantDeathAt !== null)
    results.isGame = {
      passed: false,
      message: `instant death: with no input the game had ended (${idle.ended}) ${idle.instantDeathAt} s of game time after ${main.hasGame ? 'the start input' : 'the page loaded'} (checked after 120 frames of 1/60 s of idle play)`,
      evidence,
    };
  else if (!moved)
    results.isGame = {
      passed: false,
      message: `nothing moves on its own: ${idle.movedCells} picture cells changed in 2 s of idle play, the picture held still after play, and no state beyond the player changed during play`,
      evidence,
    };
  else if (!reached && main.hasGame)
    results.isGame = {
      passed: false,
      message: `no loss, win, lost life or rising wave/level in ${idle.gameSeconds} s of idle play and ${play.gameSeconds} s of scripted play (window.__game.state never became 'lost' or 'won'): no threat or goal was found`,
      evidence,
    };
  else {
    if (!reached)
      unchecked.push({
        id: 'lossReachable',
        why: `no window.__game and no end-screen words ("game over", "try again", ...) appeared in ${idle.gameSeconds} s of idle and ${play.gameSeconds} s of play, so whether a loss is reachable is unknown`,
      });
    results.isGame = {
      passed: true,
      message: `the world moves; ${reached ? `an end or threat was reached (${reached})` : 'no end was seen'}; no instant death`,
      evidence,
    };
  }
}

/** The loading words as shown, e.g. "Loading... 60%". */
function excerpt(text: string): string {
  return (/loading[.…\s]*(?:\d+\s*%)?/i.exec(text)?.[0] ?? 'Loading').trim();
}

/** Why no script ran, when the game CSP blocked one (players get the same policy): what the repair must change. */
function blockedScripts(main: SessionObs): string {
  const inline = main.violations.some((v) => /^script-src(-elem|-attr)?: inline$/.test(v));
  const other = main.violations.filter((v) => /^script-src/.test(v) && !/: inline$/.test(v));
  if (inline)
    return `; the game CSP players get (script-src 'self') blocked an inline script: move the code into a .js file loaded with <script src>`;
  return other.length ? `; the game CSP blocked a script (${other[0]})` : '';
}
