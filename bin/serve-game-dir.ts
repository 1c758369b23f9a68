// Serves a game folder on 127.0.0.1 the way production serves a slot: with the
// production game CSP on its own origin (`/`), and sandboxed to an opaque origin
// under `/play/0/` — the same code as functions/play.ts, not a copy of it.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { SANDBOXED_GAME_CSP, serveGameFile } from '../functions/play.ts';
import { GAME_CSP } from '../lib/game-serving.ts';

export interface ServedDir {
  /** Own origin, production CSP. */
  url: string;
  /** The /play/N/ variant: production CSP plus `sandbox`. */
  sandboxUrl: string;
  close(): Promise<void>;
}

export async function serveGameDir(dir: string): Promise<ServedDir> {
  const app = new Hono();
  app.get('/play/0/*', (c) =>
    serveGameFile(c, dir, new URL(c.req.url).pathname.slice('/play/0'.length), SANDBOXED_GAME_CSP),
  );
  app.get('*', (c) => serveGameFile(c, dir, new URL(c.req.url).pathname, GAME_CSP));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    sandboxUrl: `${base}/play/0/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
