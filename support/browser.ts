// Browser support shared by the tests and the benches: serves a built dist/ from 127.0.0.1
// with the production game CSP and content types (lib/game-serving.ts), optionally
// sandboxed, and launches Debian's Chromium (lib/playtest/browser.ts CHROMIUM_PATH) via playwright-core.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { contentTypeFor, GAME_CSP } from '../lib/game-serving.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM } from '../lib/playtest/browser.ts';

/** True when the browser suite can run; in CI a missing Chromium is a failure, not a skip. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: the browser suite cannot be skipped in CI`);
  return false;
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `root` (a dist/ directory) with the game CSP. */
export async function serveDist(root: string, opts: { sandbox?: boolean } = {}): Promise<StaticServer> {
  const base = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(base, '.' + rel);
    if (!file.startsWith(base + path.sep)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': contentTypeFor(file),
        'content-security-policy': opts.sandbox ? `${GAME_CSP}; sandbox allow-scripts` : GAME_CSP,
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
}
