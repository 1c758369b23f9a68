// Local game serving: slot N at http://gamedemoN.localhost:PORT/ (its own origin)
// and at /play/N/ (sandboxed to an opaque origin). Generated games are untrusted:
// the CSP forbids every network request and inline script.
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { slotDir } from '../lib/deployers/releases.ts';
import { contentTypeFor, GAME_CSP } from '../lib/game-serving.ts';
import type { AppDeps } from './deps.ts';
import { errorResponse } from './errors.ts';
import { requestHost } from './guard.ts';
import type { HostPolicy } from './hosts.ts';
import { decodePath } from './validate.ts';

/** Serves a slot when the Host header names one (gamedemoN.localhost or gamedemoN.DOMAIN). */
export function slotHostMiddleware(deps: AppDeps, policy: HostPolicy): MiddlewareHandler {
  const csp = framedGameCsp(policy);
  return async (c, next) => {
    const host = policy.classify(requestHost(c));
    if (host.kind !== 'slot') return next();
    return serveSlotFile(c, deps, host.slot, new URL(c.req.url).pathname, csp);
  };
}

export function createPlayRoutes(deps: AppDeps) {
  const app = new Hono();
  app.get('/:slot{[0-9]{1,3}}', (c) => c.redirect(`/play/${c.req.param('slot')}/`, 301));
  app.get('/:slot{[0-9]{1,3}}/*', (c) => {
    const slot = Number(c.req.param('slot'));
    const rest = new URL(c.req.url).pathname.slice(`/play/${slot}`.length);
    // Same origin as the API, so the page gets an opaque origin of its own.
    return serveSlotFile(c, deps, slot, rest, SANDBOXED_GAME_CSP);
  });
  return app;
}

/** Headers every served game file carries (slots and the archive, functions/archive.ts). */
export function gameHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
    'referrer-policy': 'no-referrer',
    // A sandboxed page has an opaque origin and fetches module scripts in CORS mode;
    // these are public static files, so any origin may read them.
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
  };
}

/** The CSP of a game on its own origin (gamedemoN.*, game-<id>.*): the app's own pages may frame it. */
export function framedGameCsp(policy: HostPolicy): string {
  return `${GAME_CSP}; frame-ancestors ${policy.frameAncestors.join(' ')}`;
}

/** The sandboxed variant for same-origin paths (/play/N/, /archive/ID/): the page gets an opaque origin. */
export const SANDBOXED_GAME_CSP = `${GAME_CSP}; frame-ancestors 'self'; sandbox allow-scripts allow-pointer-lock`;

/** An error-shaped game-file failure that keeps the game headers (CSP, nosniff). */
export function gameFileFailure(c: Context, headers: Record<string, string>) {
  return (status: 400 | 404, code: string, message: string) => {
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    return errorResponse(c, status, code, message);
  };
}

async function serveSlotFile(c: Context, deps: AppDeps, slot: number, urlPath: string, csp: string) {
  if (slot >= deps.config.SLOTS)
    return gameFileFailure(c, gameHeaders(csp))(
      404,
      'slot_not_found',
      `no slot ${slot} (this server has ${deps.config.SLOTS})`,
    );
  return serveGameFile(c, path.join(slotDir(deps.config.deployDir, slot), 'current'), urlPath, csp, `slot ${slot}`);
}

/** Serves one file of a game folder (`root`) with the game headers; also used by `gamepocgen playtest <dir>`. */
export async function serveGameFile(c: Context, root: string, urlPath: string, csp: string, name = 'this folder') {
  const headers = gameHeaders(csp);
  const fail = gameFileFailure(c, headers);
  const decoded = decodePath(urlPath);
  if (!decoded.ok) return fail(400, 'invalid_path', decoded.message);
  let rel = decoded.path.replace(/^\/+/, '');
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  if (rel === 'favicon.ico') return c.body(null, 204, headers);
  try {
    const realRoot = await realpath(root);
    const file = await realpath(path.join(realRoot, rel));
    if (!file.startsWith(realRoot + path.sep)) throw new Error('outside the slot');
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    return c.body(new Uint8Array(await readFile(file)), 200, { ...headers, 'content-type': contentTypeFor(file) });
  } catch {
    return rel === 'index.html'
      ? fail(404, 'no_game', `${name} has no game yet`)
      : fail(404, 'file_not_found', `${name}'s game has no file "${rel.slice(0, 200)}"`);
  }
}
