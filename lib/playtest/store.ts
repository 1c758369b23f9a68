// Recording a play-test round — its artifacts, the version it tested, the job's
// summary, the event and the repair loop's next step (another repair, or a
// rollback to the best version; lib/jobs/chain.ts) — in one transaction.
import type { Config } from '../config.ts';
import { PlaytestSummary, type Playtest, type RepairLoopState } from '../artifacts.ts';
import { saveArtifacts } from '../artifact-store.ts';
import { inTransaction, type DbClient } from '../db.ts';
import { addEvent } from '../events.ts';
import { chainNext } from '../jobs/chain.ts';
import { endRepairLoop, getJob, setJobPlaytest } from '../jobs/repository.ts';
import { learnFromJob } from '../lessons/job-lessons.ts';
import { settleFeedback } from '../studio/feedback.ts';
import { decideRound, describeStop, type RoundResult } from './rounds.ts';
import { aliasRound, archiveVersion, restoreVersion, roundFiles } from './versions.ts';

/** The job row's play-test summary, or null when there is none (or it predates the repair loop's shape). */
export function parseSummary(raw: unknown): PlaytestSummary | null {
  const parsed = PlaytestSummary.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

const failedIds = (p: Playtest) => p.checks.filter((c) => !c.passed).map((c) => c.id);

export type PlaytestOutcome = 'repair-queued' | 'rolled-back' | Exclude<RepairLoopState, 'repairing'>;

/**
 * Stores round `p.round` (`playtest/round-N/`, the tested dist/ as `versions/round-N/dist/`),
 * keeps the better of it and the version served before, and either queues the next
 * repair (run-phase 5) or stops; a worse round's version is rolled back (dist/ restored,
 * redeploy queued). `stored` is the job row's `playtest` as locked by the caller.
 */
export async function recordPlaytest(
  tx: DbClient,
  deps: { config: Pick<Config, 'QUALITY_THRESHOLD' | 'MAX_REPAIRS'>; secrets: string[] },
  jobId: number,
  p: Playtest,
  screenshots: { name: string; bytes: Buffer }[],
  stored: unknown,
): Promise<PlaytestOutcome> {
  const { config } = deps;
  const before = parseSummary(stored);
  await saveArtifacts(tx, jobId, null, roundFiles(p.round, p, screenshots));
  await archiveVersion(tx, jobId, p.round);

  // Rounds before this one (a retried round replaces its own entry); the served version is the last one kept.
  const history = (before?.rounds ?? []).filter((r) => r.round < p.round);
  const servedBefore = before && history.some((r) => r.round === before.round) ? before : null;
  const current: RoundResult = { round: p.round, score: p.score, passed: p.passed };
  const decision = decideRound(current, servedBefore, config);
  const rounds = [...history, { ...current, outcome: decision.rolledBack ? 'rolled-back' : 'kept' } as const];
  const loop: RepairLoopState = 'repair' in decision.next ? 'repairing' : decision.next.stop;

  const served: PlaytestSummary =
    decision.rolledBack && servedBefore
      ? { ...servedBefore, rounds, loop }
      : {
          round: p.round,
          score: p.score,
          passed: p.passed,
          at: p.at,
          failed: failedIds(p),
          reasons: p.defects.slice(0, 5),
          goodEnough: p.passed && p.score >= config.QUALITY_THRESHOLD,
          loop,
          rounds,
        };
  await setJobPlaytest(tx, jobId, served.score, served);
  await aliasRound(tx, jobId, served.round);

  const failed = failedIds(p);
  const head = `play-test round ${p.round}: score ${p.score}/100, ${p.passed ? 'passed' : 'failed'}`;
  const defects = p.defects.length ? `: ${p.defects.join('; ')}` : '';
  const compared = !servedBefore
    ? null
    : decision.rolledBack
      ? `worse than round ${servedBefore.round} (${servedBefore.score}/100): rolled back to round ${servedBefore.round}`
      : `kept (round ${servedBefore.round} scored ${servedBefore.score}/100)`;
  const nextText =
    'repair' in decision.next
      ? `repair ${decision.next.repair} of ${config.MAX_REPAIRS} (phase 5) queued`
      : describeStop(decision.next.stop, config);
  const message = [`${head}${defects}`, compared, nextText].filter(Boolean).join('; ');
  const data = {
    round: p.round,
    score: p.score,
    passed: p.passed,
    failed,
    defects: p.defects,
    url: p.url,
    served: served.round,
    rolledBack: decision.rolledBack,
    loop,
    repair: 'repair' in decision.next ? decision.next.repair : null,
    rounds,
  };
  await addEvent(tx, { jobId, kind: 'playtest', message, data }, deps.secrets);
  // A player's change (lib/studio/feedback.ts) is judged by this round.
  await settleFeedback(tx, jobId, {
    score: p.score,
    rolledBack: decision.rolledBack,
    servedScore: servedBefore?.score ?? null,
  });

  if (decision.rolledBack) await restoreVersion(tx, jobId, served.round);
  const next = decision.rolledBack
    ? { rollbackTo: served.round }
    : 'repair' in decision.next
      ? { repair: decision.next.repair }
      : null;
  await chainNext(tx, jobId, { after: 'playtest-game', round: p.round, next });
  // The loop has settled: what failed and what fixed it become lessons for later games (lib/lessons/).
  if (loop !== 'repairing') await learnFromJob(tx, jobId, loop, deps.secrets);
  if (decision.rolledBack) return 'rolled-back';
  return 'repair' in decision.next ? 'repair-queued' : decision.next.stop;
}

/** A repair that failed ends the loop: the served version stays, and the summary says why nothing more happens. */
export async function recordRepairFailed(
  tx: DbClient,
  jobId: number,
  phase: number,
  reason: string,
  secrets: string[],
): Promise<void> {
  const round = parseSummary((await getJob(tx, jobId))?.playtest)?.round;
  await endRepairLoop(tx, jobId, 'repair-failed');
  await learnFromJob(tx, jobId, 'repair-failed', secrets);
  await addEvent(
    tx,
    {
      jobId,
      kind: 'log',
      phase,
      message: `the repair failed (${reason.slice(0, 300)}); ${round ? `round ${round}'s version` : 'the earlier build'} stays deployed`,
      data: { loop: 'repair-failed', served: round ?? null },
    },
    secrets,
  );
}

/** A play-test that says nothing about the game (skipped, gave up): its event, and a repair loop waiting on it ends. */
export async function recordPlaytestSkipped(
  db: DbClient,
  jobId: number,
  message: string,
  data: Record<string, unknown>,
  secrets: string[],
): Promise<void> {
  await inTransaction(db, async (tx) => {
    await addEvent(tx, { jobId, kind: 'playtest', message, data }, secrets);
    await endRepairLoop(tx, jobId, 'playtest-skipped');
    await settleFeedback(tx, jobId, null); // a player's change waiting on it is kept as it is
  });
}
