// The judge: plays a game where it is served (own origin, then the sandboxed
// variant when given), judges the sessions and returns the play-test document
// with its screenshots. The task, `gamepocgen playtest` and the tests all call
// judgeGame; nothing else decides a verdict.
import type { Browser } from 'playwright-core';
import { type JudgeExpectations, judgeSessions } from './checks.ts';
import {
  FAILED_SCORE_CAP,
  PLAYTEST_CHECKS,
  type PlaytestCheckId,
  PlaytestDocument,
  type ServingMode,
} from './document.ts';
import { playRubric, type RubricEntry, unverified } from './rubric.ts';
import { runSession, type SessionObs } from './session.ts';

export { PlaytestAbortedError, PlaytestUnreachableError } from './session.ts';

export interface JudgeTarget {
  mode: ServingMode;
  url: string;
}

export interface JudgeOptions {
  /** Play-test round (1 after the build, +1 per repair). */
  round?: number;
  /** Seeds Math.random in the page and the input script (default 1). */
  seed?: number;
  /** Game seconds of scripted play on the main serving (default 24; the judge plays at 4× speed). */
  seconds?: number;
  bootTimeoutMs?: number;
  /** Per session; a page that stops answering then counts as hung (default 180 s: a loaded machine is slow). */
  deadlineMs?: number;
  expect?: JudgeExpectations;
  /**
   * Play under the player's policy: GAME_CSP is added to document responses that carry no CSP (a served one is
   * kept). The task sets it under the docker deployer (lib/playtest/playtest-job.ts); the CLI with --enforce-csp.
   */
  enforceCsp?: boolean;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface JudgeResult {
  document: PlaytestDocument;
  /** PNGs, named as listed in `document.screenshots`. */
  screenshots: { name: string; bytes: Buffer }[];
}

export async function judgeGame(
  browser: Browser,
  targets: JudgeTarget[],
  opts: JudgeOptions = {},
): Promise<JudgeResult> {
  if (!targets.length) throw new Error('judgeGame needs at least one URL to play');
  const at = (opts.now ?? (() => new Date()))();
  const started = performance.now();
  const seed = opts.seed ?? 1;
  const ordered = [...targets].sort((a, b) => (a.mode === b.mode ? 0 : a.mode === 'own-origin' ? -1 : 1));
  const sessions: SessionObs[] = [];
  for (const [i, t] of ordered.entries())
    sessions.push(
      await runSession(browser, t.url, {
        mode: t.mode,
        seed,
        seconds: opts.seconds ?? 24,
        light: i > 0,
        bootTimeoutMs: opts.bootTimeoutMs ?? 10_000,
        deadlineMs: opts.deadlineMs ?? 180_000,
        enforceCsp: opts.enforceCsp,
        signal: opts.signal,
      }),
    );
  const rubric = await rubricOf(browser, sessions[0]!, opts);
  const document = documentOf(sessions, {
    round: opts.round ?? 1,
    seed,
    at,
    durationMs: performance.now() - started,
    expect: opts.expect,
    rubric,
  });
  const shots = sessions.flatMap((s) => s.rec.shots).slice(0, 12);
  return { document, screenshots: shots.map((s) => ({ name: `${s.name}.png`, bytes: s.bytes })) };
}

/** The design's keypoints checked on the main serving, or why they could not be. */
async function rubricOf(browser: Browser, main: SessionObs, opts: JudgeOptions): Promise<RubricEntry[]> {
  const keypoints = opts.expect?.keypoints ?? [];
  if (!keypoints.length) return [];
  if (main.unresponsive)
    return unverified(keypoints, `not verified: the game stopped responding (${main.unresponsive})`);
  if (!main.hasGame)
    return unverified(keypoints, 'not verified: the game exposes no window.__game, through which keypoints are read');
  return playRubric(browser, main.url, keypoints, {
    signal: opts.signal,
    deadlineMs: opts.deadlineMs,
    enforceCsp: opts.enforceCsp,
  });
}

/** The play-test document from the sessions' observations: checks, verdict, capped score, evidence. Pure. */
export function documentOf(
  sessions: SessionObs[],
  meta: {
    round: number;
    seed: number;
    at: Date;
    durationMs: number;
    expect?: JudgeExpectations;
    /** The keypoints as checked (rubric.ts); without it they are listed unverified. */
    rubric?: RubricEntry[];
  },
): PlaytestDocument {
  const { results, unchecked } = judgeSessions(sessions, meta.expect);
  const rubric = meta.rubric ?? unverified(meta.expect?.keypoints ?? [], 'not verified: the rubric was not played');
  const notVerified = rubric.filter((k) => k.passed === null);
  if (notVerified.length)
    unchecked.push({ id: 'keypoints', why: `${notVerified.length} keypoint(s) ${notVerified[0]!.evidence}` });
  const checks = (Object.keys(PLAYTEST_CHECKS) as PlaytestCheckId[])
    .filter((id) => results[id])
    .map((id) => ({
      id,
      required: PLAYTEST_CHECKS[id].required,
      passed: results[id]!.passed,
      weight: PLAYTEST_CHECKS[id].weight,
      message: results[id]!.message.slice(0, 500),
      evidence: clampEvidence(results[id]!.evidence ?? {}),
    }));
  const passed = checks.every((c) => c.passed || !c.required);
  const ran = checks.reduce((n, c) => n + c.weight, 0);
  const raw = ran ? Math.round((100 * checks.reduce((n, c) => n + (c.passed ? c.weight : 0), 0)) / ran) : 0;
  const rec = sessions.map((s) => s.rec);
  const errors = sessions.flatMap((s) => [
    ...s.rec.errors.map((e) => `page (${s.mode}, ${e.t} ms): ${e.text}`),
    ...s.rec.console.filter((c) => c.type === 'error').map((c) => `console (${s.mode}, ${c.t} ms): ${c.text}`),
  ]);
  const candidate = {
    version: 2,
    round: meta.round,
    url: sessions[0]!.url,
    at: meta.at.toISOString(),
    durationMs: Math.round(meta.durationMs),
    score: passed ? raw : Math.min(raw, FAILED_SCORE_CAP),
    passed,
    checks,
    couldNotCheck: unchecked.slice(0, 40).map((u) => ({ id: u.id.slice(0, 60), why: u.why.slice(0, 500) })),
    defects: checks
      .filter((c) => !c.passed)
      .map((c) => `${c.required ? '' : '(minor) '}${c.id}: ${c.message}`.slice(0, 500))
      .slice(0, 20),
    errors: errors.slice(0, 50).map((e) => e.slice(0, 500)),
    foreignRequests: [...new Set(sessions.flatMap((s) => s.foreign))].slice(0, 50),
    servedAs: sessions.map((s) => ({ mode: s.mode, url: s.url, csp: s.csp })),
    seed: meta.seed,
    inputScript: rec.flatMap((r) => r.inputScript).slice(0, 400),
    trace: rec.flatMap((r) => r.trace).slice(0, 400),
    console: rec
      .flatMap((r) => [
        ...r.console.map((c) => ({ ...c, mode: r.mode, text: c.text.slice(0, 500) })),
        ...r.errors.map((e) => ({ t: e.t, mode: r.mode, type: 'pageerror' as const, text: e.text.slice(0, 500) })),
      ])
      .sort((a, b) => a.t - b.t)
      .slice(0, 200),
    screenshots: rec.flatMap((r) => r.shots.map((s) => `${s.name}.png`)).slice(0, 12),
    rubric: rubric.slice(0, 40),
  };
  const parsed = PlaytestDocument.safeParse(candidate);
  if (!parsed.success)
    throw Object.assign(
      new Error(
        `play-test document is invalid: ${parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      ),
      {
        code: 'invalid_playtest',
      },
    );
  return parsed.data;
}

/** Evidence stays small: long strings clipped, long arrays cut. */
function clampEvidence(e: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(e, (_k, v) =>
      typeof v === 'string' ? v.slice(0, 300) : Array.isArray(v) ? v.slice(0, 30) : v === Infinity ? null : v,
    ),
  );
}
