// Mutations need the bearer token once API_TOKEN is configured; reads don't.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';

const TOKEN = 'test-token-0123456789abcdef';
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ API_TOKEN: TOKEN }, { runner: false });
});
afterAll(() => h?.close());

it('refuses a mutation without the token and never echoes it', async () => {
  const res = await h.api('/api/generate', { method: 'POST', body: '{}' });
  expect(res.status).toBe(401);
  const text = await res.text();
  expect(text).toContain('unauthorized');
  expect(text).not.toContain(TOKEN);
});

it('refuses a wrong token and a forwarded request', async () => {
  expect(
    (await h.api('/api/generate', { method: 'POST', body: '{}', headers: { authorization: 'Bearer nope' } })).status,
  ).toBe(401);
});

it('accepts the right token', async () => {
  const res = await h.api('/api/generate', {
    method: 'POST',
    body: '{}',
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.status).toBe(201);
});

it('lets anyone read', async () => {
  expect((await h.api('/api/jobs')).status).toBe(200);
  expect((await h.api('/health')).status).toBe(200);
});
