// The task chain of a job, readable in one place. Each step, on success,
// queues the next in its own transaction (so the chain is never half-written):
//
//   run-phase 1 idea ─► run-phase 2 design ─► run-phase 3 plan ─► run-phase 4 build
//        ─► deploy-game ─► playtest-game (PLAYTEST=on)
//               ▲                │ failed, and the job was never repaired
//               │                ▼
//               └──────── run-phase 5 repair        (passed, or failed again: done)
//
// The phase rows of this chain are lib/phases.ts's PHASES[n].next; a step that
// queues nothing is the end, and its task says so with a `done` event
// (lib/task-deps.ts). A comparison's lead shares phase 1 with its siblings,
// which then start at phase 2 (lib/compare.ts).
import type { PhaseNumber } from '../artifacts.ts';
import type { Queryable } from '../db.ts';
import { PHASES, REPAIR_PHASE } from '../phases.ts';
import { enqueueDeploy, enqueuePhase, enqueuePlaytest } from '../queue/enqueue.ts';
import { playtestRound } from './phase-runs.ts';

export type Step = { task: 'run-phase'; phase: PhaseNumber } | { task: 'deploy-game' } | { task: 'playtest-game' };

export type StepOutcome =
  | { after: 'run-phase'; phase: PhaseNumber }
  | { after: 'deploy-game'; playtest: boolean }
  | { after: 'playtest-game'; passed: boolean; repaired: boolean };

/** What follows a step that succeeded; null when the chain ends there. */
export function nextStep(outcome: StepOutcome): Step | null {
  switch (outcome.after) {
    case 'run-phase':
      return PHASES[outcome.phase].next;
    case 'deploy-game':
      return outcome.playtest ? { task: 'playtest-game' } : null;
    case 'playtest-game':
      return outcome.passed || outcome.repaired ? null : { task: 'run-phase', phase: REPAIR_PHASE };
  }
}

/** Queues `step` for the job in the caller's transaction (idempotent: job keys, lib/queue/keys.ts). */
export async function enqueueStep(db: Queryable, jobId: number, step: Step): Promise<void> {
  switch (step.task) {
    case 'run-phase':
      return enqueuePhase(db, jobId, step.phase);
    case 'deploy-game':
      return enqueueDeploy(db, jobId);
    case 'playtest-game':
      return enqueuePlaytest(db, jobId, await playtestRound(db, jobId));
  }
}

/** nextStep, then enqueueStep when there is one; returns what was queued. */
export async function chainNext(db: Queryable, jobId: number, outcome: StepOutcome): Promise<Step | null> {
  const step = nextStep(outcome);
  if (step) await enqueueStep(db, jobId, step);
  return step;
}
