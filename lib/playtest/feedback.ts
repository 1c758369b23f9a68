// The defect report the repair phase (5) receives as `input.json` `feedback`,
// written from the play-test of the version being repaired, with the rounds so far. The agent also finds the full
// result as `playtest.json` in its workspace (every artifact is materialised).
import { Playtest, PlaytestSummary } from '../artifacts.ts';
import { getArtifact } from '../artifact-store.ts';
import type { Queryable } from '../db.ts';
import { getJob } from '../jobs/repository.ts';

export function playtestFeedback(p: Playtest, rounds: PlaytestSummary['rounds'] = []): string {
  const lines = [
    `The deployed game failed its headless play-test (round ${p.round}, score ${p.score}/100, ${p.url}). Fix these defects:`,
    ...p.defects.map((d) => `- ${d}`),
  ];
  if (p.couldNotCheck.length)
    lines.push(
      '',
      'Not checked (the judge could not see these):',
      ...p.couldNotCheck.slice(0, 10).map((u) => `- ${u.id}: ${u.why}`),
    );
  if (p.foreignRequests.length)
    lines.push(
      '',
      'Requests that left the game origin (forbidden):',
      ...p.foreignRequests.slice(0, 10).map((u) => `- ${u}`),
    );
  if (p.errors.length)
    lines.push('', 'Errors the browser reported:', ...p.errors.slice(0, 10).map((e) => `- ${e.slice(0, 300)}`));
  if (rounds.length > 1)
    lines.push(
      '',
      'Play-test rounds so far (the slot serves the best one; a repair that scores lower is rolled back):',
      ...rounds.map((r) => `- round ${r.round}: ${r.score}/100, ${r.passed ? 'passed' : 'failed'}, ${r.outcome}`),
    );
  lines.push(
    '',
    `The game's idea, design and plan are idea.json, design.json and plan.json; dist/ holds the version to repair.`,
    `The full result is playtest.json in the workspace (every round's is playtest/round-N/playtest.json); playtest.png is a screenshot taken after play; the judge's screenshots are ${p.screenshots.join(', ') || 'none'}; the input script's seed is ${p.seed}.`,
  );
  return lines.join('\n').slice(0, 10_000);
}

/** Feedback for a repair of `jobId`, or null when no readable play-test result is stored (e.g. phase 5 queued by hand). */
export async function repairFeedback(db: Queryable, jobId: number): Promise<string | null> {
  const stored = await getArtifact(db, jobId, 'playtest.json');
  if (!stored) return null;
  const job = await getJob(db, jobId);
  const summary = PlaytestSummary.safeParse(job?.playtest);
  try {
    const parsed = Playtest.safeParse(JSON.parse(stored.bytes.toString('utf8')));
    return parsed.success ? playtestFeedback(parsed.data, summary.success ? summary.data.rounds : []) : null;
  } catch {
    return null;
  }
}
