// Local game serving: slot N at http://gamedemoN.localhost:PORT/ (its own origin)
// and at /play/N/ (sandboxed to an opaque origin). Generated games are untrusted:
// the CSP forbids every network request and inline script.
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { slotDir } from '../lib/deployers/releases.ts';
import { contentTypeFor, GAME_CSP } from '../lib/game-serving.ts';
import { SLOT_HOST } from '../lib/slot-names.ts';
import type { AppDeps } from './deps.ts';

/** Serves a slot when the Host header names one (gamedemoN.<anything>). */
export function slotHostMiddleware(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const match = SLOT_HOST.exec(c.req.header('host') ?? '');
    if (!match) return next();
    return serveSlotFile(c, deps, Number(match[1]), new URL(c.req.url).pathname, GAME_CSP);
  };
}

export function createPlayRoutes(deps: AppDeps) {
  const app = new Hono();
  app.get('/:slot{[0-9]{1,3}}', (c) => c.redirect(`/play/${c.req.param('slot')}/`, 301));
  app.get('/:slot{[0-9]{1,3}}/*', (c) => {
    const slot = Number(c.req.param('slot'));
    const rest = new URL(c.req.url).pathname.slice(`/play/${slot}`.length);
    // Same origin as the API, so the page gets an opaque origin of its own.
    return serveSlotFile(c, deps, slot, rest, `${GAME_CSP}; sandbox allow-scripts allow-pointer-lock`);
  });
  return app;
}

async function serveSlotFile(c: Context, deps: AppDeps, slot: number, urlPath: string, csp: string) {
  const headers = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
    'referrer-policy': 'no-referrer',
    // A sandboxed page has an opaque origin and fetches module scripts in CORS mode;
    // these are public static files, so any origin may read them.
    'access-control-allow-origin': '*',
  };
  if (slot >= deps.config.SLOTS) return c.text(`no slot ${slot} (this server has ${deps.config.SLOTS})`, 404, headers);
  const root = path.join(slotDir(deps.config.deployDir, slot), 'current');
  let rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  if (rel === 'favicon.ico') return c.body(null, 204, headers);
  try {
    const realRoot = await realpath(root);
    const file = await realpath(path.join(realRoot, rel));
    if (!file.startsWith(realRoot + path.sep)) throw new Error('outside the slot');
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    return c.body(new Uint8Array(await readFile(file)), 200, { ...headers, 'content-type': contentTypeFor(file) });
  } catch {
    return c.text(rel === 'index.html' ? `slot ${slot} has no game yet` : `not found: ${rel}`, 404, headers);
  }
}
