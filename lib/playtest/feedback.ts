// The defect report the repair phase (5) receives as `input.json` `feedback`,
// written from the stored play-test result. The agent also finds the full
// result as `playtest.json` in its workspace (every artifact is materialised).
import { Playtest } from '../artifacts.ts';
import { getArtifact } from '../artifact-store.ts';
import type { Queryable } from '../db.ts';

export function playtestFeedback(p: Playtest): string {
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
  lines.push(
    '',
    `The full result is playtest.json in the workspace (checks with evidence, trace, console, input script, seed ${p.seed}); screenshots: ${p.screenshots.map((s) => `playtest-${s}`).join(', ') || 'none'}.`,
  );
  return lines.join('\n').slice(0, 10_000);
}

/** Feedback for a repair of `jobId`, or null when no readable play-test result is stored (e.g. phase 5 queued by hand). */
export async function repairFeedback(db: Queryable, jobId: number): Promise<string | null> {
  const stored = await getArtifact(db, jobId, 'playtest.json');
  if (!stored) return null;
  try {
    const parsed = Playtest.safeParse(JSON.parse(stored.bytes.toString('utf8')));
    return parsed.success ? playtestFeedback(parsed.data) : null;
  } catch {
    return null;
  }
}
