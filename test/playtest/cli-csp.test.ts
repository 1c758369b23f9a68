// `gamepocgen playtest <url> --enforce-csp`: a URL whose responses carry no CSP (like a slot container's own
// nginx, which a play-test container opens) is played under GAME_CSP, the policy players get. The real CLI,
// real Chromium and a plain node:http static server that sends no CSP header (bin/serve-game-dir.ts sends one).
// Fixture: inline-script (its code is an inline <script>) fails under the policy and passes without it (so it
// is a real game); control: good-freeform passes under the policy, reached through a redirect.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor } from '../../lib/game-serving.ts';
import { PlaytestDocument } from '../../lib/playtest/document.ts';
import { chromiumAvailable } from '../browser/harness.ts';
import { FIXTURES_DIR } from './fixture-suite.ts';
import { cli } from './playtest-cli.ts';

/**
 * The fixture games folder over plain HTTP, with no CSP (under /own-policy/: with one that allows inline
 * scripts, unlike GAME_CSP); a folder without its slash is redirected.
 */
function plainServer(): Promise<Server> {
  const server = createServer((req, res) => {
    let pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname.includes('..')) return void res.writeHead(400).end();
    if (pathname.startsWith('/own-policy/')) {
      pathname = pathname.slice('/own-policy'.length);
      res.setHeader('content-security-policy', "default-src 'self' 'unsafe-inline'");
    }
    if (/^\/[\w-]+$/.test(pathname)) return void res.writeHead(301, { location: `${pathname}/` }).end();
    const file = path.join(FIXTURES_DIR, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': contentTypeFor(file) }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(!chromiumAvailable())('gamepocgen playtest --enforce-csp', { timeout: 300_000 }, () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = await plainServer();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server?.close(resolve)));

  it('the static server sends no CSP (what the play-test container sees at a slot address)', async () => {
    const r = await fetch(`${base}/inline-script/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBeNull();
  });

  it('fixture: an inline-script game fails under the policy the tester applies, and says so', async () => {
    const url = `${base}/inline-script/`;
    const r = await cli(url, '--enforce-csp', '--json', '--seconds', '8');
    expect(r.code).toBe(1);
    const d = PlaytestDocument.parse(JSON.parse(r.stdout));
    expect(d.servedAs).toEqual([{ mode: 'own-origin', url, csp: 'tester' }]);
    expect(d.passed).toBe(false);
    expect(d.checks.find((c) => c.id === 'starts')!.message).toMatch(
      /^only 0 animation frame\(s\) .*the game CSP players get \(script-src 'self'\) blocked an inline script/,
    );
    // The summary names who applied the policy.
    const s = await cli(url, '--enforce-csp', '--seconds', '4');
    expect(s.stdout).toMatch(
      /^play-test of http:\/\/127\.0\.0\.1:\d+\/inline-script\/ \(own-origin, CSP applied by the tester\)/,
    );
  });

  it('the same fixture passes without the policy: it is a real game, broken only by the CSP', async () => {
    const url = `${base}/inline-script/`;
    const r = await cli(url, '--json', '--seconds', '8');
    expect(r.stderr).toBe('');
    const d = PlaytestDocument.parse(JSON.parse(r.stdout));
    expect(d.checks.filter((c) => !c.passed && c.required)).toEqual([]);
    expect(r.code).toBe(0);
    expect(d.servedAs).toEqual([{ mode: 'own-origin', url, csp: 'none' }]);
  });

  it('control: good-freeform passes under the applied policy, reached through a redirect', async () => {
    const r = await cli(`${base}/good-freeform`, '--enforce-csp', '--json', '--seconds', '8');
    const d = PlaytestDocument.parse(JSON.parse(r.stdout));
    expect(d.checks.filter((c) => !c.passed && c.required)).toEqual([]);
    expect(r.code).toBe(0);
    expect(d.servedAs).toEqual([{ mode: 'own-origin', url: `${base}/good-freeform`, csp: 'tester' }]);
  });

  it('a policy the server sends is kept, never replaced: one allowing inline scripts lets the fixture play', async () => {
    const url = `${base}/own-policy/inline-script/`;
    const r = await cli(url, '--enforce-csp', '--json', '--seconds', '8');
    const d = PlaytestDocument.parse(JSON.parse(r.stdout));
    expect(d.checks.filter((c) => !c.passed && c.required)).toEqual([]);
    expect(d.servedAs).toEqual([{ mode: 'own-origin', url, csp: 'server' }]);
  });
});
