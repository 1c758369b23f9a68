// The phases of a job, in one table: what each is called, whether it writes the
// game (dist/), whether its agent needs the framework reference, and which step
// follows it (lib/jobs/chain.ts turns `next` into a queued task). Imports
// nothing: the worker (lib/agents/claude/policy.ts) reads it too.

/** Phase numbers as stored in phase_runs.phase and the run-phase payload. */
export type PhaseNo = 1 | 2 | 3 | 4 | 5;

export interface PhaseInfo {
  name: 'idea' | 'design' | 'plan' | 'build' | 'repair';
  /** The phase owns dist/ (the playable game): build tools, dist/ validation, stale files removed. */
  writesDist: boolean;
  /** The agent reads framework/ (its API reference in the prompt, the directory added to its tools). */
  readsFramework: boolean;
  /** What runs after the phase completes: the next phase, or the deploy. */
  next: { task: 'run-phase'; phase: PhaseNo } | { task: 'deploy-game' };
}

export const PHASES: Readonly<Record<PhaseNo, PhaseInfo>> = {
  1: { name: 'idea', writesDist: false, readsFramework: false, next: { task: 'run-phase', phase: 2 } },
  2: { name: 'design', writesDist: false, readsFramework: false, next: { task: 'run-phase', phase: 3 } },
  3: { name: 'plan', writesDist: false, readsFramework: true, next: { task: 'run-phase', phase: 4 } },
  4: { name: 'build', writesDist: true, readsFramework: true, next: { task: 'deploy-game' } },
  5: { name: 'repair', writesDist: true, readsFramework: true, next: { task: 'deploy-game' } },
};

/** The phase that picks the title (and, for a comparison, is shared by all its jobs). */
export const IDEA_PHASE = 1;
/** The first build of the game (the builtin agent is its fallback, CLAUDE_BUILD_FALLBACK). */
export const BUILD_PHASE = 4;
/** A repair after a play-test below QUALITY_THRESHOLD (one per round of the repair loop): it works from the play-test's defect report. */
export const REPAIR_PHASE = 5;

export const writesDist = (phase: PhaseNo): boolean => PHASES[phase].writesDist;
export const readsFramework = (phase: PhaseNo): boolean => PHASES[phase].readsFramework;
/** Phases whose completed run leaves a new build to deploy (phase_runs.phase in …). */
export const DIST_PHASES = (Object.keys(PHASES).map(Number) as PhaseNo[]).filter(writesDist);
