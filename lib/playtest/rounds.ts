// The repair loop's decisions, pure so every branch is unit-tested: after each
// play-test round, which version the slot should serve (the best so far) and
// whether to repair again or stop, and why.
import type { Config } from '../config.ts';

/** What the loop remembers of a round (kept on the job row, `jobs.playtest.history`). */
export interface RoundResult {
  round: number;
  score: number;
  passed: boolean;
}

export type StopReason = 'good-enough' | 'plateau' | 'max-repairs';

export interface RoundDecision {
  /** The round whose version the slot serves from now on. */
  served: number;
  /** This round's version was rolled back in favour of `served`. */
  rolledBack: boolean;
  /** Queue another repair, or stop (and why). */
  next: { repair: number } | { stop: StopReason };
}

/** Better = passed beats failed, then the higher score. */
export function better(a: RoundResult, b: RoundResult): boolean {
  if (a.passed !== b.passed) return a.passed;
  return a.score > b.score;
}

export function goodEnough(r: RoundResult, config: Pick<Config, 'QUALITY_THRESHOLD'>): boolean {
  return r.passed && r.score >= config.QUALITY_THRESHOLD;
}

/**
 * `served` is the round the slot served before this one was deployed (null for
 * round 1). A repair that is not better than it brings no improvement: a worse
 * one is rolled back, an equal one kept (it is as good, and already deployed);
 * either way the loop has reached a plateau and stops.
 */
export function decideRound(
  current: RoundResult,
  served: RoundResult | null,
  config: Pick<Config, 'QUALITY_THRESHOLD' | 'MAX_REPAIRS'>,
): RoundDecision {
  const worse = served !== null && better(served, current);
  const improved = served === null || better(current, served);
  const best = worse ? served! : current;
  const repairsDone = current.round - 1;
  const next: RoundDecision['next'] = goodEnough(best, config)
    ? { stop: 'good-enough' }
    : !improved
      ? { stop: 'plateau' }
      : repairsDone >= config.MAX_REPAIRS
        ? { stop: 'max-repairs' }
        : { repair: repairsDone + 1 };
  return { served: best.round, rolledBack: worse, next };
}

export function describeStop(reason: StopReason, config: Pick<Config, 'QUALITY_THRESHOLD' | 'MAX_REPAIRS'>): string {
  switch (reason) {
    case 'good-enough':
      return `stopped: passed with a score of at least ${config.QUALITY_THRESHOLD}`;
    case 'plateau':
      return 'stopped: the repair brought no improvement';
    case 'max-repairs':
      return `stopped: no repairs left (MAX_REPAIRS=${config.MAX_REPAIRS})`;
  }
}
