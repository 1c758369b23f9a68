// The agent/provider picker: GET /api/providers lists the providers the operator
// configured (names and models, never keys); the gallery's form shows a picker
// only when there are several, and a game made with a choice runs on it
// (`provider` on its job row). With the builtin agent there is nothing to pick.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Browser } from 'playwright-core';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { chromiumAvailable, launchChromium } from './harness.ts';
import { itWithBrowser } from './service-browser.ts';

const ZAI_KEY = 'zai-key-do-not-show-0123456789';
const ANTHROPIC_KEY = 'sk-ant-do-not-show-0123456789';

/** A service with no task runner: the games made here stay queued (their agent would need the network). */
function useService(env: Record<string, string>) {
  const ctx = {} as { h: Harness; browser: Browser };
  beforeAll(async () => {
    ctx.h = await createHarness(env, { tasks: false });
    if (chromiumAvailable()) ctx.browser = await launchChromium();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.h?.close();
  });
  return ctx;
}

const generate = (h: Harness, body: unknown) =>
  h.api('/api/generate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('two providers configured', () => {
  const ctx = useService({ AGENT: 'claude', ZAI_API_KEY: ZAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY });

  itWithBrowser('lists both, and the form offers them; a game made with one runs on it', async () => {
    const { h, browser } = ctx;
    const res = await h.api('/api/providers');
    const text = await res.text();
    expect(text).not.toContain(ZAI_KEY);
    expect(text).not.toContain(ANTHROPIC_KEY);
    expect(JSON.parse(text)).toEqual({
      agent: 'claude',
      providers: [
        { spec: 'zai:glm-4.6', provider: 'zai', model: 'glm-4.6' },
        { spec: 'anthropic:claude-sonnet-4-5', provider: 'anthropic', model: 'claude-sonnet-4-5' },
      ],
    });

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(`${h.service.url}/`);
    const picker = page.locator('#provider');
    await picker.waitFor(); // visible: hidden elements do not count
    expect(await picker.locator('option').allTextContents()).toEqual([
      'default',
      'zai · glm-4.6',
      'anthropic · claude-sonnet-4-5',
    ]);
    await picker.selectOption('anthropic:claude-sonnet-4-5');
    await page.fill('#idea', 'a moth that steers by lamplight');
    await page.click('#make');
    await page.locator('#message', { hasText: /started job\(s\) \d+/ }).waitFor();
    const id = Number(/(\d+)/.exec((await page.locator('#message').textContent())!)![1]);
    const { rows } = await h.service.db.query('select provider from gamepocgen.jobs where id = $1', [id]);
    expect(rows[0].provider).toBe('anthropic:claude-sonnet-4-5');
    expect(problems).toEqual([]);
    await page.close();
  });

  itWithBrowser('refuses a provider that is not configured, and provider with compare', async () => {
    const { h } = ctx;
    const missing = await generate(h, { idea: 'x', provider: 'llm:some-model' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).error).toMatchObject({
      code: 'llm_not_configured',
      message: expect.stringContaining('LLM_API_KEY'),
    });
    const both = await generate(h, {
      idea: 'x',
      provider: 'zai:glm-4.6',
      compare: ['zai:glm-4.6', 'anthropic:claude-sonnet-4-5'],
    });
    expect(both.status).toBe(400);
    expect(await both.text()).toContain('either compare');
  });
});

describe('the builtin agent', () => {
  const ctx = useService({ AGENT: 'builtin', ZAI_API_KEY: ZAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY });

  itWithBrowser('offers nothing to pick: the form has no picker', async () => {
    const { h, browser } = ctx;
    expect(await (await h.api('/api/providers')).json()).toEqual({ agent: 'builtin', providers: [] });
    const page = await browser.newPage();
    await page.goto(`${h.service.url}/`);
    await page.locator('#live.on').waitFor();
    await page.locator('#state', { hasText: 'No games yet' }).waitFor(); // the page has loaded its data
    expect(await page.locator('#provider').isVisible()).toBe(false);
    await page.close();
  });
});
