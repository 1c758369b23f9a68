// The gallery at /: lists games with play links and jobs with their phase, and
// a game started from its form appears and reaches `deployed` live (SSE), with
// no console errors.
import { expect } from 'vitest';
import { itWithBrowser, useServiceAndBrowser } from './service-browser.ts';

const ctx = useServiceAndBrowser();

itWithBrowser('lists games and jobs, and shows a new game arriving live', async () => {
  const { h, browser } = ctx;
  const res = await h.api('/api/generate', {
    method: 'POST',
    body: JSON.stringify({ idea: 'a lighthouse keeper fighting sea monsters', seed: 11 }),
  });
  const first = await h.waitForJob(((await res.json()) as { jobIds: number[] }).jobIds[0]!);

  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${h.service.url}/`);

  const card = page.locator('#games li a', { hasText: first.title! });
  await card.waitFor();
  expect(await card.getAttribute('href')).toBe(first.url);
  await page.locator('#jobs tr', { hasText: first.title! }).locator('text=deployed').waitFor();
  await page.locator('#live.on').waitFor(); // the event stream is connected

  await page.fill('#idea', 'a snail racing league on a rainy windowsill');
  await page.click('button[type=submit]');
  await page.locator('#message', { hasText: /started job\(s\) \d+/ }).waitFor();
  const newId = Number(/(\d+)/.exec((await page.locator('#message').textContent())!)![1]);
  // No reload: the row appears and reaches deployed from the SSE stream alone.
  const row = page.locator('#jobs tr', { has: page.locator(`td:first-child:text-is("${newId}")`) });
  await row.locator('text=deployed').waitFor({ timeout: 30_000 });
  expect(await row.locator('a', { hasText: 'play' }).getAttribute('href')).toMatch(
    /^http:\/\/gamedemo\d\.localhost:\d+\/$/,
  );
  expect(problems).toEqual([]);
  await page.close();
});
