// The judge on every builtin kit's game (the controls that must pass): each genre's
// game built by the builtin agent (phases 1–4, as the worker runs them), served from
// its dist/ like production on its own origin and sandboxed, and judged against its
// own idea and design (matchesIdea, and its keypoints as the rubric). The full task path is test/playtest.test.ts.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveGameDir } from '../../bin/serve-game-dir.ts';
import { Design, type Genre, Idea } from '../../lib/artifacts.ts';
import { sharedBrowser } from '../../lib/playtest/browser.ts';
import { expectationsOf } from '../../lib/playtest/expectations.ts';
import { judgeGame } from '../../lib/playtest/judge.ts';
import { generateGame } from '../../support/generate-game.ts';
import { chromiumAvailable } from '../browser/harness.ts';

export function describeKits(genres: Genre[]): void {
  const browser = sharedBrowser();
  afterAll(() => browser.close());
  describe.skipIf(!chromiumAvailable())('the judge on builtin kit games', () => {
    for (const genre of genres)
      it(`${genre}: passes every required check, own origin and sandboxed`, { timeout: 300_000 }, async () => {
        const g = await generateGame({ idea: `a ${genre} game about owls`, genre, seed: 3 });
        const served = await serveGameDir(path.join(g.dir, 'dist'));
        try {
          const json = (name: string) => JSON.parse(g.files.get(name)!.toString('utf8'));
          const expect_ = expectationsOf(Idea.parse(json('idea.json')), Design.parse(json('design.json')));
          const { document: d } = await browser.use((b) =>
            judgeGame(
              b!,
              [
                { mode: 'own-origin', url: served.url },
                { mode: 'sandboxed', url: served.sandboxUrl },
              ],
              { expect: expect_ },
            ),
          );
          const failed = d.checks.filter((c) => c.required && !c.passed).map((c) => `${c.id}: ${c.message}`);
          expect(failed).toEqual([]);
          expect(d.passed).toBe(true);
          expect(d.score).toBeGreaterThanOrEqual(85);
          expect(d.servedAs.map((s) => s.mode)).toEqual(['own-origin', 'sandboxed']);
          expect(d.errors).toEqual([]);
          // The design's keypoints, played by the judge as the rubric: every one verified, with what was seen, and
          // most hold (open defects: runner `jump` and breakout `launch`, test/browser/keypoints.test.ts UNSETTLED).
          expect(d.rubric.length).toBeGreaterThanOrEqual(3);
          expect(d.rubric.filter((k) => k.passed === null || !k.evidence.includes('→'))).toEqual([]);
          expect(d.rubric.filter((k) => k.passed).length).toBeGreaterThanOrEqual(d.rubric.length - 1);
        } finally {
          await served.close();
          await g.cleanup();
        }
      });
  });
}
