// Recording a play-test's result — artifacts, the job's score, the event and,
// for a first failure, the one repair (lib/jobs/chain.ts) — in one transaction.
import type { Playtest } from '../artifacts.ts';
import { saveArtifacts } from '../artifact-store.ts';
import type { DbClient } from '../db.ts';
import { addEvent } from '../events.ts';
import { chainNext } from '../jobs/chain.ts';
import { repairHasRun } from '../jobs/phase-runs.ts';
import { setJobPlaytest } from '../jobs/repository.ts';
import { settleFeedback } from '../studio/feedback.ts';

export type PlaytestOutcome = 'passed' | 'repair-queued' | 'failed-again';

/** Stores the result and, when it failed and the job was never repaired, queues the one repair (run-phase 5). */
export async function recordPlaytest(
  tx: DbClient,
  jobId: number,
  p: Playtest,
  png: Buffer | null,
  secrets: string[],
): Promise<PlaytestOutcome> {
  const files = new Map<string, Buffer>([['playtest.json', Buffer.from(JSON.stringify(p, null, 2) + '\n')]]);
  if (png) files.set('playtest.png', png);
  await saveArtifacts(tx, jobId, null, files);
  await setJobPlaytest(tx, jobId, p.score, {
    round: p.round,
    score: p.score,
    passed: p.passed,
    at: p.at,
    failed: p.checks.filter((c) => !c.passed).map((c) => c.id),
  });
  // A player's change (lib/studio/feedback.ts) is kept or rolled back by this result; it never triggers the automatic repair.
  const settled = await settleFeedback(tx, jobId, p.score);
  const failed = p.checks.filter((c) => !c.passed).map((c) => c.id);
  const data = { round: p.round, score: p.score, passed: p.passed, failed, defects: p.defects, url: p.url };
  const head = `play-test round ${p.round}: score ${p.score}/100`;
  if (p.passed) {
    await addEvent(
      tx,
      {
        jobId,
        kind: 'playtest',
        message: `${head}, passed${failed.length ? ` (minor: ${failed.join(', ')})` : ''}`,
        data,
      },
      secrets,
    );
    return 'passed';
  }
  const defects = p.defects.join('; ');
  const repaired = settled !== null || (await repairHasRun(tx, jobId));
  if (repaired) {
    await addEvent(
      tx,
      {
        jobId,
        kind: 'playtest',
        message: `${head}, failed again after the repair (not repaired twice): ${defects}`,
        data,
      },
      secrets,
    );
    return 'failed-again';
  }
  await addEvent(
    tx,
    { jobId, kind: 'playtest', message: `${head}, failed: ${defects}; repair (phase 5) queued`, data },
    secrets,
  );
  await chainNext(tx, jobId, { after: 'playtest-game', passed: p.passed, repaired });
  return 'repair-queued';
}
