// The task chain of a job, readable in one place. Each step, on success,
// queues the next in its own transaction (so the chain is never half-written):
//
//   run-phase 1 idea ─► run-phase 2 design ─► run-phase 3 plan ─► run-phase 4 build
//        ─► deploy-game ─► playtest-game round N (PLAYTEST=on)
//               ▲                │ below QUALITY_THRESHOLD, improving, repairs left (lib/playtest/rounds.ts)
//               │                ▼
//               └──────── run-phase 5 repair N          (good enough, a plateau or MAX_REPAIRS: done)
//                                │ worse than the version served before
//                                ▼
//                  deploy-game {rollbackTo} (that version again, not play-tested again): done
//
// The phase rows of this chain are lib/phases.ts's PHASES[n].next; a step that
// queues nothing is the end, and its task says so with a `done` event
// (lib/task-deps.ts). A comparison's lead shares phase 1 with its siblings,
// which then start at phase 2 (lib/compare.ts).
import type { PhaseNumber } from '../artifacts.ts';
import type { Queryable } from '../db.ts';
import { PHASES, REPAIR_PHASE } from '../phases.ts';
import {
  enqueueDeploy,
  enqueuePhase,
  enqueuePlaytest,
  enqueueRepair,
  enqueueRollback,
  type LeadingWrite,
} from '../queue/enqueue.ts';
import { playtestRound } from './phase-runs.ts';

export type Step =
  | { task: 'run-phase'; phase: PhaseNumber; repair?: number }
  | { task: 'deploy-game'; rollback?: { to: number; after: number } }
  | { task: 'playtest-game' };

export type StepOutcome =
  | { after: 'run-phase'; phase: PhaseNumber }
  | { after: 'deploy-game'; playtest: boolean }
  /** The repair loop's decision for round `round` (lib/playtest/rounds.ts): repair k, roll back to a round, or stop (null). */
  | { after: 'playtest-game'; round: number; next: { repair: number } | { rollbackTo: number } | null };

/** What follows a step that succeeded; null when the chain ends there. */
export function nextStep(outcome: StepOutcome): Step | null {
  switch (outcome.after) {
    case 'run-phase':
      return PHASES[outcome.phase].next;
    case 'deploy-game':
      return outcome.playtest ? { task: 'playtest-game' } : null;
    case 'playtest-game':
      if (!outcome.next) return null;
      return 'repair' in outcome.next
        ? { task: 'run-phase', phase: REPAIR_PHASE, repair: outcome.next.repair }
        : { task: 'deploy-game', rollback: { to: outcome.next.rollbackTo, after: outcome.round } };
  }
}

/**
 * Queues `step` for the job in the caller's transaction (idempotent: job keys, lib/queue/keys.ts); `leading`
 * is a write run in the add_job's own statement, just before it.
 */
export async function enqueueStep(db: Queryable, jobId: number, step: Step, leading?: LeadingWrite): Promise<void> {
  switch (step.task) {
    case 'run-phase':
      return step.repair
        ? enqueueRepair(db, jobId, step.repair, leading)
        : enqueuePhase(db, jobId, step.phase, leading);
    case 'deploy-game':
      return step.rollback
        ? enqueueRollback(db, jobId, step.rollback.to, step.rollback.after, leading)
        : enqueueDeploy(db, jobId, leading);
    case 'playtest-game':
      return enqueuePlaytest(db, jobId, await playtestRound(db, jobId), leading);
  }
}

/**
 * nextStep, then enqueueStep when there is one; returns what was queued. `leading` (the step's last write)
 * runs in the add_job's statement, or alone when nothing follows: one round trip less before the commit.
 */
export async function chainNext(
  db: Queryable,
  jobId: number,
  outcome: StepOutcome,
  opts: { leading?: LeadingWrite } = {},
): Promise<Step | null> {
  const step = nextStep(outcome);
  if (step) await enqueueStep(db, jobId, step, opts.leading);
  else if (opts.leading) await db.query(opts.leading.sql, opts.leading.params);
  return step;
}
