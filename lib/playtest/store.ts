// The play-test's rows: which round a job is on, its enqueueing (chained from
// deploy), and recording a result — artifacts, the job's score, the event and,
// for a first failure, the one repair — in one transaction.
import type { Playtest, PlaytestSummary } from '../artifacts.ts';
import { saveArtifacts } from '../artifact-store.ts';
import type { DbClient, Queryable } from '../db.ts';
import { addEvent } from '../events.ts';
import { MAX_ATTEMPTS, enqueuePhase } from '../queue.ts';
import { settleFeedback } from '../studio/feedback.ts';

// After the phases and deploys already queued: play-testing must not hold up building games.
const PLAYTEST_PRIORITY = 10;

/** Round 1 follows the build, round 2 the one repair: 1 + completed repairs. */
const ROUND_SQL = `1 + (select count(*)::int from gamepocgen.phase_runs where job_id = $1 and phase = 5 and status = 'completed')`;

export async function playtestRound(db: Queryable, jobId: number): Promise<number> {
  const { rows } = await db.query<{ round: number }>(`select ${ROUND_SQL} as round`, [jobId]);
  return rows[0]!.round;
}

/** Chains `playtest-game` after a deploy, in the deploy's transaction; the job_key names the round so a redeploy after the repair queues a new one. */
export async function enqueuePlaytest(db: Queryable, jobId: number): Promise<void> {
  await db.query(
    `select graphile_worker.add_job('playtest-game', json_build_object('jobId', $1::bigint), job_key := 'job:' || $1::bigint || ':playtest:' || (${ROUND_SQL}),
       max_attempts := $2, priority := $3)`,
    [jobId, MAX_ATTEMPTS, PLAYTEST_PRIORITY],
  );
}

/** A job's current game, locked: the result is recorded only if it still plays what was tested. */
export async function lockDeployedJob(
  tx: DbClient,
  jobId: number,
): Promise<{ status: string; url: string | null } | null> {
  const { rows } = await tx.query<{ status: string; url: string | null }>(
    'select status, url from gamepocgen.jobs where id = $1 for update',
    [jobId],
  );
  return rows[0] ?? null;
}

async function repairHasRun(tx: DbClient, jobId: number): Promise<boolean> {
  const { rows } = await tx.query<{ ran: boolean }>(
    `select exists (select 1 from gamepocgen.phase_runs where job_id = $1 and phase = 5) as ran`,
    [jobId],
  );
  return rows[0]!.ran;
}

async function setJobPlaytest(tx: DbClient, jobId: number, p: Playtest): Promise<void> {
  const summary: PlaytestSummary = {
    round: p.round,
    score: p.score,
    passed: p.passed,
    at: p.at,
    failed: p.checks.filter((c) => !c.passed).map((c) => c.id),
  };
  await tx.query('update gamepocgen.jobs set playtest_score = $2, playtest = $3, updated_at = now() where id = $1', [
    jobId,
    p.score,
    JSON.stringify(summary),
  ]);
}

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
  await setJobPlaytest(tx, jobId, p);
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
  if (settled || (await repairHasRun(tx, jobId))) {
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
  await enqueuePhase(tx, jobId, 5);
  return 'repair-queued';
}
