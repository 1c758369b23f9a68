// The play-test's rows: which round a job is on, its enqueueing (chained from
// deploy), and recording a round — its artifacts, the version it tested, the
// job's summary, the event and the repair loop's next step (another repair, or
// a rollback to the best version) — in one transaction.
import type { Config } from '../config.ts';
import { PlaytestSummary, type Playtest, type RepairLoopState } from '../artifacts.ts';
import { saveArtifacts } from '../artifact-store.ts';
import type { DbClient, Queryable } from '../db.ts';
import { addEvent } from '../events.ts';
import { MAX_ATTEMPTS, enqueueRepair, enqueueRollback } from '../queue.ts';
import { decideRound, describeStop, type RoundResult } from './rounds.ts';
import { aliasRound, archiveVersion, restoreVersion, roundFiles } from './versions.ts';

// After the phases and deploys already queued: play-testing must not hold up building games.
const PLAYTEST_PRIORITY = 10;

/** Round 1 follows the build, round N + 1 repair N: 1 + completed repairs. */
const ROUND_SQL = `1 + (select count(*)::int from gamepocgen.phase_runs where job_id = $1 and phase = 5 and status = 'completed')`;

export async function playtestRound(db: Queryable, jobId: number): Promise<number> {
  const { rows } = await db.query<{ round: number }>(`select ${ROUND_SQL} as round`, [jobId]);
  return rows[0]!.round;
}

/** Chains `playtest-game` after a deploy, in the deploy's transaction; the job_key names the round so a redeploy after a repair queues a new one. */
export async function enqueuePlaytest(db: Queryable, jobId: number): Promise<void> {
  await db.query(
    `select graphile_worker.add_job('playtest-game', json_build_object('jobId', $1::bigint), job_key := 'job:' || $1::bigint || ':playtest:' || (${ROUND_SQL}),
       max_attempts := $2, priority := $3)`,
    [jobId, MAX_ATTEMPTS, PLAYTEST_PRIORITY],
  );
}

export interface LockedJob {
  status: string;
  url: string | null;
  playtest: PlaytestSummary | null;
}

/** A job's current game, locked: the result is recorded only if it still plays what was tested. */
export async function lockDeployedJob(tx: DbClient, jobId: number): Promise<LockedJob | null> {
  const { rows } = await tx.query<{ status: string; url: string | null; playtest: unknown }>(
    'select status, url, playtest from gamepocgen.jobs where id = $1 for update',
    [jobId],
  );
  if (!rows[0]) return null;
  const summary = PlaytestSummary.safeParse(rows[0].playtest);
  return { ...rows[0], playtest: summary.success ? summary.data : null };
}

async function setJobPlaytest(tx: DbClient, jobId: number, s: PlaytestSummary): Promise<void> {
  await tx.query('update gamepocgen.jobs set playtest_score = $2, playtest = $3, updated_at = now() where id = $1', [
    jobId,
    s.score,
    JSON.stringify(s),
  ]);
}

const failedIds = (p: Playtest) => p.checks.filter((c) => !c.passed).map((c) => c.id);

export type PlaytestOutcome = 'repair-queued' | 'rolled-back' | Exclude<RepairLoopState, 'repairing'>;

/**
 * Stores round `p.round` (`playtest/round-N/`, the tested dist/ as `versions/round-N/dist/`),
 * keeps the better of it and the version served before, and either queues the next
 * repair (run-phase 5) or stops; a worse round's version is rolled back (dist/ restored,
 * redeploy queued). `before` is the job's summary as locked by the caller.
 */
export async function recordPlaytest(
  tx: DbClient,
  deps: { config: Pick<Config, 'QUALITY_THRESHOLD' | 'MAX_REPAIRS'>; secrets: string[] },
  jobId: number,
  p: Playtest,
  screenshots: { name: string; bytes: Buffer }[],
  before: PlaytestSummary | null,
): Promise<PlaytestOutcome> {
  const { config } = deps;
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
  await setJobPlaytest(tx, jobId, served);
  await aliasRound(tx, jobId, served.round);

  const failed = failedIds(p);
  const head = `play-test round ${p.round}: score ${p.score}/100, ${p.passed ? 'passed' : 'failed'}`;
  const defects = p.defects.length ? `: ${p.defects.join('; ')}` : '';
  const compared = !servedBefore
    ? null
    : decision.rolledBack
      ? `worse than round ${servedBefore.round} (${servedBefore.score}/100): rolled back to round ${servedBefore.round}`
      : `kept (round ${servedBefore.round} scored ${servedBefore.score}/100)`;
  const next =
    'repair' in decision.next
      ? `repair ${decision.next.repair} of ${config.MAX_REPAIRS} (phase 5) queued`
      : describeStop(decision.next.stop, config);
  const message = [`${head}${defects}`, compared, next].filter(Boolean).join('; ');
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

  if (decision.rolledBack) {
    await restoreVersion(tx, jobId, served.round);
    await enqueueRollback(tx, jobId, served.round, p.round);
    return 'rolled-back';
  }
  if ('repair' in decision.next) {
    await enqueueRepair(tx, jobId, decision.next.repair);
    return 'repair-queued';
  }
  return decision.next.stop;
}

/** A repair that failed ends the loop: the served version stays, and the summary says why nothing more happens. */
export async function recordRepairFailed(
  tx: DbClient,
  jobId: number,
  phase: number,
  reason: string,
  secrets: string[],
): Promise<void> {
  const locked = await lockDeployedJob(tx, jobId);
  if (locked?.playtest) await setJobPlaytest(tx, jobId, { ...locked.playtest, loop: 'repair-failed' });
  const round = locked?.playtest?.round;
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
