// The gallery's card actions in real Chromium, clicked as a person would: Cancel
// on a running job's card (confirmed) updates the card live and the job's worker
// process is gone; Retry on a failed job's card runs it again from the phase
// that failed, and the card follows it live to deployed.
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { workerPids } from '../helpers/worker-pids.ts';
import { SHOTS, itWithBrowser, useServiceAndBrowser } from './service-browser.ts';

const AGENT_MODULE = path.join(import.meta.dirname, '..', 'fixtures', 'agents', 'studio-agent.ts');
const ctx = useServiceAndBrowser({ AGENT_MODULE });

async function generate(idea: string): Promise<number> {
  const res = await ctx.h.api('/api/generate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idea, seed: 5 }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
}

async function openGallery(): Promise<{ page: Page; problems: string[]; dialogs: string[] }> {
  const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 860 } });
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.accept();
  });
  await page.goto(`${ctx.h.service.url}/`);
  await page.locator('#live.on').waitFor(); // the event stream is connected
  return { page, problems, dialogs };
}

/** Resolves once `pred` holds (a process exits some time after the commit that asked it to, so it is re-checked). */
async function until(id: number, pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  for (const deadline = Date.now() + timeoutMs; !(await pred()); ) {
    if (Date.now() > deadline) throw new Error(`job ${id}: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

itWithBrowser(
  "Cancel on a running job's card stops it: the card says cancelled and its worker process is gone",
  async () => {
    const { h } = ctx;
    const id = await generate('a sleepy lighthouse [sleep]');
    const { page, problems, dialogs } = await openGallery();
    const card = page.locator(`.card[data-job="${id}"]`);
    await card.locator('.step.active', { hasText: 'design' }).waitFor({ timeout: 60_000 }); // phase 2 sleeps
    await until(id, () => workerPids(h.dataDir, id).length > 0, 'a worker process');

    await card.locator('button.cancel').click();
    await card.locator('.status', { hasText: 'cancelled' }).waitFor(); // live, no reload
    expect(await card.locator('button.cancel').count()).toBe(0);
    await card.locator('button.retry').waitFor(); // a cancelled job can be retried
    expect(dialogs).toEqual([`Stop job ${id}? Work in progress is lost.`]);
    expect(await page.locator('#message').textContent()).toBe(`job ${id} cancelled`);
    await until(id, () => workerPids(h.dataDir, id).length === 0, 'the worker exiting');
    expect((await h.waitForJob(id, ['cancelled'])).status).toBe('cancelled');
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'gallery-cancelled.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  },
  120_000,
);

itWithBrowser(
  "Retry on a failed job's card runs it again from the failed phase, and the card follows it to deployed",
  async () => {
    const { h } = ctx;
    const marker = path.join(await mkdtemp(path.join(os.tmpdir(), 'gpg-gallery-retry-')), 'failed-once');
    const id = await generate(`a stubborn snail [fail-once:${marker}]`);
    expect((await h.waitForJob(id, ['failed', 'deployed'])).status).toBe('failed');
    const { page, problems } = await openGallery();
    const card = page.locator(`.card[data-job="${id}"]`);
    await card.locator('.status', { hasText: 'failed' }).waitFor();
    await card.locator('.step.failed', { hasText: 'design' }).waitFor();

    await card.locator('button.retry').click();
    await page.locator('#message', { hasText: `job ${id} runs again from phase 2` }).waitFor();
    await card.locator('.status', { hasText: 'deployed' }).waitFor({ timeout: 60_000 }); // live, no reload
    expect(await card.locator('button.retry').count()).toBe(0);
    await card.locator('a.button', { hasText: 'Play' }).waitFor();
    const runs = (
      await h.service.db.query('select phase, status from gamepocgen.phase_runs where job_id = $1 order by id', [id])
    ).rows;
    expect(runs.filter((r) => r.phase === 1)).toHaveLength(1); // phase 1 was reused, not run again
    expect(runs.filter((r) => r.phase === 2).map((r) => r.status)).toEqual(['failed', 'completed']);
    expect(problems).toEqual([]);
    await page.close();
  },
  120_000,
);
