// The job page and the archive in real Chromium: the design renders from its
// markdown with hostile text kept as text; feedback sent from the page brings
// a new version live that the slot then serves; and with 10 slots, 12 games
// are all playable (10 on slots, 2 from the archive).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { openGame } from './harness.ts';
import { SHOTS, itWithBrowser, useServiceAndBrowser } from './service-browser.ts';

const AGENT_MODULE = path.join(import.meta.dirname, '..', 'fixtures', 'agents', 'studio-agent.ts');

describe('job page', () => {
  const ctx = useServiceAndBrowser({ AGENT_MODULE });

  itWithBrowser(
    'renders the design safely, and feedback sent from it arrives as a new version live',
    async () => {
      const { h, browser } = ctx;
      await mkdir(SHOTS, { recursive: true });
      const idea = 'a *lighthouse* keeper <script>window.__pwned=1</script> <img src=x onerror=alert(1)>';
      const res = await h.api('/api/generate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idea, seed: 3 }),
      });
      const id = ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
      const job = await h.waitForJob(id);
      expect(job.status).toBe('deployed');

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const dialogs: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.accept();
      });
      await page.goto(`${h.service.url}/jobs/${id}`);
      const design = page.locator('[data-doc="design"] .markdown');
      await design.waitFor();
      expect(await design.locator('h3, h4, h5').count()).toBeGreaterThan(0); // headings rendered as elements
      const ideaDoc = page.locator('[data-doc="idea"] .markdown');
      // The idea's markup is shown as text, never parsed.
      expect(await page.locator('#idea').textContent()).toContain('<script>window.__pwned=1</script>');
      expect(await page.locator('#job script, #job img[src="x"]').count()).toBe(0);
      expect(await ideaDoc.textContent()).toContain('lighthouse');
      expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
      await page.locator('#timeline li').nth(3).waitFor(); // four phases with their durations
      await page.locator('#log', { hasText: 'deployed to slot' }).waitFor();

      // Feedback from the page: the change is made, kept, and arrives without a reload.
      await page.fill('#feedback', 'please rename to "Harbour Light"');
      await page.click('#feedback-form button[type=submit]');
      await page.locator('#feedback-history li', { hasText: 'kept' }).waitFor({ timeout: 60_000 });
      await page.locator('#versions li', { hasText: 'before-feedback-' }).waitFor();
      const slot = await h.fetchSlot(job.slot!);
      expect(slot.body).toContain('<title>Harbour Light</title>');
      const game = await openGame(browser, job.url!); // and the new version plays
      expect(game.errors).toEqual([]);
      await game.close();

      await page.screenshot({ path: path.join(SHOTS, 'job-desktop.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: path.join(SHOTS, 'job-phone.png'), fullPage: true });
      expect(dialogs).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    },
    120_000,
  );
});

describe('auth in the UI', () => {
  const TOKEN = 'studio-test-token-0123456789';
  const ctx = useServiceAndBrowser({ API_TOKEN: TOKEN });

  itWithBrowser('a refused action says why and how to enter a token; with the token it is done', async () => {
    const { h, browser } = ctx;
    const res = await h.api('/api/generate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ idea: 'a snail racing league', seed: 9 }),
    });
    const id = ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
    await h.waitForJob(id);
    const page = await browser.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${h.service.url}/jobs/${id}#token=wrong-token`); // a login URL with a stale token
    await page.locator('#delete').click();
    await page.locator('#message', { hasText: /Delete refused: .*enter the API token/ }).waitFor();
    expect((await h.waitForJob(id)).status).toBe('deployed');
    // Entered once in the token box, the token is used for the action.
    await page.locator('.token-box summary').click();
    await page.fill('#token', TOKEN);
    await page.locator('.token-form button[type=submit]').click();
    await page.locator('#delete').click();
    await page.locator('#message', { hasText: 'Delete: done' }).waitFor();
    expect((await h.waitForJob(id, ['removed'])).status).toBe('removed');
    await page.close();
  });
});

describe('every game stays playable', () => {
  const ctx = useServiceAndBrowser({ SLOTS: '10', MAX_CONCURRENT: '4' });

  itWithBrowser(
    '12 games with 10 slots: 10 play on their slots and 2 from the archive',
    async () => {
      const { h, browser } = ctx;
      const start = async (count: number, seed: number) => {
        const res = await h.api('/api/generate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ count, seed }),
        });
        return ((await res.json()) as { jobIds: number[] }).jobIds;
      };
      const ids = [...(await start(6, 100)), ...(await start(6, 200))];
      for (const id of ids) await h.waitForJob(id, ['deployed', 'recycled', 'failed'], 180_000);
      const { jobs } = (await (await h.api('/api/jobs?limit=50')).json()) as { jobs: any[] };
      const ours = jobs.filter((j) => ids.includes(j.id));
      expect(ours.filter((j) => j.status === 'deployed')).toHaveLength(10);
      const archived = ours.filter((j) => j.status === 'recycled');
      expect(archived).toHaveLength(2);
      for (const j of ours) {
        const url = j.status === 'deployed' ? j.url : j.archiveUrl;
        expect(url).toMatch(j.status === 'deployed' ? /gamedemo\d\.localhost/ : new RegExp(`game-${j.id}\\.localhost`));
        const game = await openGame(browser, url); // boots and runs frames
        expect(game.errors).toEqual([]);
        expect(game.foreign).toEqual([]);
        await game.close();
      }
      // The sandboxed archive path plays too, and "put on a slot" brings an archived game back to a slot.
      const back = archived[0];
      const put = await h.api(`/api/jobs/${back.id}/deploy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      expect(put.status).toBe(202);
      const redeployed = await h.waitForJob(back.id, ['deployed'], 60_000);
      expect(redeployed.url).toMatch(/gamedemo\d\.localhost/);
    },
    300_000,
  );
});
