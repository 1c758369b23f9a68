// The headers every app response carries (security headers, the request id) are added without touching
// the route's Response (functions/node-response.ts): on the Node response under Node, on the Response
// in-process. Both ways must give what hono/secure-headers and hono/request-id gave, route by route.
import type { Server } from 'node:http';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../bin/http-server.ts';
import { appSecurityHeaderList, appSecurityHeaders } from '../functions/security-headers.ts';
import { nodeResponse } from '../functions/node-response.ts';
import { requestLog } from '../functions/request-log.ts';
import { silentLogger } from '../lib/log.ts';
import { createDbFreeApp } from './helpers/db-free-app.ts';
import { rawRequest, type RawResponse } from './helpers/raw-http.ts';

/** What functions/security-headers.ts passed hono/secure-headers before it built the set itself. */
function honoSecureHeaders(domain: string, change: Record<string, unknown> = {}) {
  const gameOrigins = ['http://*.localhost:*', ...(domain !== 'localhost' ? [`https://*.${domain}`] : [])];
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      frameSrc: ["'self'", ...gameOrigins],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: false,
    crossOriginResourcePolicy: 'same-origin',
    overwrite: false,
    ...change,
  });
}

/** The headers a middleware adds to a bare 200, lower-cased and sorted. */
async function added(middleware: Parameters<Hono['use']>[1]): Promise<Record<string, string>> {
  const app = new Hono();
  app.use('*', middleware);
  app.get('/', () => new Response(null));
  return Object.fromEntries((await app.request('/')).headers);
}

describe('the security header set', () => {
  for (const domain of ['localhost', 'games.example.com']) {
    it(`is exactly what hono/secure-headers added (DOMAIN=${domain})`, async () => {
      const ours = await added(appSecurityHeaders({ DOMAIN: domain }));
      expect(ours).toEqual(await added(honoSecureHeaders(domain)));
      expect(Object.keys(ours)).toHaveLength(appSecurityHeaderList({ DOMAIN: domain }).length);
      // The control: the comparison sees a one-header difference.
      expect(ours).not.toEqual(await added(honoSecureHeaders(domain, { xFrameOptions: 'SAMEORIGIN' })));
      expect(ours).not.toEqual(await added(honoSecureHeaders(domain === 'localhost' ? 'example.org' : 'localhost')));
    });
  }
});

/** Everything but what differs per request or per connection, and the length Node adds. */
const stable = (headers: Record<string, unknown>) => {
  const { date, connection, 'keep-alive': _k, 'x-request-id': _id, 'content-length': _l, ...rest } = headers;
  return rest;
};

async function serve(app: { fetch: (req: Request, env?: unknown) => Response | Promise<Response> }) {
  const server = await listen((req, env) => app.fetch(req, env), 0, '127.0.0.1', silentLogger);
  return { server, port: (server.address() as { port: number }).port };
}
const closed = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('through Node and in-process, the same headers', () => {
  const app = createDbFreeApp();
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve(app);
  });
  afterAll(() => closed(s.server));

  const both = async (path: string, host = 'localhost'): Promise<[RawResponse, Response]> => [
    await rawRequest(s.port, { path, host: `${host}:${s.port}` }),
    await app.request(`http://${host}:${s.port}${path}`, { headers: { host: `${host}:${s.port}` } }),
  ];

  it.each([
    ['/api/providers', 'localhost', 200],
    ['/openapi.json', 'localhost', 200],
    ['/api/nope', 'localhost', 404],
    ['/', 'localhost', 200],
    ['/docs', 'localhost', 200],
    ['/api/providers', 'evil.example', 421],
    ['/play/0/', 'localhost', 404],
    ['/', 'gamedemo0.localhost', 404],
  ])('%s on %s', async (path, host, status) => {
    const [node, inProcess] = await both(path, host);
    expect(node.status).toBe(status);
    expect(inProcess.status).toBe(status);
    expect(stable(node.headers)).toEqual(stable(Object.fromEntries(inProcess.headers)));
    expect(node.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(inProcess.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const isApp = host === 'localhost' && !path.startsWith('/play/');
    // The app's own answers carry the app's CSP; a game's (and the refused host's) do not.
    expect(node.headers['x-frame-options']).toBe(isApp ? 'DENY' : undefined);
    if (isApp) expect(node.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});

describe("a route's own headers win over the defaults", () => {
  const app = new Hono();
  app.use('*', requestLog(silentLogger, null));
  app.use('*', appSecurityHeaders({ DOMAIN: 'localhost' }));
  app.get('/own', (c) =>
    c.body('x', 200, {
      'content-type': 'text/plain',
      'x-frame-options': 'SAMEORIGIN',
      'content-security-policy': "default-src 'none'",
    }),
  );
  app.get('/plain', (c) => c.text('x'));
  app.get('/which', (c) => c.text(nodeResponse(c) ? 'node' : 'in-process'));
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve(app);
  });
  afterAll(() => closed(s.server));

  it('under Node and in-process alike', async () => {
    // The two ways really are two: the headers go on the Node response under Node only.
    expect((await rawRequest(s.port, { path: '/which' })).body).toBe('node');
    expect(await (await app.request('/which')).text()).toBe('in-process');
    const node = await rawRequest(s.port, { path: '/own' });
    const inProcess = await app.request('/own');
    for (const h of [node.headers, Object.fromEntries(inProcess.headers)]) {
      expect(h['x-frame-options']).toBe('SAMEORIGIN');
      expect(h['content-security-policy']).toBe("default-src 'none'");
      expect(h['x-content-type-options']).toBe('nosniff'); // the rest of the set is still there
    }
    expect(stable(node.headers)).toEqual(stable(Object.fromEntries(inProcess.headers)));
    // The control: a route that sets nothing gets the app's.
    expect((await rawRequest(s.port, { path: '/plain' })).headers['x-frame-options']).toBe('DENY');
  });

  it('keeps a valid X-Request-Id and replaces an invalid one, like hono/request-id', async () => {
    for (const [given, kept] of [
      ['abc-123=', true],
      ['x'.repeat(255), true],
      ['a b', false],
      ['x'.repeat(256), false],
      ['é', false],
      ['', false],
    ] as const) {
      const node = (await rawRequest(s.port, { path: '/plain', headers: { 'x-request-id': given } })).headers[
        'x-request-id'
      ];
      const inProcess = (await app.request('/plain', { headers: { 'x-request-id': given } })).headers.get(
        'x-request-id',
      );
      for (const id of [node, inProcess]) {
        if (kept) expect(id).toBe(given);
        else expect(id).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
  });
});
