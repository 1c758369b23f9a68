// The eval report (`npm run eval --out report.json`): one row per suite idea and
// the totals. Verdicts are derived here, from the served version's play-test
// document (its checks and its keypoint rubric), and nowhere else; docs/llm.md
// states the same definition.
import { z } from 'zod';
import { GENRES } from '../../lib/artifacts.ts';

export const VERDICTS = ['unusable', 'usable', 'excellent'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

/** Excellent needs at least this score (the served round passed; only minor checks may fail below 100). */
export const EXCELLENT_SCORE = 95;
/** Below this share of verified keypoints passing, a game that passed its checks is still unusable. */
export const USABLE_RUBRIC_RATE = 0.5;

const Text = z.string().max(500);
const Count = z.number().int().nonnegative();

export const EvalGame = z.object({
  id: z.string(),
  idea: Text,
  /** The provider spec this game ran on (`--provider`), or null for the service's own settings. */
  provider: z.string().nullable().default(null),
  /** The kit the suite expects a good design to choose (`none`: no kit fits). */
  expectedKit: z.enum([...GENRES, 'none']),
  jobId: z.number().int().positive().nullable(),
  /** The job's final status (deployed, failed, …), or `not-started` when it could not be created. */
  status: z.string().max(40),
  title: Text.nullable(),
  /** What the build started from: plan.json `kit` (a kit or `custom`), else the design's genre. */
  kit: z.string().max(40).nullable(),
  verdict: Verdict,
  /** Why this verdict, in one sentence. */
  reason: Text,
  /** The served version's play-test verdict; null when it was never play-tested. */
  passed: z.boolean().nullable(),
  score: z.number().int().min(0).max(100).nullable(),
  failedChecks: z.array(z.string().max(60)),
  /** The served version's defects as the judge worded them (at most 5). */
  defects: z.array(Text).max(5).default([]),
  rubric: z.object({
    /** Keypoints the judge verified and found true. */
    passed: Count,
    /** Keypoints the judge verified (true or false). */
    verified: Count,
    /** Keypoints in the design. */
    total: Count,
    /** passed / verified; null when none was verified. */
    passRate: z.number().min(0).max(1).nullable(),
  }),
  /** Repair rounds (phase 5) run, and play-test rounds played. */
  repairs: Count,
  rounds: Count,
  /** Token usage and cost the agent reported; null when it reports none (the builtin agent). */
  tokens: z.object({ input: Count, output: Count }).nullable(),
  costUsd: z.number().nonnegative().nullable(),
  /** From the job's first phase starting (not its wait in the queue) until nothing was left to do for it. */
  seconds: z.number().nonnegative(),
  error: Text.nullable(),
});
export type EvalGame = z.infer<typeof EvalGame>;

export const EvalTotals = z.object({
  games: Count,
  unusable: Count,
  usable: Count,
  excellent: Count,
  /** Games whose served version passed the play-test. */
  passed: Count,
  meanScore: z.number().nullable(),
  /** Verified keypoints passing, pooled over every game; null when none was verified. */
  rubricPassRate: z.number().min(0).max(1).nullable(),
  repairs: Count,
  tokens: z.object({ input: Count, output: Count }).nullable(),
  costUsd: z.number().nonnegative().nullable(),
  /** Sum of the games' seconds (they overlap when MAX_CONCURRENT > 1). */
  gameSeconds: z.number().nonnegative(),
});
export type EvalTotals = z.infer<typeof EvalTotals>;

export const EvalReport = z.object({
  version: z.literal(1),
  suite: z.string(),
  agent: z.enum(['builtin', 'claude']),
  /** The provider spec (`zai:glm-4.6`) when one was given, or null (several: `providers`; none: the service's own LLM settings / the builtin agent). */
  provider: z.string().nullable(),
  /** Every `--provider` given, in order; each idea ran once per provider (games' `provider`). */
  providers: z.array(z.string()).default([]),
  model: z.string().nullable(),
  startedAt: z.string().datetime(),
  /** Wall time of the whole run, service start to the last game settled. */
  wallSeconds: z.number().nonnegative(),
  settings: z.object({ maxConcurrent: Count, qualityThreshold: Count, maxRepairs: Count }),
  games: z.array(EvalGame),
  totals: EvalTotals,
  /** With two or more providers: the totals of each provider's games. */
  byProvider: z.array(z.object({ provider: z.string(), totals: EvalTotals })).default([]),
});
export type EvalReport = z.infer<typeof EvalReport>;

/** What the verdict is derived from: the served version's play-test (null when none ran) and the job. */
export interface VerdictInput {
  status: string;
  playtest: {
    passed: boolean;
    score: number;
    failed: string[];
    rubric: { passed: boolean | null }[];
  } | null;
}

export function rubricOf(rubric: { passed: boolean | null }[]): EvalGame['rubric'] {
  const verified = rubric.filter((k) => k.passed !== null);
  const passed = verified.filter((k) => k.passed).length;
  return {
    passed,
    verified: verified.length,
    total: rubric.length,
    passRate: verified.length ? passed / verified.length : null,
  };
}

/**
 * unusable: no deployed game, no play-test, a failed required check, or under half the verified keypoints pass.
 * excellent: passed, score ≥ EXCELLENT_SCORE, and every keypoint of the design was verified and passes.
 * usable: the rest (passed, but a minor check failed, a keypoint failed, or keypoints were not verified).
 */
export function verdictOf(g: VerdictInput): { verdict: Verdict; reason: string } {
  const p = g.playtest;
  if (g.status !== 'deployed') return { verdict: 'unusable', reason: `the job ended ${g.status}, no game is served` };
  if (!p) return { verdict: 'unusable', reason: 'the game was never play-tested' };
  if (!p.passed)
    return { verdict: 'unusable', reason: `the play-test failed: ${p.failed.join(', ') || 'a required check'}` };
  const r = rubricOf(p.rubric);
  const rate = r.passRate === null ? 'no keypoint verified' : `${r.passed}/${r.verified} keypoints pass`;
  if (r.passRate !== null && r.passRate < USABLE_RUBRIC_RATE)
    return { verdict: 'unusable', reason: `passed its checks but only ${rate}` };
  if (p.score >= EXCELLENT_SCORE && r.total > 0 && r.verified === r.total && r.passed === r.total)
    return { verdict: 'excellent', reason: `passed, score ${p.score}, ${rate}` };
  const short = [
    p.score < EXCELLENT_SCORE
      ? `score ${p.score} < ${EXCELLENT_SCORE} (${p.failed.join(', ') || 'minor checks'})`
      : null,
    r.total === 0 ? 'the design has no keypoints' : null,
    r.verified < r.total ? `${r.total - r.verified} keypoint(s) not verified` : null,
    r.passRate !== null && r.passed < r.verified ? `${r.verified - r.passed} keypoint(s) fail` : null,
  ].filter(Boolean);
  return { verdict: 'usable', reason: `passed; not excellent: ${short.join('; ')}` };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function totalsOf(games: EvalGame[]): EvalTotals {
  const scored = games.filter((g) => g.score !== null).map((g) => g.score!);
  const verified = sum(games.map((g) => g.rubric.verified));
  const withTokens = games.filter((g) => g.tokens);
  const withCost = games.filter((g) => g.costUsd !== null);
  return {
    games: games.length,
    unusable: games.filter((g) => g.verdict === 'unusable').length,
    usable: games.filter((g) => g.verdict === 'usable').length,
    excellent: games.filter((g) => g.verdict === 'excellent').length,
    passed: games.filter((g) => g.passed).length,
    meanScore: scored.length ? Math.round((10 * sum(scored)) / scored.length) / 10 : null,
    rubricPassRate: verified ? sum(games.map((g) => g.rubric.passed)) / verified : null,
    repairs: sum(games.map((g) => g.repairs)),
    tokens: withTokens.length
      ? { input: sum(withTokens.map((g) => g.tokens!.input)), output: sum(withTokens.map((g) => g.tokens!.output)) }
      : null,
    costUsd: withCost.length ? sum(withCost.map((g) => g.costUsd!)) : null,
    gameSeconds: Math.round(sum(games.map((g) => g.seconds)) * 10) / 10,
  };
}
