// The per-kit browser checks, shared by the kit test files. Each file launches
// one Chromium and runs its kits one after another in it.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Genre } from '../../lib/artifacts.ts';
import { generateGame, type Generated } from '../../support/generate-game.ts';
import {
  canvasHash,
  chromiumAvailable,
  game,
  launchChromium,
  openGame,
  paintedPixels,
  serveDist,
  type OpenedGame,
  type StaticServer,
} from './harness.ts';
import { SCRIPTS, type Clicker } from './scripts.ts';

const IDEAS: Record<Genre, string> = {
  'arena-shooter': 'robots blast alien slimes in an orbital arena',
  breakout: 'smash the candy bricks with a bouncing gumball',
  runner: 'a ninja courier runs and jumps over rooftops',
  'tower-defense': 'build towers to defend the castle from goblins',
  snake: 'a hungry snake slithers after glowing apples',
  idle: 'an idle bee colony harvests honey and fends off wasps',
};

export function describeKits(genres: Genre[]): void {
  const enabled = chromiumAvailable();
  let browser: Browser;
  beforeAll(async () => {
    if (enabled) browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  for (const genre of genres) describeKit(genre, () => browser, enabled);
}

function describeKit(genre: Genre, getBrowser: () => Browser, enabled: boolean): void {
  describe.skipIf(!enabled)(`${genre} kit in Chromium`, () => {
    const script = SCRIPTS[genre];
    let built: Generated;
    let server: StaticServer;
    let opened: OpenedGame;
    let page: Page;
    let click: Clicker;

    beforeAll(async () => {
      built = await generateGame({ idea: IDEAS[genre], seed: 42 });
      server = await serveDist(path.join(built.dir, 'dist'));
      opened = await openGame(getBrowser(), server.url);
      page = opened.page;
      const box = (await page.locator('canvas').boundingBox())!;
      click = async (x, y, opts) => {
        const px = box.x + (x / 960) * box.width;
        const py = box.y + (y / 540) * box.height;
        if (opts?.move) await page.mouse.move(px, py);
        else await page.mouse.click(px, py);
      };
    });
    afterAll(async () => {
      await opened?.close();
      await server?.close();
      await built?.cleanup();
    });

    /**
     * Plays `beat` until `done` holds or `ms` pass; returns the last state.
     * Purposeful play restarts after an ending, as a player would: currency and
     * upgrades carry over between runs (the incremental layer).
     */
    const playUntil = async (
      beat: 'play' | 'giveUp',
      done: (s: Awaited<ReturnType<typeof game>>) => boolean,
      ms: number,
    ) => {
      const end = Date.now() + ms;
      let s = await game(page);
      while (!done(s) && Date.now() < end) {
        if (beat === 'play' && (s.state === 'lost' || s.state === 'won')) await page.keyboard.press('KeyR');
        else await script[beat](page, click, s.kit);
        s = await game(page);
      }
      return s;
    };

    it('boots on the title card with a real picture and the right kit', async () => {
      const s = await game(page);
      expect(s.state).toBe('title');
      expect(await page.evaluate(() => (window as any).__game.info.kit)).toBe(genre);
      expect(await paintedPixels(page)).toBeGreaterThan(5000);
      expect(await page.locator('.gpg-overlay h1').textContent()).toBe(
        await page.evaluate(() => (window as any).__game.info.title),
      );
      expect(opened.errors).toEqual([]);
    });

    it("responds to the kit's controls: the picture and the state change", async () => {
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (window as any).__game.state === 'playing');
      await page.waitForTimeout(200);
      const before = await game(page);
      const hash = await canvasHash(page);
      await script.control(page, click);
      await page.waitForTimeout(150);
      const after = await game(page);
      expect(script.responded(before.kit, after.kit), JSON.stringify({ before: before.kit, after: after.kit })).toBe(
        true,
      );
      expect(await canvasHash(page)).not.toBe(hash);
      expect(after.frames).toBeGreaterThan(before.frames);
    });

    it('moves score and currency within 20 s of scripted play', async () => {
      const start = await game(page);
      const s = await playUntil('play', (x) => x.score > start.score && x.currency > start.currency, 20_000);
      expect(s.score).toBeGreaterThan(start.score);
      expect(s.currency).toBeGreaterThan(start.currency);
    });

    it('buys an upgrade with currency earned in play', async () => {
      await page.evaluate(() => ((window as any).__game.speed = 4));
      const affordable = (x: Awaited<ReturnType<typeof game>>) =>
        x.upgrades.some((u) => u.unlocked && !u.maxed && u.cost <= x.currency);
      const s = await playUntil('play', affordable, 40_000);
      const index = s.upgrades.findIndex((u) => u.unlocked && !u.maxed && u.cost <= s.currency);
      expect(index, 'an affordable upgrade').toBeGreaterThanOrEqual(0);
      const target = s.upgrades[index]!;
      const bought = await page.evaluate((n) => {
        const g = (window as any).__game;
        return { currency: g.currency as number, level: g.upgrades[n].level as number };
      }, index);
      await page.keyboard.press(`Digit${index + 1}`);
      const after = await game(page);
      expect(after.upgrades[index]!.level).toBe(bought.level + 1);
      // Play may earn a little in between, but the price must have been paid.
      expect(after.currency).toBeLessThan(bought.currency - target.cost + target.cost * 0.9);
      await expect
        .poll(() => page.locator(`button[data-upgrade="${target.id}"] .gpg-level`).textContent())
        .toBe(`Lv ${bought.level + 1}`);
    });

    it('ends in a loss or a win, then restarts', async () => {
      await page.evaluate(() => ((window as any).__game.speed = 8));
      const s = await playUntil('giveUp', (x) => x.state === 'lost' || x.state === 'won', 45_000);
      expect(['lost', 'won']).toContain(s.state);
      await expect.poll(() => page.locator('.gpg-overlay').isVisible()).toBe(true);
      await page.keyboard.press('KeyR');
      const again = await game(page);
      expect(again.state).toBe('playing');
      expect(again.score).toBeLessThan(Math.max(1, s.score));
      await page.evaluate(() => ((window as any).__game.speed = 1));
    });

    it('logged no errors and made no request off its own origin', () => {
      expect(opened.errors).toEqual([]);
      expect(opened.foreign).toEqual([]);
    });
  });
}
