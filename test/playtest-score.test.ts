// Judging a play-test without a browser: which observations fail which check,
// the verdict and the capped score, the declared-controls parser and the repair's
// defect report. Where the task plays: test/playtest-targets.test.ts.
import { describe, expect, it } from 'vitest';
import type { Design, Idea, Keypoint } from '../lib/artifacts.ts';
import { forms } from '../lib/playtest/checks-look.ts';
import { declaredControls } from '../lib/playtest/controls.ts';
import { FAILED_SCORE_CAP, PLAYTEST_CHECKS, type PlaytestDocument } from '../lib/playtest/document.ts';
import { playtestFeedback } from '../lib/playtest/feedback.ts';
import { expectationsOf } from '../lib/playtest/expectations.ts';
import { documentOf } from '../lib/playtest/judge.ts';
import type { SessionObs } from '../lib/playtest/session.ts';

const grid = (shift: number) => Array.from({ length: 48 * 27 * 3 }, (_, i) => ((i * 7 + shift) % 200) + (i % 3));
const picture = (shift = 0) => ({
  colours: 40,
  grid: grid(0).map((v, i) => (i < 30 ? v + shift : v)),
  canvasShare: 0.6,
  common: [],
});

function good(over: Partial<SessionObs> = {}): SessionObs {
  return {
    mode: 'own-origin',
    url: 'http://gamedemo3.localhost:3000/',
    light: false,
    csp: 'server',
    unresponsive: null,
    foreign: [],
    violations: [],
    hasGame: true,
    frames: 30,
    firstFrameMs: 120,
    playFromMs: 2000,
    titleText: 'Rock Dodger Arrow keys move the ship. Space fires.',
    endText: 'Score 42',
    pictures: [picture(), picture(40), picture(), picture(), picture(40), picture()],
    fits: [
      { viewport: '1280×800', scrolls: false, canvasInside: true, canvas: { x: 0, y: 0, width: 960, height: 540 } },
      { viewport: '390×844', scrolls: false, canvasInside: true, canvas: { x: 0, y: 0, width: 390, height: 219 } },
    ],
    start: { before: 'title', after: 'playing', byInput: true },
    idle: {
      gameSeconds: 26,
      instantDeathAt: null,
      endedAt: 14,
      ended: 'lost',
      livesLost: true,
      progress: [],
      movedCells: 60,
      movedPaths: ['kit.enemies'],
    },
    declared: [
      { label: 'arrow keys', keys: ['ArrowLeft'], pointer: false },
      { label: 'Space', keys: ['Space'], pointer: false },
    ],
    controls: [
      { label: 'ArrowLeft', control: 'arrow keys', declared: true, effect: ['kit.player.x'], inconclusive: false },
      { label: 'Space', control: 'Space', declared: true, effect: ['kit.bullets'], inconclusive: false },
      { label: 'KeyJ', control: 'KeyJ', declared: false, effect: [], inconclusive: false },
    ],
    play: {
      gameSeconds: 24,
      wallMs: 6100,
      maxGapMs: 40,
      stalledMs: 16,
      framesDuring: 360,
      ends: ['lost at 12 s'],
      livesLost: true,
      worldPaths: ['kit.enemies'],
      progress: [],
    },
    hud: { score: 42, currency: 0, text: 'Score 42' },
    rec: { openedAt: 0, mode: 'own-origin', console: [], errors: [], inputScript: [], trace: [], shots: [] },
    ...over,
  };
}
const meta = { round: 1, seed: 1, at: new Date('2026-11-01T10:00:00Z'), durationMs: 9000.4 };
const failed = (d: PlaytestDocument) => d.checks.filter((c) => !c.passed).map((c) => c.id);

describe('the verdict', () => {
  it('passes a game every check passes, with weights summing to 100', () => {
    const d = documentOf([good()], meta);
    expect(failed(d)).toEqual([]);
    expect(d).toMatchObject({ passed: true, score: 100, round: 1, durationMs: 9000, at: '2026-11-01T10:00:00.000Z' });
    expect(Object.values(PLAYTEST_CHECKS).reduce((n, c) => n + c.weight, 0)).toBe(100);
    // Not played sandboxed, no design given: said, not guessed.
    expect(d.couldNotCheck.map((u) => u.id)).toEqual(['sandboxed', 'matchesIdea']);
  });

  it.each<[string, Partial<SessionObs>, string, RegExp]>([
    [
      'an uncaught error before play',
      { rec: { ...good().rec, errors: [{ t: 300, text: 'TypeError: x is null' }] } },
      'loads',
      /uncaught error 0\.3 s after opening, before play: TypeError: x is null/,
    ],
    [
      'an error 10 s into play',
      { rec: { ...good().rec, errors: [{ t: 12_000, text: 'Error: caves' }] } },
      'survives',
      /uncaught error 10\.0 s into play .*Error: caves/,
    ],
    ['a frozen loop', { play: { ...good().play!, maxGapMs: 1500 } }, 'survives', /froze for 1500 ms/],
    [
      'a CSP-blocked request',
      { violations: ['connect-src: https://x.example/a'] },
      'offline',
      /https:\/\/x\.example\/a/,
    ],
    [
      'a blank canvas',
      { pictures: [picture(), picture()].map((p) => ({ ...p, colours: 1 })) },
      'picture',
      /blank or flat: at most 1 distinct/,
    ],
    ['no canvas', { pictures: [{ ...picture(), canvasShare: 0 }] }, 'picture', /^text only: no canvas covers 5%/],
    ['an instant death', { idle: { ...good().idle!, instantDeathAt: 2, ended: 'lost' } }, 'isGame', /^instant death/],
    [
      'no loss or goal',
      {
        idle: { ...good().idle!, ended: null, livesLost: false },
        play: { ...good().play!, ends: [], livesLost: false },
      },
      'isGame',
      /no loss, win, lost life or rising wave\/level/,
    ],
    [
      'a declared control without effect',
      { controls: [{ label: 'ArrowLeft', control: 'arrow keys', declared: true, effect: [], inconclusive: false }] },
      'inputReal',
      /arrow keys \(ArrowLeft\)/,
    ],
    [
      'an undocumented control',
      {
        controls: [
          ...good().controls,
          { label: 'KeyL', control: 'KeyL', declared: false, effect: ['kit.player.x'], inconclusive: false },
        ],
      },
      'controlsDocumented',
      /^KeyL \(kit\.player\.x\) change the game but the page documents only arrow keys, Space/,
    ],
    [
      'a stuck loading screen',
      { titleText: 'Loading... 60%', endText: 'Loading... 60%' },
      'starts',
      /stuck on a loading screen: "Loading\.\.\. 60%"/,
    ],
  ])('fails %s on the right check with a true message, and caps the score', (_n, change, id, message) => {
    const d = documentOf([good(change)], meta);
    expect(failed(d)).toContain(id);
    expect(d.checks.find((c) => c.id === id)!.message).toMatch(message);
    expect(d.passed).toBe(false);
    expect(d.score).toBeLessThanOrEqual(FAILED_SCORE_CAP);
    expect(d.defects.some((x) => x.startsWith(`${id}: `))).toBe(true);
  });

  it('fails the sandboxed serving on a storage error, naming the fix', () => {
    const sandboxed = good({
      mode: 'sandboxed',
      url: 'http://127.0.0.1:3000/play/3/',
      light: true,
      rec: {
        ...good().rec,
        mode: 'sandboxed',
        errors: [{ t: 200, text: "SecurityError: Failed to read the 'localStorage' property" }],
      },
    });
    const d = documentOf([good(), sandboxed], meta);
    expect(failed(d)).toEqual(['sandboxed']);
    expect(d.checks.find((c) => c.id === 'sandboxed')!.message).toMatch(/storage throws on an opaque origin/);
    expect(d.servedAs.map((s) => s.mode)).toEqual(['own-origin', 'sandboxed']);
  });

  it('fails a game whose inline script the game CSP blocked, naming the fix (control: no frames, no violation)', () => {
    const blocked = good({ frames: 0, violations: ['script-src-elem: inline'] });
    const starts = documentOf([blocked], meta).checks.find((c) => c.id === 'starts')!;
    expect(starts).toMatchObject({
      passed: false,
      evidence: { frames: 0, cspViolations: ['script-src-elem: inline'] },
    });
    expect(starts.message).toMatch(
      /^only 0 animation frame\(s\).*blocked an inline script: move the code into a \.js file/,
    );
    const plain = documentOf([good({ frames: 0 })], meta).checks.find((c) => c.id === 'starts')!;
    expect(plain.passed).toBe(false);
    expect(plain.message).not.toMatch(/CSP/);
    expect(plain.evidence).toEqual({ frames: 0 });
    expect(documentOf([good()], meta).servedAs).toEqual([
      { mode: 'own-origin', url: 'http://gamedemo3.localhost:3000/', csp: 'server' },
    ]);
  });

  it('keeps a minor failure minor', () => {
    const d = documentOf([good({ hud: { score: 42, currency: 0, text: 'no numbers here' } })], meta);
    expect(d.passed).toBe(true);
    expect(d.defects).toEqual([expect.stringMatching(/^\(minor\) hudMatches: window.__game reports score 42/)]);
    expect(d.score).toBe(97);
  });

  it('says what it could not check without window.__game instead of failing it', () => {
    const d = documentOf(
      [
        good({
          hasGame: false,
          hud: null,
          idle: { ...good().idle!, ended: null, livesLost: false },
          play: { ...good().play!, ends: [], livesLost: false },
        }),
      ],
      meta,
    );
    expect(d.passed).toBe(true);
    expect(d.couldNotCheck.map((u) => u.id)).toEqual(expect.arrayContaining(['lossReachable', 'hudMatches']));
  });

  it('refuses observations that would make an invalid playtest.json', () => {
    expect(() => documentOf([good({ url: 'not a url' })], meta)).toThrow(
      expect.objectContaining({ code: 'invalid_playtest' }),
    );
  });
});

describe('declared controls', () => {
  it.each<[string, string[]]>([
    ['WASD / arrow keys: move. Space: shockwave. P / Esc: pause', ['arrow keys', 'WASD', 'Space']],
    ['← → / A D slide the paddle; Space / ↑ / W / tap launches', ['Left/Right/Up', 'Space', 'pointer', 'A', 'D', 'W']],
    ['Arrow keys ← → move the catcher', ['arrow keys']],
    ['Arrow keys + Space: move the cursor and build. Click a tile.', ['arrow keys', 'pointer']],
    ['A lighthouse keeper. I think it is fun.', []],
    ['Press J to jump, L to dash', ['J', 'L']],
  ])('reads %j', (text, labels) => {
    expect(declaredControls(text).map((c) => c.label)).toEqual(labels);
  });

  it('writes HUD numbers the ways a HUD does', () => {
    expect(forms(23.4)).toEqual(expect.arrayContaining(['23']));
    expect(forms(10.8)).toEqual(expect.arrayContaining(['10.8']));
    expect(forms(1234)).toEqual(expect.arrayContaining(['1,234', '1.23K']));
  });
});

describe('playtestFeedback', () => {
  it('lists the defects, the errors and what was not checked, within the job input limit', () => {
    const d = documentOf(
      [good({ rec: { ...good().rec, errors: Array.from({ length: 60 }, () => ({ t: 100, text: 'e'.repeat(600) })) } })],
      meta,
    );
    const text = playtestFeedback(d);
    expect(text.split('\n')[0]).toMatch(/^The deployed game failed its headless play-test \(round 1, score \d+\/100/);
    expect(text).toContain('- loads: uncaught error');
    expect(text).toContain('- sandboxed: the sandboxed /play/N/ serving was not played');
    expect(text.length).toBeLessThanOrEqual(10_000);
  });
});

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
  const palette = {
    background: '#102030',
    primary: '#ffcc00',
    secondary: '#33aa55',
    accent: '#ff0000',
    text: '#ffffff',
  };
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
      palette: ['#102030'],
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
