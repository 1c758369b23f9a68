// The judge against the fixture games (test/fixtures/playtest-games/): each
// flawed game must fail with the right check named and a true message, each
// control must pass. Shared by the test files of this folder; each file is one
// group with one Chromium, so the groups run in parallel.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveGameDir } from '../../bin/serve-game-dir.ts';
import { sharedBrowser } from '../../lib/playtest/browser.ts';
import type { PlaytestCheckId } from '../../lib/playtest/document.ts';
import { judgeGame, type JudgeResult } from '../../lib/playtest/judge.ts';
import { chromiumAvailable } from '../browser/harness.ts';

export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../fixtures/playtest-games');

/** What each fixture must get: the check that fails and its message, or a pass. */
export const EXPECTED: Record<string, { fails: PlaytestCheckId; message: RegExp } | 'passes'> = {
  'throws-first-frame': {
    fails: 'loads',
    message: /^uncaught error .* before play: TypeError: Cannot read properties of null/,
  },
  'blank-canvas': { fails: 'picture', message: /^the canvas is blank or flat: at most 1 distinct colour/ },
  'ignores-input': {
    fails: 'inputReal',
    message:
      /^declared control\(s\) with no effect beyond the no-input baseline: arrow keys \(ArrowUp, ArrowRight, ArrowDown, ArrowLeft\); Space/,
  },
  'external-url': { fails: 'offline', message: /https:\/\/scores\.example\.com\/submit\?score=1/ },
  'loading-stuck': { fails: 'starts', message: /^stuck on a loading screen: "Loading\.\.\. 60%" is still shown after/ },
  'no-goal': {
    fails: 'isGame',
    message: /^no loss, win, lost life or rising wave\/level in .* no threat or goal was found/,
  },
  'text-only': { fails: 'picture', message: /^text only: no canvas covers 5% of the viewport/ },
  'undocumented-controls': {
    fails: 'controlsDocumented',
    message: /^KeyJ \(kit\.player\.x\); KeyL \(kit\.player\.x\) change the game but the page documents no controls/,
  },
  'noise-fake-game': { fails: 'picture', message: /^noise: .* of the picture changed between frames/ },
  'crash-10s': { fails: 'survives', message: /^uncaught error .* into play .*Error: bat spawner ran out of caves/ },
  'instant-death': {
    fails: 'isGame',
    message: /^instant death: with no input the game had ended \(lost\) [0-9.]+ s of game time after the start input/,
  },
  'sandbox-storage': { fails: 'sandboxed', message: /localStorage.*storage throws on an opaque origin/ },
  // Served with the game CSP like every fixture; without one it plays (test/playtest/cli-csp.test.ts).
  'inline-script': { fails: 'starts', message: /^only 0 animation frame\(s\) .*blocked an inline script/ },
  'good-freeform': 'passes',
};

/** Judges a fixture served like production: own origin, and the sandboxed /play/N/ variant. */
export async function judgeFixture(browser: ReturnType<typeof sharedBrowser>, name: string): Promise<JudgeResult> {
  const served = await serveGameDir(path.join(FIXTURES_DIR, name));
  try {
    return await browser.use((b) =>
      judgeGame(
        b!,
        [
          { mode: 'own-origin', url: served.url },
          { mode: 'sandboxed', url: served.sandboxUrl },
        ],
        { seconds: 12 },
      ),
    );
  } finally {
    await served.close();
  }
}

export function describeFixtures(names: string[]): void {
  const browser = sharedBrowser();
  afterAll(() => browser.close());
  describe.skipIf(!chromiumAvailable())('the judge on fixture games', () => {
    for (const name of names) {
      const want = EXPECTED[name]!;
      it(`${name}: ${want === 'passes' ? 'passes' : `fails ${want.fails}`}`, { timeout: 300_000 }, async () => {
        const { document: d, screenshots } = await judgeFixture(browser, name);
        const failed = d.checks.filter((c) => !c.passed && c.required).map((c) => `${c.id}: ${c.message}`);
        if (want === 'passes') {
          expect(failed).toEqual([]);
          expect(d.passed).toBe(true);
          expect(d.score).toBeGreaterThanOrEqual(70);
        } else {
          const check = d.checks.find((c) => c.id === want.fails);
          expect(check, failed.join('\n')).toMatchObject({ passed: false });
          expect(check!.message).toMatch(want.message);
          expect(d.passed).toBe(false);
          expect(d.score).toBeLessThanOrEqual(40);
          expect(d.defects.some((x) => x.startsWith(`${want.fails}: `))).toBe(true);
        }
        expect(d.servedAs.map((s) => s.mode)).toEqual(['own-origin', 'sandboxed']);
        expect(screenshots.map((s) => s.name)).toEqual(d.screenshots);
      });
    }
  });
}
