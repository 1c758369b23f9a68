// Issue 2's promise end to end: an idea posted to the running service becomes a
// game at http://gamedemoN.localhost:PORT/ that draws on its canvas and responds
// to input in real Chromium, with no console errors and no network requests.
import { expect } from 'vitest';
import { itWithBrowser, useServiceAndBrowser } from './service-browser.ts';

const ctx = useServiceAndBrowser();

itWithBrowser('plays the deployed game in Chromium', async () => {
  const { h, browser } = ctx;
  const res = await h.api('/api/generate', {
    method: 'POST',
    body: JSON.stringify({ idea: 'a lighthouse keeper fighting sea monsters' }),
  });
  const job = await h.waitForJob(((await res.json()) as { jobIds: number[] }).jobIds[0]!);
  expect(job.status).toBe('deployed');
  const origin = new URL(job.url!).origin;

  const page = await browser.newPage();
  const problems: string[] = [];
  const foreignRequests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  page.on(
    'request',
    (r) => !r.url().startsWith(origin) && !r.url().startsWith('data:') && foreignRequests.push(r.url()),
  );

  await page.goto(job.url!);
  await page.waitForFunction(() => ((window as unknown as { __game?: { frames: number } }).__game?.frames ?? 0) > 2);
  const painted = await page.evaluate(() => {
    const canvas = document.querySelector('canvas')!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
  expect(painted).toBeGreaterThan(3); // more than a flat background

  const before = await page.locator('canvas').screenshot();
  const box = (await page.locator('canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2); // pointer input; also the gesture that unmutes audio
  await page.keyboard.press('Enter');
  await page.evaluate(() => (window as unknown as { __game: { start(): void } }).__game.start());
  for (const key of ['ArrowLeft', 'ArrowUp', 'Space', 'ArrowRight', 'KeyD', 'KeyW']) {
    await page.keyboard.down(key);
    await page.waitForTimeout(150);
    await page.keyboard.up(key);
  }
  const state = await page.evaluate(
    () => (window as unknown as { __game: { state: string; frames: number } }).__game.state,
  );
  expect(['playing', 'paused', 'won', 'lost']).toContain(state);
  const after = await page.locator('canvas').screenshot();
  expect(Buffer.compare(before, after)).not.toBe(0);

  expect(problems).toEqual([]);
  expect(foreignRequests).toEqual([]);
  await page.close();
});

itWithBrowser("the pause screen links to the game's How to play page, through its slot", async () => {
  const { h, browser } = ctx;
  const res = await h.api('/api/generate', {
    method: 'POST',
    body: JSON.stringify({ idea: 'a beekeeper defending the hive from wasps' }),
  });
  const job = await h.waitForJob(((await res.json()) as { jobIds: number[] }).jobIds[0]!);
  expect(job.status).toBe('deployed');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(job.url!);
  await page.waitForFunction(() => ((window as unknown as { __game?: { frames: number } }).__game?.frames ?? 0) > 2);
  await page.evaluate(() => (window as unknown as { __game: { start(): void } }).__game.start());
  await page.keyboard.press('KeyP');
  const link = page.locator('.gpg-overlay a.gpg-link', { hasText: 'How to play' });
  await link.waitFor();
  expect(await link.getAttribute('href')).toBe(`http://localhost:${h.service.port}/slots/${job.slot}/how-to-play`);
  const [howto] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await howto.locator('#title', { hasText: /^How to play / }).waitFor();
  expect(new URL(howto.url()).pathname).toBe(`/jobs/${job.id}/how-to-play`);
  expect(await howto.locator('#title').textContent()).toBe(`How to play ${job.title}`);
  await context.close();

  // A slot with no game answers with a reason, not a broken page.
  const { rows } = await h.service.db.query('select slot from gamepocgen.slots where job_id is null limit 1');
  const empty = await h.api(`/slots/${rows[0].slot}/how-to-play`, { redirect: 'manual' });
  expect(empty.status).toBe(404);
  expect(((await empty.json()) as { error: { code: string } }).error.code).toBe('slot_empty');
});
