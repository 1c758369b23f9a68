// Distilling lessons from a job's play-test rounds, deterministically (no model
// call): every check that failed becomes one short line saying how it failed and
// what became of it — fixed by a later repair, or still failing when the repair
// loop stopped. Lines are redacted, stripped of URLs and control characters and
// bounded, because the failure details come from model-written game code.
import { z } from 'zod';
import { PLAYTEST_CHECKS } from '../artifacts.ts';
import { redact } from '../redact.ts';

/** A lesson's longest text (the column allows 400; the detail is cut first). */
export const LESSON_MAX_CHARS = 360;
const DETAIL_MAX_CHARS = 200;

/**
 * What distillation reads of a round's playtest.json: deliberately looser than the
 * Playtest schema, so rounds judged by an older or newer set of checks still count.
 */
export const RoundChecks = z.object({
  round: z.number().int().min(1),
  checks: z.array(
    z
      .object({
        id: z.string().min(1).max(60),
        passed: z.boolean(),
        detail: z.string().optional(),
        // The judge's PlaytestDocument v2 (lib/playtest/document.ts) says what failed in `message`.
        message: z.string().optional(),
      })
      .transform(({ id, passed, detail, message }) => ({ id, passed, detail: detail ?? message ?? '' })),
  ),
});
export type RoundChecks = z.infer<typeof RoundChecks>;

const URL_PATTERN = /\b(?:https?|wss?|file):\/\/[^\s"'<>)]*/gi;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line of untrusted text made fit for a lesson: secrets redacted, URLs blanked, control characters and runs of space collapsed, bounded. */
export function cleanLessonText(text: string, secrets: string[], max = LESSON_MAX_CHARS): string {
  const clean = redact(text, secrets).replace(URL_PATTERN, '<url>').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}

/** The deduplication key: the same failure in another job (other numbers, other URLs) is the same lesson. */
export function lessonKey(text: string): string {
  return text
    .toLowerCase()
    .replace(URL_PATTERN, '<url>')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 400);
}

function label(id: string): string {
  const known = (PLAYTEST_CHECKS as Record<string, { label: string }>)[id];
  return known ? `\`${id}\` (${known.label})` : `\`${id}\``;
}

/**
 * The lessons of one job: for each check that failed in some round, its first failure and the
 * first later round that passed it ("fixed by repair N": round N + 1 follows repair N), or why
 * it stayed failing. `stopped` is the repair loop's end state (e.g. `plateau`, `repair-failed`).
 */
export function distilLessons(rounds: RoundChecks[], stopped: string, secrets: string[]): string[] {
  const ordered = [...rounds].sort((a, b) => a.round - b.round);
  const lessons: string[] = [];
  const seen = new Set<string>();
  for (const round of ordered) {
    for (const check of round.checks) {
      if (check.passed || seen.has(check.id)) continue;
      seen.add(check.id);
      const fixedIn = ordered.find((r) => r.round > round.round && r.checks.some((c) => c.id === check.id && c.passed));
      const detail = cleanLessonText(check.detail, secrets, DETAIL_MAX_CHARS) || 'no detail recorded';
      const outcome = fixedIn
        ? `fixed by repair ${fixedIn.round - 1}`
        : `still failing when the repair loop stopped (${stopped})`;
      lessons.push(cleanLessonText(`Check ${label(check.id)} failed: ${detail}; ${outcome}.`, secrets));
    }
  }
  return lessons;
}
