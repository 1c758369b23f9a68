// The gallery's first screen in Chromium: from navigation start until both the
// newest game and the newest job are on the page (a MutationObserver notes the
// moment, so no polling interval is added to the figure).
import { launchChromium } from '../support/browser.ts';
import { percentile } from './stats.ts';

export async function galleryFirstScreen(
  url: string,
  markers: string[],
  loads = 5,
): Promise<{ medianMs: number; samples: number[] }> {
  const browser = await launchChromium();
  try {
    const samples: number[] = [];
    for (let i = 0; i <= loads; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript((wanted: string[]) => {
        const w = window as unknown as { __firstScreen?: number };
        const check = () => {
          const text = document.body?.textContent ?? '';
          if (w.__firstScreen === undefined && wanted.every((m) => text.includes(m)))
            w.__firstScreen = performance.now();
        };
        new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
      }, markers);
      await page.goto(url);
      const ms = (await (
        await page.waitForFunction(() => (window as unknown as { __firstScreen?: number }).__firstScreen, null, {
          timeout: 30_000,
        })
      ).jsonValue()) as number;
      if (i > 0) samples.push(ms); // the first load warms the server and the browser
      await context.close();
    }
    return { medianMs: percentile(samples, 50), samples };
  } finally {
    await browser.close();
  }
}
