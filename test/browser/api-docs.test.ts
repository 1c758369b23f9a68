// /docs in real Chromium: the self-hosted Swagger UI renders every operation of
// /openapi.json, no request leaves 127.0.0.1, and the app's own CSP (the same as
// the gallery's, no exception for this route) raises no violation. The control
// serves the page under a policy without its style sheet and sees the violation.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createDbFreeApp } from '../helpers/db-free-app.ts';
import { chromiumAvailable, launchChromium } from './harness.ts';
import { itWithBrowser } from './service-browser.ts';

const app = createDbFreeApp();

let server: ReturnType<typeof serve>;
let origin: string;
let browser: Browser;
beforeAll(async () => {
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (chromiumAvailable()) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

/** Opens /docs (optionally with another CSP), recording requests, console errors and CSP violations. */
async function openDocs(csp?: string) {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  if (csp)
    await page.route(`${origin}/docs`, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, headers: { ...res.headers(), 'content-security-policy': csp } });
    });
  const res = await page.goto(`${origin}/docs`);
  return { context, page, res, requests, errors };
}

itWithBrowser('renders every operation of /openapi.json offline, with no CSP violation', async () => {
  const doc = (await (await fetch(`${origin}/openapi.json`)).json()) as { paths: Record<string, object> };
  const expected = Object.entries(doc.paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
  expect(expected.length).toBeGreaterThan(20);

  const { context, page, res, requests, errors } = await openDocs();
  const appCsp = (await fetch(`${origin}/`)).headers.get('content-security-policy');
  expect(appCsp).toMatch(/script-src 'self';.*style-src 'self';/);
  expect(res?.headers()['content-security-policy']).toBe(appCsp);
  await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, expected.length, {
    timeout: 30_000,
  });
  const rendered = await page.$$eval('.opblock', (blocks) =>
    blocks.map(
      (b) =>
        `${b.querySelector('.opblock-summary-method')?.textContent} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
    ),
  );
  expect(rendered.sort()).toEqual(expected);
  // Expanding an operation shows an example request body built from the zod schema.
  await page.click('#operations-default-post_api_generate .opblock-summary-control');
  const body = page.locator('#operations-default-post_api_generate .opblock-section-request-body');
  await expect.poll(() => body.textContent(), { timeout: 15_000 }).toMatch(/"idea":.*"count":/s);

  const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));
  expect(foreign).toEqual([]);
  expect(requests).toContain(`${origin}/openapi.json`);
  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

itWithBrowser('the control: a policy the page breaks raises violations the first test would see', async () => {
  const appCsp = (await fetch(`${origin}/docs`)).headers.get('content-security-policy')!;
  const strict = appCsp.replace("style-src 'self'", "style-src 'none'");
  expect(strict).not.toBe(appCsp);
  const { context, page } = await openDocs(strict);
  await page.waitForFunction(() => document.querySelectorAll('.opblock').length > 0, null, { timeout: 30_000 });
  await expect.poll(() => page.evaluate(() => (window as any).__violations.length)).toBeGreaterThan(0);
  await context.close();
});
