// The design's expectations in the verdict: the keypoint rubric beside it and matchesIdea's names.
import { describe, expect, it } from 'vitest';
import type { Design, Idea, Keypoint } from '../lib/artifacts.ts';
import { expectationsOf } from '../lib/playtest/expectations.ts';
import { documentOf } from '../lib/playtest/judge.ts';
import { IDEA } from './fixtures/scenarios/artifacts.ts';
import { good, meta } from './helpers/session-obs.ts';

const keypoint: Keypoint = {
  ...{ id: 'fire-scores', text: 'pressing Space fires and a hit scores', baseline: true },
  ...{ act: { keys: ['Space'], holdMs: 300, seconds: 2 }, expect: { watch: 'score', change: 'rises' } },
};

it('reports the rubric beside the verdict: as checked, or unverified (passed: null) with why in couldNotCheck', () => {
  const rubric = [{ id: 'fire-scores', text: keypoint.text, passed: false, evidence: 'saw score 0 → 0' }];
  const checked = documentOf([good()], { ...meta, expect: { keypoints: [keypoint] }, rubric });
  expect([checked.rubric, checked.passed, checked.couldNotCheck.some((u) => u.id === 'keypoints')]).toEqual([
    rubric,
    true,
    false,
  ]);
  const unplayed = documentOf([good()], { ...meta, expect: { keypoints: [keypoint] } });
  expect(unplayed.rubric).toEqual([
    { ...rubric[0], passed: null, evidence: 'not verified: the rubric was not played' },
  ]);
  expect(unplayed.couldNotCheck).toContainEqual({
    id: 'keypoints',
    why: '1 keypoint(s) not verified: the rubric was not played',
  });
});

describe("the design's expectations (matchesIdea)", () => {
  // The fixture idea's palette (its background differs from its other colours, so picking another would show).
  const { palette } = IDEA.theme;
  const idea = { title: 'Rock Dodger', theme: { mood: 'tense', setting: 'space', palette } } as unknown as Idea;
  const design = {
    title: 'Rock Dodger',
    entities: [
      { name: 'Rock', role: 'enemy', description: 'falls' },
      { name: 'Pilot', role: 'player', description: 'you' },
    ],
    progression: { currency: 'Score', upgrades: [] },
    keypoints: [keypoint],
  } as unknown as Design;

  it("takes the title, the player's name, the currency, the palette's background and the keypoints from idea and design", () => {
    expect(expectationsOf(idea, design)).toEqual({
      names: ['Rock Dodger', 'Pilot', 'Score'],
      palette: ['#10141f'],
      keypoints: [keypoint],
    });
    expect(expectationsOf(null, null)).toEqual({ names: [], palette: [], keypoints: [] });
  });

  it('passes a game whose text shows the names and fails one that never shows a name, naming it', () => {
    const shows = documentOf([good()], { ...meta, expect: { names: ['Rock Dodger', 'Score'] } });
    expect(shows.checks.find((c) => c.id === 'matchesIdea')).toMatchObject({ passed: true, required: false });
    const misses = documentOf([good()], { ...meta, expect: expectationsOf(null, design) });
    expect(misses.checks.find((c) => c.id === 'matchesIdea')).toMatchObject({
      passed: false,
      message: `the design's names "Pilot" never appear in the visible text`,
    });
    expect(misses.passed).toBe(true); // a minor check: the game still passes
  });
});
