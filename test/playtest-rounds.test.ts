// The repair loop's decisions (lib/playtest/rounds.ts): which version is served
// after each round and whether another repair runs, for every way it can stop.
import { describe, expect, it } from 'vitest';
import { better, decideRound, describeStop, goodEnough } from '../lib/playtest/rounds.ts';

const config = { QUALITY_THRESHOLD: 70, MAX_REPAIRS: 3 };
const r = (round: number, score: number, passed = score >= 70) => ({ round, score, passed });

describe('better', () => {
  it('puts a passing version above any failing one, then the higher score', () => {
    expect(better(r(2, 60, true), r(1, 90, false))).toBe(true);
    expect(better(r(2, 90, false), r(1, 60, true))).toBe(false);
    expect(better(r(2, 41, false), r(1, 40, false))).toBe(true);
    expect(better(r(2, 40, false), r(1, 40, false))).toBe(false);
  });

  it('calls a game good enough only when it passed with a score at the threshold or above', () => {
    expect(goodEnough(r(1, 70, true), config)).toBe(true);
    expect(goodEnough(r(1, 69, true), config)).toBe(false);
    expect(goodEnough(r(1, 95, false), config)).toBe(false);
  });
});

describe('decideRound', () => {
  it('stops at round 1 when the build is good enough', () => {
    expect(decideRound(r(1, 85), null, config)).toEqual({
      served: 1,
      rolledBack: false,
      next: { stop: 'good-enough' },
    });
  });

  it('queues repair 1 after a failing build, and repair N + 1 after an improving repair N', () => {
    expect(decideRound(r(1, 30, false), null, config)).toEqual({ served: 1, rolledBack: false, next: { repair: 1 } });
    expect(decideRound(r(2, 45, false), r(1, 30, false), config)).toEqual({
      served: 2,
      rolledBack: false,
      next: { repair: 2 },
    });
  });

  it('keeps an improving repair that is good enough and stops', () => {
    expect(decideRound(r(3, 90), r(2, 45, false), config)).toEqual({
      served: 3,
      rolledBack: false,
      next: { stop: 'good-enough' },
    });
  });

  it('rolls a worse repair back to the served version and stops on the plateau', () => {
    expect(decideRound(r(2, 10, false), r(1, 40, false), config)).toEqual({
      served: 1,
      rolledBack: true,
      next: { stop: 'plateau' },
    });
    // Passing but below the threshold still beats a higher-scoring failure: the failure is rolled back.
    expect(decideRound(r(2, 90, false), r(1, 60, true), config)).toMatchObject({ served: 1, rolledBack: true });
  });

  it('keeps an equally good repair (already deployed) but stops: no improvement', () => {
    expect(decideRound(r(2, 40, false), r(1, 40, false), config)).toEqual({
      served: 2,
      rolledBack: false,
      next: { stop: 'plateau' },
    });
  });

  it('stops after MAX_REPAIRS repairs even while improving, and never repairs with MAX_REPAIRS=0', () => {
    expect(decideRound(r(4, 60, false), r(3, 50, false), config)).toEqual({
      served: 4,
      rolledBack: false,
      next: { stop: 'max-repairs' },
    });
    expect(decideRound(r(1, 10, false), null, { ...config, MAX_REPAIRS: 0 }).next).toEqual({ stop: 'max-repairs' });
  });

  it('says why it stopped', () => {
    expect(describeStop('good-enough', config)).toBe('stopped: passed with a score of at least 70');
    expect(describeStop('plateau', config)).toBe('stopped: the repair brought no improvement');
    expect(describeStop('max-repairs', config)).toBe('stopped: no repairs left (MAX_REPAIRS=3)');
  });
});
