// Hostile ideas in a real browser, served with the sandboxed CSP (opaque origin,
// so localStorage throws): the game still works and the idea shows only as text.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateGame } from '../../support/generate-game.ts';
import { HOSTILE_IDEAS } from '../builtin/hostile-ideas.ts';
import { chromiumAvailable, game, launchChromium, openGame, paintedPixels, serveDist } from './harness.ts';

const enabled = chromiumAvailable();

describe.skipIf(!enabled)('hostile ideas in Chromium (sandboxed CSP)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it.each(Object.entries(HOSTILE_IDEAS))(
    '%s: plays, shows the idea as text, runs no injected code',
    async (_name, idea) => {
      const built = await generateGame({ idea, seed: 5 });
      const server = await serveDist(path.join(built.dir, 'dist'), { sandbox: true });
      const opened = await openGame(browser, server.url);
      const dialogs: string[] = [];
      opened.page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      try {
        const { page } = opened;
        const shown = await page.evaluate(() => ({
          overlay: document.querySelector('.gpg-overlay')!.textContent!,
          scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
          images: document.querySelectorAll('img').length,
          storage: (() => {
            try {
              return typeof localStorage.length;
            } catch {
              return 'blocked';
            }
          })(),
        }));
        expect(shown.storage).toBe('blocked'); // the sandbox really is in force
        expect(shown.scripts).toEqual(['config.js', 'game.js']); // nothing injected
        expect(shown.images).toBe(0);
        // The first ~40 characters of the idea appear verbatim as text on the title card.
        expect(shown.overlay).toContain([...idea].slice(0, 40).join('').trim());
        expect(await paintedPixels(page)).toBeGreaterThan(5000);
        await page.keyboard.press('Enter');
        await page.evaluate(() => ((window as any).__game.speed = 4));
        await page.waitForTimeout(1500);
        const s = await game(page);
        expect(s.state === 'playing' || s.state === 'lost' || s.state === 'won').toBe(true);
        expect(s.frames).toBeGreaterThan(30);
        await page.keyboard.press('KeyR');
        expect((await game(page)).state).toBe('playing');
        expect(dialogs).toEqual([]);
        expect(opened.errors).toEqual([]);
        expect(opened.foreign).toEqual([]);
      } finally {
        await opened.close();
        await server.close();
        await built.cleanup();
      }
    },
  );
});
