// The gallery's play-test mark: passed/failed beside the score, a failed game's
// reasons in the card's tooltip as text (never markup), "repairing" while the
// repair loop runs. The summaries are written to the job rows directly, so the
// card is checked against each shape without waiting for real play-tests.
import { expect } from 'vitest';
import { itWithBrowser, useServiceAndBrowser } from './service-browser.ts';

const ctx = useServiceAndBrowser();

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

itWithBrowser('marks each game passed or failed beside its score, with the reasons as text', async () => {
  const { h, browser } = ctx;
  const ids = await Promise.all(
    ['a snail racing league', 'a moth orchestra', 'a tide pool detective'].map(async (idea) => {
      const res = await h.api('/api/generate', { method: 'POST', body: JSON.stringify({ idea, seed: 3 }) });
      return (await h.waitForJob(((await res.json()) as { jobIds: number[] }).jobIds[0]!)).id;
    }),
  );
  const base = { at: new Date().toISOString(), failed: [], goodEnough: false };
  const summaries = [
    { ...base, round: 2, score: 95, passed: true, goodEnough: true, loop: 'good-enough', reasons: [] },
    { ...base, round: 1, score: 35, passed: false, loop: 'plateau', reasons: [`the canvas is blank ${HOSTILE}`] },
    { ...base, round: 1, score: 40, passed: false, loop: 'repairing', reasons: ['no console errors'] },
  ].map((s, i) => ({ ...s, rounds: [{ round: s.round, score: s.score, passed: s.passed, outcome: 'kept' }], i }));
  for (const s of summaries)
    await h.service.db.query('update gamepocgen.jobs set playtest = $2, playtest_score = $3 where id = $1', [
      ids[s.i],
      JSON.stringify(s),
      s.score,
    ]);

  const page = await browser.newPage();
  await page.goto(`${h.service.url}/`);
  const card = async (id: number) => {
    const li = page.locator(`.card[data-job="${id}"]`);
    await li.waitFor();
    return li;
  };
  const passed = await card(ids[0]!);
  expect(await passed.locator('.playtest').textContent()).toBe('✓ passed 95/100');
  const failed = await card(ids[1]!);
  expect(await failed.locator('.playtest').textContent()).toBe('✗ failed 35/100');
  expect(await failed.locator('.playtest').getAttribute('title')).toBe(`the canvas is blank ${HOSTILE}`);
  expect(await failed.locator('img:not(.thumb)').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  const repairing = await card(ids[2]!);
  expect(await repairing.locator('.playtest').textContent()).toBe('✗ failed 40/100');
  expect(await repairing.locator('.repairing').textContent()).toBe('repairing after round 1');
  await page.close();
});
