// The play-test session against hand-made pages in real Chromium: what it
// records when a page hangs its main thread, reaches off its origin, or isn't
// served at all — the cases a generated game gets wrong that the builtin kits never do.
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedBrowser } from '../lib/playtest/browser.ts';
import { judgeGame, type JudgeOptions, PlaytestAbortedError, PlaytestUnreachableError } from '../lib/playtest/judge.ts';
import { freePort } from '../support/free-port.ts';
import { chromiumAvailable } from './browser/harness.ts';

const describeBrowser = chromiumAvailable() ? describe : describe.skip; // throws in CI when missing
const provider = sharedBrowser();
let server: http.Server;
let base: string;
let closedPort: number;

// Pages by path; no CSP here, so a page's own requests are what the session sees.
const PAGES: Record<string, string> = {
  '/hang/': '<!doctype html><canvas width="960" height="540"></canvas><script src="/hang.js"></script>',
  '/hang.js': 'addEventListener("load", () => setTimeout(() => { for (;;) {} }, 100));',
  '/foreign/': '', // filled in once the closed port is known
};

beforeAll(async () => {
  closedPort = await freePort(); // nothing listens there now
  PAGES['/foreign/'] = `<!doctype html><canvas></canvas><img src="http://127.0.0.1:${closedPort}/pixel.png">`;
  server = http.createServer((req, res) => {
    const body = PAGES[req.url ?? ''];
    if (body === undefined) return void res.writeHead(404).end('no game here');
    res.writeHead(200, { 'content-type': req.url!.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  await provider.close();
  await new Promise((r) => server?.close(r));
});

const play = (path: string, opts: JudgeOptions = {}) =>
  provider.use((b) =>
    judgeGame(b!, [{ mode: 'own-origin', url: `${base}${path}` }], { seconds: 2, bootTimeoutMs: 1500, ...opts }),
  );

describeBrowser('a play-test session', { timeout: 240_000 }, () => {
  it('reports a page that blocks its main thread as unresponsive, within the deadline', async () => {
    const { document: verdict } = await play('/hang/', { deadlineMs: 4000 });
    expect(verdict.passed).toBe(false);
    expect(verdict.checks.find((c) => c.id === 'loads')).toMatchObject({
      passed: false,
      message: expect.stringMatching(/^the page stopped responding: the session got no answer within 4000 ms/),
    });
  });

  it('records requests that leave the game origin', async () => {
    const { document: verdict } = await play('/foreign/');
    expect(verdict.foreignRequests).toEqual([`http://127.0.0.1:${closedPort}/pixel.png`]);
    // An empty canvas, no frames: it never starts, and its one request left the origin.
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(
      expect.arrayContaining(['offline', 'starts']),
    );
  });

  it('calls a URL that serves no game unreachable, which is not a defect of the game', async () => {
    await expect(play('/nothing/')).rejects.toThrow(PlaytestUnreachableError);
    await expect(play('/nothing/')).rejects.toThrow(/answered HTTP 404: the game is not served there/);
  });

  it('stops on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(play('/foreign/', { signal: controller.signal })).rejects.toThrow(PlaytestAbortedError);
  });
});
