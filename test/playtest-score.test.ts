// Judging a play-test without a browser: which observations fail which check,
// the verdict and the capped score, the declared-controls parser and the repair's
// defect report. Where the task plays: test/playtest-targets.test.ts; the design's
// expectations (rubric, matchesIdea): test/playtest-expectations-score.test.ts.
import { describe, expect, it } from 'vitest';
import { forms } from '../lib/playtest/checks-look.ts';
import { declaredControls } from '../lib/playtest/controls.ts';
import { FAILED_SCORE_CAP, PLAYTEST_CHECKS, type PlaytestDocument } from '../lib/playtest/document.ts';
import { playtestFeedback } from '../lib/playtest/feedback.ts';
import { documentOf } from '../lib/playtest/judge.ts';
import type { SessionObs } from '../lib/playtest/session.ts';
import { good, meta, picture } from './helpers/session-obs.ts';

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
