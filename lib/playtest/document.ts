// `playtest.json`: the play-test document, the single source of truth for what
// the judge (lib/playtest/judge.ts) reports. The task stores it per round, the
// CLI prints it (`gamepocgen playtest --json`), the repair phase reads it.
import { z } from 'zod';

/**
 * The checks the judge runs, in report order. `required` checks decide the verdict;
 * the score is the sum of the weights of the checks that passed (a check the judge
 * could not run scores its weight only when it is not required: it is listed in
 * `couldNotCheck` instead). Weights add up to 100.
 */
export const PLAYTEST_CHECKS = {
  loads: { weight: 10, required: true, label: 'loads and keeps responding, without uncaught errors' },
  offline: { weight: 5, required: true, label: 'makes no request outside its own origin' },
  starts: {
    weight: 10,
    required: true,
    label: 'starts: frames are drawn and the first screen leaves the loading state',
  },
  picture: {
    weight: 10,
    required: true,
    label: 'looks like a game: a painted, structured picture, not blank, noise or text only',
  },
  inputReal: {
    weight: 15,
    required: true,
    label: 'each declared control changes the game in a way the no-input baseline does not',
  },
  controlsDocumented: { weight: 5, required: true, label: 'every control that works is documented on the page' },
  survives: { weight: 15, required: true, label: 'survives the whole play session: no uncaught error, no frozen loop' },
  isGame: {
    weight: 10,
    required: true,
    label: 'is a game: a loss or goal is reachable, no instant death, the world moves',
  },
  sandboxed: {
    weight: 5,
    required: true,
    label: 'works on the sandboxed /play/N/ origin (storage degrades, never throws)',
  },
  noConsoleErrors: { weight: 5, required: false, label: 'logs no console errors' },
  fits: { weight: 5, required: false, label: 'the canvas and controls fit 1280×800 and 390×844 without scrolling' },
  hudMatches: { weight: 3, required: false, label: 'the HUD shows the score/currency window.__game reports' },
  matchesIdea: { weight: 2, required: false, label: "the design's names and palette appear in the game" },
} as const;
export type PlaytestCheckId = keyof typeof PLAYTEST_CHECKS;
export const PlaytestCheckId = z.enum(Object.keys(PLAYTEST_CHECKS) as [PlaytestCheckId, ...PlaytestCheckId[]]);

/** A failing game's score is capped here, so no failing game shows a high number. */
export const FAILED_SCORE_CAP = 40;

const Text = z.string().max(500);
export const ServingMode = z.enum(['own-origin', 'sandboxed']);
export type ServingMode = z.infer<typeof ServingMode>;
/**
 * Where a serving's Content-Security-Policy came from: `server` (its own response header), `tester` (the
 * server sent none, so the judge applied GAME_CSP, the policy players get: lib/playtest/player-csp.ts) or
 * `none` (no policy: the game ran without one). Absent in documents recorded before it existed.
 */
export const CspSource = z.enum(['server', 'tester', 'none']);
export type CspSource = z.infer<typeof CspSource>;
/** Screenshot names: `title`, `play-2s`, `mid`, `end` per serving mode, stored as `<mode>-<name>.png`. */
export const SHOT_NAMES = ['title', 'play-2s', 'mid', 'end'] as const;

export const PlaytestCheck = z.object({
  id: PlaytestCheckId,
  required: z.boolean(),
  passed: z.boolean(),
  weight: z.number().int().min(0).max(100),
  /** One true sentence: what was found (the repair agent acts on it). */
  message: Text,
  /** Numbers, timestamps and screenshot names behind the message. */
  evidence: z.record(z.string(), z.unknown()).default({}),
});
export type PlaytestCheck = z.infer<typeof PlaytestCheck>;

export const TraceSample = z.object({
  /** Seconds of game time since the session started (the judge's clock runs the game faster). */
  t: z.number(),
  mode: ServingMode,
  state: z.string().max(40).nullable(),
  score: z.number().nullable(),
  currency: z.number().nullable(),
  lives: z.number().nullable(),
});

export const ConsoleLine = z.object({
  /** Milliseconds since the page was opened. */
  t: z.number().int().nonnegative(),
  mode: ServingMode,
  type: z.enum(['error', 'warning', 'log', 'pageerror']),
  text: Text,
});

export const InputStep = z.object({
  /** Milliseconds since the step's phase started. */
  at: z.number().int().nonnegative(),
  phase: z.enum(['start', 'controls', 'play']),
  action: z.string().max(80),
});

export const PlaytestDocument = z.object({
  version: z.literal(2),
  /** 1 = after the build, then one per repair. */
  round: z.number().int().min(1).max(20),
  url: z.string().url(),
  at: z.string().datetime(),
  durationMs: z.number().int().nonnegative(),
  /** 0–100; at most FAILED_SCORE_CAP when not passed. */
  score: z.number().int().min(0).max(100),
  /** Every required check passed. */
  passed: z.boolean(),
  checks: z.array(PlaytestCheck),
  /** What the judge could not verify, and precisely why (e.g. no window.__game). */
  couldNotCheck: z.array(z.object({ id: z.string().max(60), why: Text })).max(40),
  /** One line per failed check, what the repair phase is asked to fix. */
  defects: z.array(Text).max(20),
  /** Uncaught errors and console errors, for the repair agent (also in `console`). */
  errors: z.array(Text).max(50),
  foreignRequests: z.array(Text).max(50),
  servedAs: z.array(z.object({ mode: ServingMode, url: z.string().url(), csp: CspSource.optional() })).min(1),
  /** The seed of Math.random in the page and of the input script. */
  seed: z.number().int(),
  inputScript: z.array(InputStep).max(400),
  trace: z.array(TraceSample).max(400),
  console: z.array(ConsoleLine).max(200),
  /** Artifact names of the screenshots taken, e.g. `own-origin-title.png`. */
  screenshots: z.array(z.string().regex(/^[a-z0-9-]+\.png$/)).max(12),
  /** Verified keypoints of the design (issue 10 fills this; the judge reports each as checked or not). */
  rubric: z
    .array(z.object({ id: z.string().max(60), text: Text, passed: z.boolean().nullable(), evidence: Text }))
    .max(40)
    .default([]),
});
export type PlaytestDocument = z.infer<typeof PlaytestDocument>;
