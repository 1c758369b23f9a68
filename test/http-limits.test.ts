// Abuse limits: the per-client rate limit and the queue cap answer 429 with
// Retry-After; a 200 MB chunked body is refused while it streams, without the
// server buffering it; READ_TOKEN guards reads.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';
import { expectErrorShape, rawRequest } from './helpers/raw-http.ts';

const json = { 'content-type': 'application/json' };

describe('rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ RATE_LIMIT_PER_MINUTE: '3' }, { runner: false });
  });
  afterAll(() => h?.close());

  it('lets 3 changes a minute through, then answers 429 with Retry-After; reads stay open', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await rawRequest(h.service.port, { method: 'POST', path: '/api/generate', headers: json, body: '{}' })).status,
      );
    expect(statuses).toEqual([201, 201, 201]);
    const refused = await rawRequest(h.service.port, {
      method: 'POST',
      path: '/api/generate',
      headers: json,
      body: '{}',
    });
    expectErrorShape(refused, 429, 'rate_limited');
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await rawRequest(h.service.port, { path: '/api/jobs' })).status).toBe(200);
  });
});

describe('queue cap and body limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ MAX_QUEUED: '5' }, { runner: false });
  });
  afterAll(() => h?.close());

  const generate = (count: number) =>
    rawRequest(h.service.port, {
      method: 'POST',
      path: '/api/generate',
      headers: json,
      body: JSON.stringify({ count }),
    });

  it('queues up to MAX_QUEUED jobs, then answers 429 with Retry-After and creates none', async () => {
    expect((await generate(3)).status).toBe(201);
    const over = await generate(3);
    expectErrorShape(over, 429, 'queue_full');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body).toContain('MAX_QUEUED');
    expect((await generate(2)).status).toBe(201); // exactly at the cap
    expectErrorShape(await generate(1), 429, 'queue_full');
    const { rows } = await h.service.db.query<{ n: number }>('select count(*)::int n from gamepocgen.jobs');
    expect(rows[0]!.n).toBe(5);
  });

  it('holds the cap under concurrent requests', async () => {
    await h.service.db.query(`update gamepocgen.jobs set status = 'failed'`);
    const results = await Promise.all(Array.from({ length: 12 }, () => generate(1)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });

  it('refuses a 200 MB chunked body while it streams, with RSS growing by less than a few MB', async () => {
    const total = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent >= total) return this.push(null);
        sent += chunk.length;
        this.push(chunk);
      },
    });
    global.gc?.();
    const before = process.memoryUsage().rss;
    const res = await rawRequest(h.service.port, { method: 'POST', path: '/api/generate', headers: json, body });
    const grown = process.memoryUsage().rss - before;
    expectErrorShape(res, 413, 'payload_too_large');
    expect(sent).toBeLessThan(total / 4); // refused early, not after reading it all
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    console.log(
      `200 MB chunked body: refused after ${sent} bytes sent; RSS grew ${(grown / 1024 / 1024).toFixed(1)} MB`,
    );
  });

  it('refuses a declared oversized body before reading it', async () => {
    const res = await rawRequest(h.service.port, {
      method: 'POST',
      path: '/api/generate',
      headers: { ...json, 'content-length': String(200 * 1024 * 1024) },
      body: Readable.from([Buffer.alloc(1024)]),
    }).catch((e: Error) => e);
    if (res instanceof Error) throw res;
    expectErrorShape(res, 413, 'payload_too_large');
  });
});

describe('READ_TOKEN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(
      { READ_TOKEN: 'read-token-0123456789', API_TOKEN: 'api-token-0123456789' },
      { runner: false },
    );
  });
  afterAll(() => h?.close());

  it('makes reads need the read or the API token (header, or ?access_token= for event streams)', async () => {
    const port = h.service.port;
    expectErrorShape(await rawRequest(port, { path: '/api/jobs' }), 401, 'unauthorized');
    expectErrorShape(await rawRequest(port, { path: '/metrics' }), 401, 'unauthorized');
    expectErrorShape(await rawRequest(port, { path: '/api/jobs', headers: { authorization: 'Bearer wrong' } }), 401);
    for (const token of ['read-token-0123456789', 'api-token-0123456789'])
      expect(
        (await rawRequest(port, { path: '/api/jobs', headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(200);
    expect((await rawRequest(port, { path: '/api/events?access_token=read-token-0123456789' })).status).toBe(200);
    // The read token can't change anything.
    const post = await rawRequest(port, {
      method: 'POST',
      path: '/api/generate',
      headers: { ...json, authorization: 'Bearer read-token-0123456789' },
      body: '{}',
    });
    expectErrorShape(post, 401, 'unauthorized');
    expect((await rawRequest(port, { path: '/health' })).status).toBe(200);
  });
});
