// Judging a play-test without a browser: which observations fail which check,
// the score and verdict, the repair's defect report, the URL template and the
// config knobs.
import { describe, expect, it } from 'vitest';
import { PLAYTEST_CHECKS, Playtest } from '../lib/artifacts.ts';
import { loadConfig } from '../lib/config.ts';
import { playtestFeedback } from '../lib/playtest/feedback.ts';
import { playtestUrl } from '../lib/playtest/playtest-job.ts';
import type { Observations } from '../lib/playtest/run-playtest.ts';
import { FIRST_FRAME_BUDGET_MS, scorePlaytest } from '../lib/playtest/score.ts';

const good: Observations = {
  url: 'http://gamedemo3.localhost:3000/',
  pageErrors: [],
  consoleErrors: [],
  foreignRequests: [],
  unresponsive: null,
  booted: true,
  frames: 400,
  firstFrameMs: 120,
  distinctColours: 60,
  stateBefore: 'title',
  stateAfterInput: 'playing',
  inputChangedState: true,
  inputChangedPicture: true,
  scoreGained: 30,
  currencyGained: 4,
  playMs: 6000,
  screenshot: null,
};
const meta = { round: 1, at: new Date('2026-11-01T10:00:00Z'), durationMs: 9000.4, screenshot: true };
const failedIds = (p: Playtest) => p.checks.filter((c) => !c.passed).map((c) => c.id);

describe('scorePlaytest', () => {
  it('gives a working game 100 and passes it, with every check reported in order', () => {
    const p = scorePlaytest(good, meta);
    expect(p).toMatchObject({
      score: 100,
      passed: true,
      defects: [],
      round: 1,
      durationMs: 9000,
      screenshot: 'playtest.png',
      at: '2026-11-01T10:00:00.000Z',
    });
    expect(p.checks.map((c) => c.id)).toEqual(Object.keys(PLAYTEST_CHECKS));
    expect(Object.values(PLAYTEST_CHECKS).reduce((n, c) => n + c.weight, 0)).toBe(100);
  });

  it('fails a game that throws on load, naming the error in the defects', () => {
    const p = scorePlaytest(
      {
        ...good,
        pageErrors: ['Error: boom (at http://gamedemo3.localhost:3000/main.js:1:7)'],
        booted: false,
        frames: 0,
        firstFrameMs: null,
        distinctColours: 0,
        stateBefore: null,
        stateAfterInput: null,
        inputChangedState: false,
        inputChangedPicture: false,
        scoreGained: 0,
        currencyGained: 0,
        playMs: 0,
      },
      meta,
    );
    expect(p.passed).toBe(false);
    expect(failedIds(p)).toEqual(['loads', 'boots', 'painted', 'respondsToInput', 'firstFrameFast', 'progresses']);
    expect(p.score).toBe(20); // console + offline
    expect(p.defects[0]).toBe(
      'the page loads and keeps responding, without uncaught errors: uncaught error(s): Error: boom (at http://gamedemo3.localhost:3000/main.js:1:7)',
    );
    expect(p.defects).toContain('the canvas is painted (several distinct colours): no canvas with pixels on the page');
    expect(p.errors).toEqual(['page: Error: boom (at http://gamedemo3.localhost:3000/main.js:1:7)']);
  });

  it('fails a page that stops responding, saying so', () => {
    const p = scorePlaytest(
      {
        ...good,
        unresponsive:
          'the page stopped responding: the session got no answer within 5000 ms (a script blocking the main thread?)',
      },
      meta,
    );
    expect(p.passed).toBe(false);
    expect(failedIds(p)).toEqual(['loads']);
    expect(p.defects).toEqual([
      'the page loads and keeps responding, without uncaught errors: the page stopped responding: the session got no answer within 5000 ms (a script blocking the main thread?)',
    ]);
  });

  it('passes a game whose only failures are the minor checks, marking them minor', () => {
    const p = scorePlaytest(
      { ...good, firstFrameMs: FIRST_FRAME_BUDGET_MS + 1, scoreGained: 0, currencyGained: 0 },
      meta,
    );
    expect(p).toMatchObject({ passed: true, score: 85 });
    expect(p.defects).toEqual([
      `(minor) the first frame is drawn quickly: first frame after ${FIRST_FRAME_BUDGET_MS + 1} ms (budget ${FIRST_FRAME_BUDGET_MS} ms)`,
      '(minor) score or currency rises during scripted play: neither score nor currency rose in 6000 ms of scripted play',
    ]);
  });

  it.each<[string, Partial<Observations>, keyof typeof PLAYTEST_CHECKS]>([
    ['console errors', { consoleErrors: ['Refused to connect to https://evil.example/'] }, 'noConsoleErrors'],
    ['a foreign request', { foreignRequests: ['https://cdn.example/lib.js'] }, 'offline'],
    ['a flat canvas', { distinctColours: 2 }, 'painted'],
    ['input that changes nothing', { inputChangedState: false, stateAfterInput: 'title' }, 'respondsToInput'],
    ['input that changes the state but not the picture', { inputChangedPicture: false }, 'respondsToInput'],
  ])('fails a game with %s', (_name, change, id) => {
    const p = scorePlaytest({ ...good, ...change }, meta);
    expect(p.passed).toBe(false);
    expect(failedIds(p)).toEqual([id]);
    expect(p.score).toBe(100 - PLAYTEST_CHECKS[id].weight);
  });

  it('clips long findings so the result always fits its schema', () => {
    const p = scorePlaytest(
      { ...good, consoleErrors: Array.from({ length: 80 }, (_, i) => `${i}: ${'x'.repeat(2000)}`) },
      meta,
    );
    expect(p.errors).toHaveLength(50);
    expect(Playtest.safeParse(p).success).toBe(true);
  });

  it('refuses observations that would make an invalid playtest.json', () => {
    expect(() => scorePlaytest({ ...good, url: 'not a url' }, meta)).toThrow(
      expect.objectContaining({ code: 'invalid_playtest', message: expect.stringContaining('url') }),
    );
  });
});

describe('playtestFeedback', () => {
  it('lists the defects and the browser errors for the repair', () => {
    const p = scorePlaytest(
      { ...good, pageErrors: ['TypeError: x is undefined'], foreignRequests: ['https://fonts.example/a.css'] },
      meta,
    );
    const text = playtestFeedback(p);
    expect(text.split('\n')[0]).toBe(
      'The deployed game failed its headless play-test (round 1, score 70/100, http://gamedemo3.localhost:3000/). Fix these defects:',
    );
    expect(text).toContain(
      '- the page loads and keeps responding, without uncaught errors: uncaught error(s): TypeError: x is undefined',
    );
    expect(text).toContain('- page: TypeError: x is undefined');
    expect(text).toContain('- https://fonts.example/a.css');
    expect(text).toContain('playtest.json');
  });

  it('stays within the job input limit', () => {
    const p = scorePlaytest({ ...good, pageErrors: Array.from({ length: 60 }, () => 'e'.repeat(600)) }, meta);
    expect(playtestFeedback(p).length).toBeLessThanOrEqual(10_000);
  });
});

describe('where the play-tester goes', () => {
  it('opens the public URL unless PLAYTEST_URL says otherwise', () => {
    expect(playtestUrl({ PLAYTEST_URL: undefined }, 3, 'https://gamedemo3.example.com')).toBe(
      'https://gamedemo3.example.com',
    );
    expect(playtestUrl({ PLAYTEST_URL: 'http://gamedemo{slot}:8080/' }, 3, 'https://gamedemo3.example.com')).toBe(
      'http://gamedemo3:8080/',
    );
    // `container`: the deployer's own address for the slot; a deployer without one falls back to the public URL.
    const internal = (slot: number) => `http://gamedemo${slot}/`;
    expect(playtestUrl({ PLAYTEST_URL: 'container' }, 3, 'https://gamedemo3.example.com', internal)).toBe(
      'http://gamedemo3/',
    );
    expect(playtestUrl({ PLAYTEST_URL: 'container' }, 3, 'https://gamedemo3.example.com')).toBe(
      'https://gamedemo3.example.com',
    );
  });

  it('validates PLAYTEST and PLAYTEST_URL', () => {
    expect(loadConfig({}).PLAYTEST).toBe('on');
    expect(loadConfig({ PLAYTEST: 'off' }).PLAYTEST).toBe('off');
    expect(() => loadConfig({ PLAYTEST: 'maybe' })).toThrow(/PLAYTEST/);
    expect(loadConfig({ PLAYTEST_URL: '' }).PLAYTEST_URL).toBeUndefined();
    expect(loadConfig({ PLAYTEST_URL: 'container' }).PLAYTEST_URL).toBe('container');
    // What docker-compose v1 made of `${PLAYTEST_URL:-http://gamedemo{slot}/}` with PLAYTEST_URL set.
    expect(() => loadConfig({ PLAYTEST_URL: 'http://gamedemo{slot}//}' })).toThrow(/no other braces/);
    expect(loadConfig({ PLAYTEST_URL: 'http://127.0.0.1:8080/play/{slot}/' }).PLAYTEST_URL).toBe(
      'http://127.0.0.1:8080/play/{slot}/',
    );
    expect(() => loadConfig({ PLAYTEST_URL: 'http://gamedemo.example.com/' })).toThrow(
      /PLAYTEST_URL: must be `container` or an http\(s\) URL template containing \{slot\}/,
    );
  });
});
