// Artifact schemas: the single source of truth for what each phase must write.
// The worker validates an agent's output against these before a phase counts as
// done, the task validates again before chaining, and the LLM prompts embed the
// JSON Schema generated from them (so prompts can never drift from validation).
import { z } from 'zod';
import { PHASES } from './phases.ts';

export const PhaseNumber = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
export type PhaseNumber = z.infer<typeof PhaseNumber>;
export const phaseName = (phase: PhaseNumber) => PHASES[phase].name;

export const GENRES = ['arena-shooter', 'tower-defense', 'runner', 'breakout', 'snake', 'idle'] as const;
export const Genre = z.enum(GENRES);
export type Genre = z.infer<typeof Genre>;

const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');
const ShortText = z.string().trim().min(1).max(200);
const LongText = z.string().trim().min(1).max(4000);

export const Palette = z.object({
  background: HexColor,
  primary: HexColor,
  secondary: HexColor,
  accent: HexColor,
  text: HexColor,
});

/** Phase 1 output: `idea.json` (with a human-readable `idea.md` beside it). */
export const Idea = z.object({
  title: ShortText,
  genre: Genre,
  pitch: LongText,
  coreLoop: z.array(ShortText).min(2).max(8),
  controls: z
    .array(z.object({ input: ShortText, action: ShortText }))
    .min(1)
    .max(12),
  theme: z.object({ mood: ShortText, setting: ShortText, palette: Palette }),
});
export type Idea = z.infer<typeof Idea>;

/**
 * A machine-checkable expected behaviour (the play-test's rubric, lib/playtest/keypoints.ts): from a fresh
 * run, do `act`, let the game run `act.seconds` of game time, then `expect` holds of `window.__game`.
 */
export const Keypoint = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'must be a lowercase kebab-case id'),
  /** The behaviour in words, e.g. "holding ArrowRight moves the ship right". */
  text: ShortText,
  act: z.object({
    /** KeyboardEvent.code values (`Space`, `ArrowLeft`, `KeyA`, `Digit1`), held one after another. */
    keys: z
      .array(z.string().regex(/^[A-Z][A-Za-z0-9]{1,20}$/, 'must be a KeyboardEvent.code such as Space or ArrowLeft'))
      .max(4)
      .default([]),
    holdMs: z.number().int().min(30).max(3000).default(300),
    /** A path in window.__game to an {x, y} point in canvas pixels (960×540) to click after the keys, e.g. `kit.nodes.0`. */
    click: z
      .string()
      .regex(/^[A-Za-z_][\w]*(\.[\w]+)*$/)
      .optional(),
    /** Game seconds to let the game run after the input (the judge speeds the game up). */
    seconds: z.number().min(0).max(300).default(1),
  }),
  expect: z.object({
    /** A path in window.__game: `score`, `currency`, `state`, `kit.player.x`, `kit` (any change of the kit's state). */
    watch: z.string().regex(/^[A-Za-z_][\w]*(\.[\w]+)*$/),
    /** Compared with the value before the act; `equals` is reached at any moment of the wait, `stays` holds at its end. */
    change: z.enum(['rises', 'falls', 'changes', 'equals', 'stays']),
    value: z.union([z.string().max(40), z.number(), z.boolean()]).optional(),
  }),
  /** The change must not also happen in a run without the input (idle play for as long). */
  baseline: z.boolean().default(false),
});
export type Keypoint = z.infer<typeof Keypoint>;

/** The design's answers to the checklist a playable prototype needs. */
export const DesignChecklist = z.object({
  coreVerb: ShortText.describe('the one action the player repeats (e.g. "steer and dodge")'),
  threat: ShortText.describe('what threatens the player, and the fail state'),
  firstAction: ShortText.describe('what the player does within 5 seconds of pressing start'),
  feedback: ShortText.describe('what the player sees and hears for every action (hit, pickup, purchase)'),
  difficultyCurve: ShortText.regex(/\d/, 'must give numbers (counts, speeds, seconds)').describe(
    'how the challenge rises, with numbers',
  ),
  win: ShortText.describe('how a win is reached, and roughly when'),
  loss: ShortText.describe('how a loss is reached, and roughly when'),
});

/** Phase 2 output: `design.json` / `design.md`. */
export const Design = z.object({
  title: ShortText,
  genre: Genre,
  entities: z
    .array(
      z.object({
        name: ShortText,
        role: z.enum(['player', 'enemy', 'pickup', 'obstacle', 'structure', 'projectile', 'other']),
        description: ShortText,
      }),
    )
    .min(2)
    .max(20),
  mechanics: z.array(ShortText).min(2).max(20),
  progression: z.object({
    currency: ShortText,
    upgrades: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
          name: ShortText,
          effect: ShortText,
          baseCost: z.number().positive(),
          costGrowth: z.number().min(1).max(5),
        }),
      )
      .max(12),
  }),
  difficulty: z.object({ waves: z.number().int().min(1).max(100), curve: ShortText }),
  winCondition: ShortText,
  loseCondition: ShortText,
  ui: z.array(ShortText).min(1).max(12),
  checklist: DesignChecklist,
  /** 3–12 expected behaviours the play-test verifies (its rubric). */
  keypoints: z.array(Keypoint).min(3).max(12),
});
export type Design = z.infer<typeof Design>;

/** Phase 3 output: `plan.json` / `plan.md`. */
export const Plan = z.object({
  title: ShortText,
  genre: Genre,
  files: z
    .array(
      z.object({
        // biome-ignore lint/complexity/noUselessEscapeInRegex: the source is rendered into the LLM prompt's JSON schema (pinned by the prompt snapshots)
        path: z.string().regex(/^dist\/[A-Za-z0-9._\/-]+$/, 'must be a relative path under dist/'),
        purpose: ShortText,
      }),
    )
    .min(1)
    .max(60),
  modules: z.array(ShortText).min(1).max(20),
  frameworkApis: z.array(ShortText).min(1).max(40),
  tuning: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  testPlan: z.array(ShortText).min(1).max(20),
  /** What the build starts from: the genre's kit configured from the design, or `custom` (the shell and a starter kit to rewrite). */
  kit: z.union([Genre, z.literal('custom')]).optional(),
});
export type Plan = z.infer<typeof Plan>;

/** What a task writes into the workspace before a phase: the job's inputs. */
export const JobInput = z.object({
  jobId: z.number().int().positive(),
  idea: z.string().max(10_000).nullable(),
  genre: Genre.nullable(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  existingTitles: z.array(z.string()).max(200).default([]),
  feedback: z.string().max(10_000).nullable().default(null),
  /** Build and repair: lessons from earlier games of the same kit or genre (lib/lessons/), untrusted data. */
  lessons: z.array(z.string().max(600)).max(20).optional(),
});
export type JobInput = z.infer<typeof JobInput>;

// `playtest.json` lives with the judge (lib/playtest/document.ts).
export {
  PLAYTEST_CHECKS,
  PlaytestDocument as Playtest,
  type PlaytestCheckId,
} from './playtest/document.ts';
import { PlaytestDocument } from './playtest/document.ts';

/** Why the repair loop stopped (lib/playtest/rounds.ts), or `repairing` while a repair is queued or running. */
export const RepairLoopState = z.enum([
  'repairing',
  'good-enough',
  'plateau',
  'max-repairs',
  'repair-failed',
  /** The next round could not be played (no browser, unreachable, out of attempts): the repair is served unjudged. */
  'playtest-skipped',
]);
export type RepairLoopState = z.infer<typeof RepairLoopState>;

/**
 * The play-test of the version the slot serves (the best round so far), as kept on the
 * job row (`jobs.playtest`) and shown by the API; with every round's outcome and the
 * repair loop's state. Each round's full result is the `playtest/round-N/playtest.json` artifact.
 */
export const PlaytestSummary = PlaytestDocument.pick({ round: true, score: true, passed: true, at: true }).extend({
  /** Ids of the failed checks (plain strings: rows outlive a judge's check ids, and must still parse). */
  failed: z.array(z.string().max(60)),
  /** The served version's defects (why it failed), for the gallery; at most 5. */
  reasons: z.array(z.string().max(500)).max(5).default([]),
  /** Passed with a score ≥ QUALITY_THRESHOLD. */
  goodEnough: z.boolean().default(false),
  loop: RepairLoopState.default('good-enough'),
  rounds: z
    .array(
      z.object({
        round: z.number().int().min(1),
        score: z.number().int().min(0).max(100),
        passed: z.boolean(),
        outcome: z.enum(['kept', 'rolled-back']),
      }),
    )
    .max(20)
    .default([]),
});
export type PlaytestSummary = z.infer<typeof PlaytestSummary>;

/** `status/<phase>.json`, written by the worker entrypoint. */
export const PhaseStatus = z.object({
  phase: PhaseNumber,
  status: z.enum(['running', 'completed', 'failed', 'timeout']),
  startedAt: z.string(),
  finishedAt: z.string().nullable().default(null),
  error: z.string().nullable().default(null),
  agent: z.string(),
  agentMs: z.number().nonnegative().default(0),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() }).partial().default({}),
});
export type PhaseStatus = z.infer<typeof PhaseStatus>;

export const DIST_MAX_BYTES = 1024 * 1024;

/** Which workspace files each phase must produce, and how they are checked. */
export const PHASE_OUTPUTS: Record<PhaseNumber, { json?: { path: string; schema: z.ZodType }; required: string[] }> = {
  1: { json: { path: 'idea.json', schema: Idea }, required: ['idea.json', 'idea.md'] },
  2: { json: { path: 'design.json', schema: Design }, required: ['design.json', 'design.md'] },
  3: { json: { path: 'plan.json', schema: Plan }, required: ['plan.json', 'plan.md'] },
  4: { required: ['dist/index.html'] },
  5: { required: ['dist/index.html'] },
};

/** A zod error's issues as `{path, message}` (path dotted, '' for the root): the one walk every formatter uses. */
export function zodIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/**
 * Formats a zod error as one readable part per issue, `path: message`, joined by '; '.
 * An issue at the root is labelled `rootLabel`; with '' it is the bare message.
 */
export function describeZodError(error: z.ZodError, rootLabel = '(root)'): string {
  return zodIssues(error)
    .map(({ path, message }) => (path || rootLabel ? `${path || rootLabel}: ${message}` : message))
    .join('; ');
}
