// The egress gateway's proxy (lib/llm/egress-proxy.ts) on a real unix socket, and the
// key proxy tunnelling through it (lib/agents/claude/key-proxy.ts `via`), no Docker:
// the allowed endpoint gets through (plain HTTP and TLS inside the tunnel), any other
// host:port gets 403 without a connection being opened, and the refusal is logged
// without the key. The Docker side (network none, the socket bind) is test/docker/egress.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKeyProxy } from '../lib/agents/claude/key-proxy.ts';
import { isMetadataAddress, parseAuthority, startEgressProxy } from '../lib/llm/egress-proxy.ts';
import { endpointOf, modelEndpoints } from '../lib/llm/providers.ts';

const KEY = 'sk-egress-test-9a8b7c-NEVER-LOGGED';
let dir: string;
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-egress-'));
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** An upstream on 127.0.0.1 counting TCP connections and recording each request's auth header. */
async function upstream(server: http.Server = http.createServer()) {
  const seen: Array<{ url: string; authorization?: string }> = [];
  let connections = 0;
  server.on('connection', () => connections++);
  server.on('request', (req, res) => {
    seen.push({ url: req.url!, authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { port: (server.address() as net.AddressInfo).port, seen, connections: () => connections };
}

let seq = 0;
async function gateway(allow: string[]) {
  const log: Array<Record<string, unknown>> = [];
  const socketPath = path.join(dir, `gw${seq++}.sock`);
  const proxy = await startEgressProxy({ allow, listen: { socketPath }, log: (e) => log.push(e) });
  closers.push(() => proxy.close());
  return { socketPath, proxy, log };
}

/** A raw CONNECT (or other request) on the gateway's socket: the status line it answers. */
function rawRequest(socketPath: string, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socketPath);
    let got = '';
    s.on('data', (d) => {
      got += d;
      if (got.includes('\r\n')) {
        s.destroy();
        resolve(got.split('\r\n')[0]!);
      }
    });
    s.on('error', reject);
    s.on('end', () => resolve(got.split('\r\n')[0]!));
    s.write(head);
  });
}

async function callThrough(proxyUrl: string, token: string): Promise<number | string> {
  return fetch(`${proxyUrl}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"model":"m"}',
    signal: AbortSignal.timeout(10_000),
  }).then(
    (r) => r.status,
    (e: Error) => `failed: ${e.message}`,
  );
}

describe('egress gateway proxy', () => {
  it('tunnels the key proxy to the allowed endpoint (control) and refuses another port on the same host with 403', async () => {
    const allowed = await upstream();
    const other = await upstream();
    const gw = await gateway([`127.0.0.1:${allowed.port}`]);

    const good = await startKeyProxy({
      upstream: `http://127.0.0.1:${allowed.port}/api`,
      apiKey: KEY,
      keyHeader: 'bearer',
      via: gw.socketPath,
    });
    closers.push(() => good.close());
    expect(await callThrough(good.url, good.token)).toBe(200);
    expect(allowed.seen).toEqual([{ url: '/api/v1/messages', authorization: `Bearer ${KEY}` }]);
    expect(gw.proxy.tunnels()).toBe(1);

    // The must-fail fixture: a live server on the same host, another port.
    const bad = await startKeyProxy({
      upstream: `http://127.0.0.1:${other.port}`,
      apiKey: KEY,
      keyHeader: 'bearer',
      via: gw.socketPath,
    });
    closers.push(() => bad.close());
    expect(await callThrough(bad.url, bad.token)).toMatch(/^failed/);
    expect(bad.lastUpstreamError()).toBe(
      `EGRESS_REFUSED: egress gateway refused CONNECT 127.0.0.1:${other.port}: HTTP 403 Forbidden`,
    );
    expect(other.connections()).toBe(0);
    expect(gw.proxy.tunnels()).toBe(1);
    expect(gw.log).toContainEqual({
      event: 'egress_refused',
      status: 403,
      reason: `127.0.0.1:${other.port} is not the configured model endpoint`,
      target: `127.0.0.1:${other.port}`,
    });
    expect(JSON.stringify(gw.log)).not.toContain(KEY);
  });

  it('answers raw requests: 200 for the allowed authority, 403 otherwise, 400 for garbage, 405 for plain HTTP, 403 for link-local', async () => {
    const allowed = await upstream();
    const gw = await gateway([`127.0.0.1:${allowed.port}`, '169.254.169.254:80']);
    const connect = (authority: string) =>
      rawRequest(gw.socketPath, `CONNECT ${authority} HTTP/1.1\r\nhost: ${authority}\r\n\r\n`);
    expect(await connect(`127.0.0.1:${allowed.port}`)).toBe('HTTP/1.1 200 Connection Established');
    expect(await connect(`localhost:${allowed.port}`)).toBe('HTTP/1.1 403 Forbidden'); // same host, other name
    expect(await connect('10.0.0.1:443')).toBe('HTTP/1.1 403 Forbidden');
    expect(await connect('169.254.169.254:80')).toBe('HTTP/1.1 403 Forbidden'); // even when listed
    expect(await connect('nonsense')).toBe('HTTP/1.1 400 Bad Request');
    expect(await rawRequest(gw.socketPath, `GET http://127.0.0.1:${allowed.port}/ HTTP/1.1\r\nhost: x\r\n\r\n`)).toBe(
      'HTTP/1.1 405 Method Not Allowed',
    );
    expect(allowed.connections()).toBe(1);
  });

  it('an allowed endpoint that does not answer gets 502 naming the error', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const gw = await gateway([`127.0.0.1:${port}`]);
    expect(await rawRequest(gw.socketPath, `CONNECT 127.0.0.1:${port} HTTP/1.1\r\n\r\n`)).toBe(
      'HTTP/1.1 502 Bad Gateway',
    );
    expect(gw.log).toContainEqual({ event: 'egress_failed', target: `127.0.0.1:${port}`, code: 'ECONNREFUSED' });
  });

  it('carries TLS inside the tunnel for an https endpoint (the gateway sees only the CONNECT line)', async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = await readFile(path.join(dir, 'cert.pem'), 'utf8');
    const before = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...before, cert]);
    closers.push(async () => tls.setDefaultCACertificates(before));
    const secure = await upstream(https.createServer({ key: await readFile(path.join(dir, 'key.pem')), cert }));
    const gw = await gateway([`localhost:${secure.port}`]);
    const proxy = await startKeyProxy({
      upstream: `https://localhost:${secure.port}`,
      apiKey: KEY,
      keyHeader: 'bearer',
      via: gw.socketPath,
    });
    closers.push(() => proxy.close());
    expect(await callThrough(proxy.url, proxy.token)).toBe(200);
    expect(secure.seen).toEqual([{ url: '/v1/messages', authorization: `Bearer ${KEY}` }]);
    expect(gw.proxy.tunnels()).toBe(1);
  });

  it('parses authorities and spots link-local addresses', () => {
    expect(parseAuthority('API.Z.ai:443')).toEqual({ host: 'api.z.ai', port: 443, key: 'api.z.ai:443' });
    expect(parseAuthority('[::1]:8080')).toEqual({ host: '::1', port: 8080, key: '[::1]:8080' });
    for (const bad of ['api.z.ai', 'a:0', 'a:70000', 'a b:1', 'http://a:1', ''])
      expect(parseAuthority(bad), bad).toBeNull();
    for (const a of ['169.254.169.254', 'fe80::1', 'fd00:ec2::254', '::ffff:169.254.169.254'])
      expect(isMetadataAddress(a), a).toBe(true);
    for (const a of ['127.0.0.1', '10.0.0.1', '::1', '172.17.0.1']) expect(isMetadataAddress(a), a).toBe(false);
  });
});

describe('model endpoints (what the gateway allows)', () => {
  it('the default endpoint plus every configured compare provider, as host:port', () => {
    expect(modelEndpoints({})).toEqual(['api.anthropic.com:443']);
    expect(modelEndpoints({ LLM_BASE_URL: 'http://127.0.0.1:9000/x' })).toEqual(['127.0.0.1:9000']);
    expect(
      modelEndpoints({
        ZAI_BASE_URL: 'https://api.z.ai/api/anthropic',
        ZAI_API_KEY: 'k',
        ANTHROPIC_API_KEY: 'k2',
      }),
    ).toEqual(['api.anthropic.com:443', 'api.z.ai:443']);
    // A provider without its key is not a reachable endpoint.
    expect(
      modelEndpoints({ LLM_BASE_URL: 'https://llm.example:8443', ANTHROPIC_BASE_URL: 'https://proxy.example' }),
    ).toEqual(['llm.example:8443']);
    expect(endpointOf('http://[::1]/v1')).toBe('[::1]:80');
    expect(endpointOf('ftp://x')).toBeNull();
  });
});
