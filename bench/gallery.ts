// Gallery benchmarks on the real service (API only, no task runner) in real
// Chromium: the first screen with 1 000 jobs in the database, and how long a
// phase change takes from its commit to the open gallery's card.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startService } from '../bin/server.ts';
import { loadConfig } from '../lib/config.ts';
import { withTransaction } from '../lib/db.ts';
import { addEvent } from '../lib/events.ts';
import { generateGames } from '../lib/generate.ts';
import { markDeployed, markJobRunning } from '../lib/jobs/lifecycle.ts';
import { percentile } from './stats.ts';

export async function measureGallery(databaseUrl: string, jobs = 1000, changes = 60) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-bench-gallery-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
  const service = await startService(config, { databaseUrl, tasks: false });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
  try {
    // 1 000 jobs: most deployed, the newest one in progress (its card has the progress bar). No runner
    // runs here, so their queued first phases just wait.
    const log = (m: string) => process.env.BENCH_DEBUG && console.error(`[gallery] ${m}`);
    log('service up');
    const ids: number[] = [];
    for (let made = 0; made < jobs; made += 10)
      ids.push(...(await generateGames(service.db, { count: 10, idea: 'bench game' })));
    for (const id of ids.slice(0, -1))
      await markDeployed(service.db, id, id % 10, `http://gamedemo${id % 10}.localhost/`);
    const live = ids.at(-1)!;
    await markJobRunning(service.db, live, 1, 'builtin');

    log('jobs made');
    const firstScreen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage();
      // Measured in the page from its navigation start (not counting the browser opening a tab).
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (!document.querySelector('#grid .card')) return;
          (window as any).__firstCardMs = performance.now();
          observer.disconnect();
        }).observe(document, { subtree: true, childList: true });
      });
      await page.goto(`${service.url}/`);
      await page.locator('#grid .card').first().waitFor();
      firstScreen.push(await page.evaluate(() => (window as any).__firstCardMs as number));
      await page.close();
    }

    log(`first screen ${firstScreen.map(Math.round).join(', ')} ms`);
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await page.locator('#live.on').waitFor();
    log('live');
    const card = page.locator(`.card[data-job="${live}"]`);
    await card.waitFor();
    const latency: number[] = [];
    for (let i = 0; i < changes; i++) {
      const phase = (i % 4) + 1;
      const start = i % 2 === 0;
      const name = ['idea', 'design', 'plan', 'build'][phase - 1]!;
      const expected = start ? 'active' : 'done';
      // The page notes (wall clock) when the card shows the change; we note when the event committed.
      // Installed before the commit (evaluate returns once it is), awaited after.
      await page.evaluate(
        ([id, step, state]) => {
          (window as any).__seen = new Promise<number>((resolve) => {
            const observer = new MutationObserver(() => {
              const li = [...document.querySelectorAll(`.card[data-job="${id}"] .step`)].find(
                (n) => n.textContent === step,
              );
              if (li?.classList.contains(state!)) {
                observer.disconnect();
                resolve(performance.timeOrigin + performance.now());
              }
            });
            observer.observe(document.getElementById('grid')!, { subtree: true, childList: true, attributes: true });
          });
        },
        [String(live), name, expected] as const,
      );
      await withTransaction(service.db, (tx) =>
        addEvent(tx, {
          jobId: live,
          kind: start ? 'phase_start' : 'phase_end',
          phase,
          message: 'bench',
          data: start ? null : { status: 'completed' },
        }),
      );
      const committed = performance.timeOrigin + performance.now();
      latency.push((await page.evaluate(() => (window as any).__seen as Promise<number>)) - committed);
    }
    await page.close();
    return {
      firstScreenMs: percentile(firstScreen, 50),
      phaseChange: { p50: percentile(latency, 50), p99: percentile(latency, 99), n: latency.length },
    };
  } finally {
    await browser.close();
    await service.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
