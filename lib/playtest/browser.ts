// Who owns the play-tester's Chromium. The in-process runner (bin/server.ts)
// shares one browser per process: launched on first use, one context per
// play-test, closed by the service's close(). The graphile-worker CLI loads
// tasks/ with no shutdown hook a task could use, so there each play-test
// launches and closes its own browser (a second or so, and the process can exit).
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { childEnv } from '../child-env.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** How every Chromium of ours is launched (the play-tester's, the tests' and the benches'). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--mute-audio',
];

export interface BrowserProvider {
  /** Runs `fn` with a browser, or with null when Chromium is not installed. */
  use<T>(fn: (browser: Browser | null) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function launch(executablePath: string): Promise<Browser | null> {
  if (!existsSync(executablePath)) return null;
  // Imported here so processes that never play-test don't load playwright.
  const { chromium } = await import('playwright-core');
  // An environment from scratch: the browser runs untrusted games and must not hold our secrets.
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, env: childEnv() });
}

/** One browser for the whole process, relaunched if it crashed. */
export function sharedBrowser(executablePath = CHROMIUM_PATH): BrowserProvider {
  let launching: Promise<Browser | null> | null = null;
  let closed = false;
  const get = () => {
    launching ??= launch(executablePath).then(
      (b) => {
        b?.on('disconnected', () => {
          launching = null;
        });
        return b;
      },
      (e) => {
        launching = null; // a failed launch is retried by the next play-test
        throw e;
      },
    );
    return launching;
  };
  return {
    async use(fn) {
      if (closed) throw new Error('the play-test browser is closed (the service is stopping)');
      return fn(await get());
    },
    async close() {
      closed = true;
      const b = await launching?.catch(() => null);
      launching = null;
      await b?.close().catch(() => {});
    },
  };
}

/** A browser per use, closed afterwards. */
export function oneShotBrowser(executablePath = CHROMIUM_PATH): BrowserProvider {
  return {
    async use(fn) {
      const browser = await launch(executablePath);
      try {
        return await fn(browser);
      } finally {
        await browser?.close().catch(() => {});
      }
    },
    async close() {},
  };
}
