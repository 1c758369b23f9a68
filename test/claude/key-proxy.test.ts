// The key proxy (lib/agents/claude/key-proxy.ts) with plain HTTP, no CLI: it
// refuses anyone without the phase's token, swaps that token for the real key
// in the header the endpoint expects, streams bodies both ways, relays error
// statuses, and drops the connection when the endpoint cannot be reached.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startKeyProxy, type KeyProxy } from '../../lib/agents/claude/key-proxy.ts';

const KEY = 'sk-real-key-7f00d-NEVER-IN-THE-CLI';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** An upstream that records each request and lets the test answer it. */
async function upstream(
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_, res) => res.end('{"ok":true}'),
) {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    answer(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function proxyTo(url: string, keyHeader: 'bearer' | 'x-api-key' = 'bearer'): Promise<KeyProxy> {
  const proxy = await startKeyProxy({ upstream: url, apiKey: KEY, keyHeader });
  closers.push(() => proxy.close());
  return proxy;
}

describe('key proxy', () => {
  it('listens on 127.0.0.1 only, with a fresh random token each time', async () => {
    const up = await upstream();
    const [a, b] = [await proxyTo(up.url), await proxyTo(up.url)];
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.token).toMatch(/^gpg-proxy-[0-9a-f]{48}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.token).not.toContain(KEY);
  });

  it('answers 401 without the token or with a wrong one, and never calls the endpoint', async () => {
    const up = await upstream();
    const proxy = await proxyTo(up.url);
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { 'x-api-key': `${proxy.token}x` },
      { authorization: `Bearer ${KEY}` },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${proxy.url}/v1/messages`, { method: 'POST', headers, body: '{}' });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    }
    expect(up.seen).toEqual([]);
  });

  it('forwards method, path under the base path, query, headers and body, with the real key instead of the token', async () => {
    const up = await upstream();
    const proxy = await proxyTo(`${up.url}/api/anthropic/`);
    const res = await fetch(`${proxy.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${proxy.token}`,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: '{"model":"m"}',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(up.seen).toHaveLength(1);
    const [s] = up.seen;
    expect(s).toMatchObject({ method: 'POST', url: '/api/anthropic/v1/messages?beta=true', body: '{"model":"m"}' });
    expect(s!.headers).toMatchObject({
      authorization: `Bearer ${KEY}`,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    });
    expect(s!.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(s!.headers)).not.toContain(proxy.token);
  });

  it('x-api-key endpoints get the key in x-api-key (the CLI may present the token either way)', async () => {
    const up = await upstream();
    const proxy = await proxyTo(up.url, 'x-api-key');
    expect(
      (await fetch(`${proxy.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': proxy.token }, body: '{}' }))
        .status,
    ).toBe(200);
    expect(up.seen[0]!.headers['x-api-key']).toBe(KEY);
    expect(up.seen[0]!.headers.authorization).toBeUndefined();
  });

  it('streams the response: an SSE event arrives before the endpoint has finished', async () => {
    let finish: () => void = () => {};
    const up = await upstream((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message_start\ndata: {}\n\n');
      finish = () => res.end('event: message_stop\ndata: {}\n\n');
    });
    const proxy = await proxyTo(up.url);
    const res = await fetch(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proxy.token}` },
      body: '{}',
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('event: message_start\ndata: {}\n\n'); // while the endpoint still holds the stream open
    finish();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('event: message_stop\ndata: {}\n\n');
  });

  it('relays error statuses, bodies and headers (429 with retry-after, 500) so the CLI retries and reports them', async () => {
    const up = await upstream((req, res) => {
      const status = req.url!.includes('429') ? 429 : 500;
      res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(
        JSON.stringify({
          type: 'error',
          error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message: `scripted ${status}` },
        }),
      );
    });
    const proxy = await proxyTo(up.url);
    for (const status of [429, 500]) {
      const res = await fetch(`${proxy.url}/v1/messages?s=${status}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${proxy.token}` },
        body: '{}',
      });
      expect(res.status).toBe(status);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toMatchObject({ error: { message: `scripted ${status}` } });
    }
  });

  it('an endpoint that refuses connections: the CLI sees a dropped connection, the proxy keeps the cause', async () => {
    const up = await upstream();
    const deadUrl = up.url;
    await closers.pop()!(); // close the upstream: its port now refuses
    const proxy = await proxyTo(deadUrl);
    expect(proxy.lastUpstreamError()).toBeNull();
    await expect(
      fetch(`${proxy.url}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${proxy.token}` },
        body: '{}',
      }),
    ).rejects.toThrow();
    expect(proxy.lastUpstreamError()).toMatch(/^ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
  });

  it('close() ends requests the endpoint never answers, and stops listening', async () => {
    const up = await upstream(() => {}); // never answers
    const proxy = await proxyTo(up.url);
    const pending = fetch(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proxy.token}` },
      body: '{}',
    });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await proxy.close();
    await expect(pending).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(1000);
    await expect(fetch(`${proxy.url}/v1/messages`)).rejects.toThrow();
  });

  it('refuses a base URL that is not http(s), with the variable to fix', async () => {
    await expect(startKeyProxy({ upstream: 'ftp://x', apiKey: KEY, keyHeader: 'bearer' })).rejects.toMatchObject({
      code: 'llm_not_configured',
      message: expect.stringContaining('LLM_BASE_URL'),
    });
  });
});
