// GET /health and /health/ready are answered in front of the Hono app
// (functions/health-fast-path.ts): the same status, body, security headers,
// request id, metric and log line as the app's own routes give, and every request
// the fast path must not take (another host, method, path, a body) reaches the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../bin/http-server.ts';
import { createApp } from '../functions/app.ts';
import type { AppDeps } from '../functions/deps.ts';
import { createHealthAnswers } from '../functions/health.ts';
import { healthFastPath } from '../functions/health-fast-path.ts';
import { createPool, type Db } from '../lib/db.ts';
import { EventHub } from '../lib/events.ts';
import { createLogger, memoryDestination } from '../lib/log.ts';
import { createMetrics } from '../lib/metrics.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { rawRequest, type RawResponse } from './helpers/raw-http.ts';

/** A server like bin/server.ts's: the fast path in front of the app, counting what reaches the app. */
async function serve(db: Db, h: Harness) {
  const dest = memoryDestination();
  const logger = createLogger({ destination: dest, level: 'debug' });
  const deps: AppDeps = {
    db,
    config: h.config,
    events: new EventHub('postgres://127.0.0.1:1/none'),
    apiToken: 'x'.repeat(20),
    tokenConfigured: true,
    runtimeDescription: 'local',
    startedAt: new Date(),
    logger,
    metrics: createMetrics(db),
  };
  const answers = createHealthAnswers(deps);
  const app = createApp({ ...deps, healthAnswers: answers });
  const reached: string[] = [];
  const server = await listen(
    (req) => {
      reached.push(new URL(req.url).pathname);
      return app.fetch(req);
    },
    0,
    '127.0.0.1',
    logger,
    await healthFastPath(deps, answers),
  );
  const port = (server.address() as { port: number }).port;
  return { server, port, reached, lines: dest.lines, metrics: deps.metrics! };
}

let h: Harness;
let s: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  h = await createHarness({}, { runner: false });
  s = await serve(h.service.db, h);
});
afterAll(async () => {
  await new Promise((r) => s?.server.close(r));
  await h?.close();
});

/** The headers that must match between the two paths: all but the per-request ones. */
const stable = (r: RawResponse) => {
  const { date, 'x-request-id': _id, 'content-length': _len, ...rest } = r.headers;
  return rest;
};
const body = (r: RawResponse) => {
  const { uptimeSeconds, checkedAt, ...rest } = JSON.parse(r.body);
  return { ...rest, uptimeSeconds: typeof uptimeSeconds, checkedAt: typeof checkedAt };
};

describe('the health fast path', () => {
  for (const path of ['/health', '/health/ready']) {
    it(`answers GET ${path} without the app, exactly as the app does`, async () => {
      s.reached.length = 0;
      const fast = await rawRequest(s.port, { path });
      expect(s.reached).toEqual([]);
      // A query string is not the fast path's: this one goes through the whole app.
      const slow = await rawRequest(s.port, { path: `${path}?via=app` });
      expect(s.reached).toEqual([path]);
      expect(fast.status).toBe(200);
      expect(slow.status).toBe(200);
      expect(stable(fast)).toEqual(stable(slow));
      expect(body(fast)).toEqual(body(slow));
      expect(Number(fast.headers['content-length'])).toBe(Buffer.byteLength(fast.body));
      // The security headers really are there (so the comparison above compares something).
      expect(fast.headers['content-security-policy']).toContain("default-src 'self'");
      expect(fast.headers['x-frame-options']).toBe('DENY');
      expect(fast.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  }

  it('keeps a valid X-Request-Id and replaces an invalid one, like hono/request-id', async () => {
    const kept = await rawRequest(s.port, { path: '/health', headers: { 'x-request-id': 'abc-123=' } });
    expect(kept.headers['x-request-id']).toBe('abc-123=');
    for (const bad of ['a b', 'x'.repeat(256), 'é']) {
      const fast = await rawRequest(s.port, { path: '/health', headers: { 'x-request-id': bad } });
      const slow = await rawRequest(s.port, { path: '/health?x', headers: { 'x-request-id': bad } });
      expect(fast.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(slow.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('leaves every other request to the app: other hosts, methods, paths, and requests with a body', async () => {
    s.reached.length = 0;
    expect((await rawRequest(s.port, { path: '/health', host: 'evil.example' })).status).toBe(421);
    const slot = await rawRequest(s.port, { path: '/health', host: `gamedemo0.localhost:${s.port}` });
    expect(slot.status).toBe(404); // slot 0's own /health file, which it does not have: not this app's health
    expect(JSON.parse(slot.body)).toMatchObject({ error: { code: 'file_not_found' } });
    expect((await rawRequest(s.port, { method: 'HEAD', path: '/health' })).status).toBe(200);
    expect(
      (
        await rawRequest(s.port, {
          method: 'POST',
          path: '/health',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(404);
    const withBody = { path: '/health', headers: { 'content-length': '1' }, body: 'x' };
    expect((await rawRequest(s.port, withBody)).status).toBe(200);
    expect((await rawRequest(s.port, { path: '/health/' })).status).toBe(404); // strict paths, as before
    expect(s.reached).toEqual(['/health', '/health', '/health', '/health', '/health', '/health/']);
  });

  it('counts each answer in the same metric series as the app, and logs it at debug with its request id', async () => {
    const count = async () => {
      const text = await s.metrics.registry.metrics();
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith('gamepocgen_http_request_duration_seconds_count{method="GET",route="/health",status="200"}'),
        );
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    const before = await count();
    await rawRequest(s.port, { path: '/health' });
    expect(await count()).toBe(before + 1);
    await rawRequest(s.port, { path: '/health?via=app' });
    expect(await count()).toBe(before + 2); // control: the app's own route lands in the same series
    const res = await rawRequest(s.port, { path: '/health', headers: { 'x-request-id': 'log-me-1' } });
    expect(res.status).toBe(200);
    const line = s.lines.map((l) => JSON.parse(l)).find((l) => l.reqId === 'log-me-1');
    expect(line).toMatchObject({ level: 20, msg: 'request', method: 'GET', path: '/health', status: 200 });
  });

  it('answers 503 when the database is down', async () => {
    const deadDb = createPool('postgres://nobody:nothing@127.0.0.1:1/none', 1);
    const down = await serve(deadDb, h);
    try {
      const fast = await rawRequest(down.port, { path: '/health' });
      expect(down.reached).toEqual([]);
      expect(fast.status).toBe(503);
      expect(JSON.parse(fast.body)).toMatchObject({ status: 'error', db: 'unreachable' });
      const ready = await rawRequest(down.port, { path: '/health/ready' });
      expect(ready.status).toBe(503);
    } finally {
      await new Promise((r) => down.server.close(r));
      await deadDb.end();
    }
  });
});
