// Host and cross-site guards, security headers and hostile paths, over real HTTP
// against the real service (no runner: this is about the HTTP surface).
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveArtifacts } from '../lib/artifact-store.ts';
import { publishRelease, slotDir } from '../lib/deployers/releases.ts';
import { createLogger, memoryDestination, printable } from '../lib/log.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { expectErrorShape, rawBytes, rawRequest } from './helpers/raw-http.ts';

const logs = memoryDestination();
let h: Harness;
let port: number;
let jobId: number;
const jobCount = async () =>
  (await h.service.db.query<{ n: number }>('select count(*)::int n from gamepocgen.jobs')).rows[0]!.n;

beforeAll(async () => {
  h = await createHarness(
    { DOMAIN: 'games.example.com', ALLOWED_HOSTS: 'lan-box.internal', CORS_ORIGINS: 'https://partner.example.org' },
    { runner: false, logger: createLogger({ destination: logs, level: 'debug' }) },
  );
  port = h.service.port;
  const res = await h.api('/api/generate', { method: 'POST', body: '{"idea":"guarded"}' });
  jobId = ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
  await saveArtifacts(h.service.db, jobId, 1, new Map([['idea.md', Buffer.from('# hello')]]));
  const dist = await mkdtemp(path.join(os.tmpdir(), 'gpg-guard-'));
  await mkdir(dist, { recursive: true });
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>g</title>');
  await publishRelease(slotDir(h.config.deployDir, 0), 'current', dist, jobId);
});
afterAll(() => h?.close());

const post = (headers: Record<string, string>, host?: string) =>
  rawRequest(port, {
    method: 'POST',
    path: '/api/generate',
    host,
    headers: { 'content-type': 'application/json', ...headers },
    body: '{"idea":"from somewhere"}',
  });

describe('Host', () => {
  it.each(['localhost', '127.0.0.1', '[::1]', 'games.example.com', 'GAMES.example.com.', 'lan-box.internal'])(
    'serves %s',
    async (name) => {
      const res = await rawRequest(port, { path: '/api/jobs', host: `${name}:${port}` });
      expect(res.status).toBe(200);
    },
  );
  it.each(['evil.example', 'rebind.attacker.test', 'localhost.evil.example', 'gamedemo1.evil.example'])(
    'refuses %j with 421 in the error shape, reads and writes alike',
    async (name) => {
      const before = await jobCount();
      expectErrorShape(await rawRequest(port, { path: '/api/jobs', host: name }), 421, 'unknown_host');
      expectErrorShape(await post({}, name), 421, 'unknown_host');
      expect(await jobCount()).toBe(before);
    },
  );
  it('answers a missing, empty or malformed Host in the error shape', async () => {
    for (const head of [
      'GET /api/jobs HTTP/1.1\r\nHost: \r\n',
      'GET /api/jobs HTTP/1.0\r\n',
      'GET /api/jobs HTTP/1.1\r\nHost: a b\r\n',
      'GET /api/jobs HTTP/1.1\r\nHost: under_score.example\r\n',
      'GET /api/jobs HTTP/1.1\r\nHost: localhost:99999\r\n',
      'GET http://localhost/api/jobs HTTP/1.1\r\nHost: localhost\r\n',
    ]) {
      const answer = await rawBytes(port, `${head}Connection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 (400|421) /);
      expect(answer).toMatch(/"code":"(bad_request|unknown_host)"/);
    }
  });
  it('serves games on gamedemoN.localhost and gamedemoN.DOMAIN only', async () => {
    expect((await rawRequest(port, { path: '/', host: `gamedemo0.localhost:${port}` })).status).toBe(200);
    expect((await rawRequest(port, { path: '/', host: 'gamedemo0.games.example.com' })).status).toBe(200);
    expectErrorShape(await rawRequest(port, { path: '/', host: 'gamedemo0.elsewhere.test' }), 421, 'unknown_host');
  });
});

describe('cross-site mutations', () => {
  it('accepts a same-origin page and a listed CORS origin, refuses every other origin', async () => {
    expect((await post({ origin: `http://localhost:${port}` })).status).toBe(201);
    expect((await post({ origin: 'https://partner.example.org' })).status).toBe(201);
    const before = await jobCount();
    for (const origin of [
      'https://evil.example',
      'null',
      `http://gamedemo0.localhost:${port}`, // a game is untrusted code, not the app
      `http://127.0.0.1:${port}`, // another origin than the Host the request names
      'garbage',
    ])
      expectErrorShape(await post({ origin }), 403, 'forbidden_origin');
    expectErrorShape(await post({ 'sec-fetch-site': 'cross-site' }), 403, 'forbidden_origin');
    expectErrorShape(await post({ 'sec-fetch-site': 'same-site' }), 403, 'forbidden_origin');
    expect(await jobCount()).toBe(before);
  });
  it('refuses every non-JSON body type with 415', async () => {
    const before = await jobCount();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=b', ''])
      expectErrorShape(await post({ 'content-type': type }), 415, 'unsupported_media_type');
    expect(await jobCount()).toBe(before);
    expect((await post({ 'content-type': 'Application/JSON; charset=utf-8' })).status).toBe(201);
  });
  it('answers a listed origin with CORS headers and nobody else', async () => {
    const preflight = (origin: string) =>
      rawRequest(port, {
        method: 'OPTIONS',
        path: '/api/generate',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('https://partner.example.org')).headers['access-control-allow-origin']).toBe(
      'https://partner.example.org',
    );
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('security headers', () => {
  it('puts a strict CSP, nosniff, no framing and no referrer on the gallery and the API', async () => {
    for (const p of ['/', '/api/jobs', '/api/nope']) {
      const res = await rawRequest(port, { path: p });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });
  it("keeps an artifact's own locked-down CSP", async () => {
    const res = await rawRequest(port, { path: `/api/jobs/${jobId}/artifacts/idea.md` });
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });
  it('lets only the app frame a game', async () => {
    const slot = await rawRequest(port, { path: '/', host: `gamedemo0.localhost:${port}` });
    expect(slot.headers['content-security-policy']).toMatch(/frame-ancestors 'self' http:\/\/localhost:\*/);
    expect(slot.headers['content-security-policy']).toContain("connect-src 'none'");
    const play = await rawRequest(port, { path: '/play/0/' });
    expect(play.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(play.headers['content-security-policy']).toContain('sandbox allow-scripts');
  });
});

describe('hostile paths and bodies', () => {
  it.each([
    `/api/jobs/JOB/artifacts/%E0%A4%A`,
    `/api/jobs/JOB/artifacts/%zz`,
    `/api/jobs/JOB/artifacts/%ED%A0%80`, // an encoded lone surrogate
    `/api/jobs/JOB/artifacts/idea.md%00.txt`,
    `/api/jobs/JOB/artifacts/a%0aforged`,
    '/play/0/%E0%A4%A',
    '/play/0/%00',
  ])('answers %s with 400 invalid_path', async (p) => {
    expectErrorShape(await rawRequest(port, { path: p.replace('JOB', String(jobId)) }), 400, 'invalid_path');
  });
  it('answers bad paths on a slot host in the error shape', async () => {
    const host = `gamedemo0.localhost:${port}`;
    expectErrorShape(await rawRequest(port, { path: '/%E0%A4%A', host }), 400, 'invalid_path');
    expectErrorShape(await rawRequest(port, { path: '/missing.js', host }), 404, 'file_not_found');
    expectErrorShape(await rawRequest(port, { path: '/../../etc/passwd', host }), 404);
    expectErrorShape(await rawRequest(port, { path: '/', host: `gamedemo5.localhost:${port}` }), 404, 'no_game');
    expectErrorShape(
      await rawRequest(port, { path: '/', host: `gamedemo99.localhost:${port}` }),
      404,
      'slot_not_found',
    );
    expectErrorShape(await rawRequest(port, { path: '/play/7/' }), 404, 'no_game');
  });
  it('refuses NUL and unpaired surrogates in an idea with 400, and stores other text as sent', async () => {
    for (const idea of ['a\u0000b', 'lone \ud800 high', 'lone \udc00 low'])
      expectErrorShape(await postIdea(idea), 400, 'invalid_request');
    const ok = await postIdea('emoji 🐙 and \u2028 line separator');
    expect(ok.status).toBe(201);
  });
  it('answers malformed HTTP from Node’s parser in the error shape', async () => {
    for (const bytes of [
      'GET /\u0000 HTTP/1.1\r\nHost: localhost\r\n\r\n',
      'BLAH\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nbad header\r\n\r\n',
    ]) {
      const answer = await rawBytes(port, bytes);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('"code":"bad_request"');
    }
    expect(await rawBytes(port, `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(
      /^HTTP\/1\.1 431 /,
    );
  });
  it('logs a path with %0a as one escaped JSON line, never a forged one', async () => {
    await rawRequest(port, { path: '/api/x%0a{"level":60,"msg":"forged"}%0d%0aforged' });
    await rawRequest(port, { path: '/nope%0aINFO%20forged%20line' });
    for (const line of logs.lines) {
      const entry = JSON.parse(line) as { msg: string };
      expect(entry.msg).not.toBe('forged');
    }
    const entries = logs.lines.map((l) => JSON.parse(l) as { path?: string });
    expect(entries.some((e) => e.path?.includes('INFO'))).toBe(true); // logged, as one field of one line
    expect(logs.lines.every((l) => !l.startsWith('INFO') && !l.startsWith('forged'))).toBe(true);
    // The logger itself: a decoded newline in a message or field stays inside its one line.
    const own = memoryDestination();
    createLogger({ destination: own }).info({ path: 'a\nINFO forged' }, 'm\nforged');
    expect(own.lines).toHaveLength(1);
    expect(printable('a\nb\u2028c')).toBe('a\\u000ab\\u2028c');
  });
});

function postIdea(idea: string) {
  return rawRequest(port, {
    method: 'POST',
    path: '/api/generate',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idea }),
  });
}
