// For suites that play the real service's games in Chromium: a harness and a
// browser per file, opened in beforeAll and closed in afterAll.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { chromiumAvailable, launchChromium } from './harness.ts';

/** Where browser suites keep their screenshots (gitignored test artifacts). */
export const SHOTS = path.join(import.meta.dirname, '..', '..', 'test-results', 'studio');

/** `it`, or `it.skip` when Chromium is missing outside CI (in CI chromiumAvailable throws). */
export const itWithBrowser = chromiumAvailable() ? it : it.skip;

export function useServiceAndBrowser(env: Record<string, string> = {}): {
  readonly h: Harness;
  readonly browser: Browser;
} {
  const ctx = {} as { h: Harness; browser: Browser };
  beforeAll(async () => {
    ctx.h = await createHarness(env);
    if (chromiumAvailable()) ctx.browser = await launchChromium();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.h?.close();
  });
  return ctx;
}
