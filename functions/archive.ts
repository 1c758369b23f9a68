// Every game stays playable: a game that lost its slot (recycled) is served
// from its stored dist/ artifacts at a stable per-job address, on an origin of
// its own — http://game-<id>.<host>/ — and at /archive/<id>/ (sandboxed to an
// opaque origin, like /play/N/). Same CSP, framing rule and isolation as the slots.
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { getArtifact } from '../lib/artifact-store.ts';
import { contentTypeFor } from '../lib/game-serving.ts';
import { getJob } from '../lib/jobs/repository.ts';
import type { AppDeps } from './deps.ts';
import { requestHost } from './guard.ts';
import type { HostPolicy } from './hosts.ts';
import { framedGameCsp, gameFileFailure, gameHeaders, SANDBOXED_GAME_CSP } from './play.ts';
import { decodePath } from './validate.ts';

/** Statuses whose stored build is served (a removed game was deleted on purpose). */
const SERVED = new Set(['deployed', 'recycled', 'cancelled', 'failed']);

/** The stable archive URL of a job's game on this server. */
export function archiveUrl(deps: Pick<AppDeps, 'config'>, jobId: number): string {
  const { prefix, suffix } = archiveUrlParts(deps);
  return `${prefix}${jobId}${suffix}`;
}

/** The archive URL around the job id (for views whose JSON Postgres builds: lib/jobs/views.ts). */
export function archiveUrlParts(deps: Pick<AppDeps, 'config'>): { prefix: string; suffix: string } {
  const { PUBLIC_URL, DOMAIN, PORT } = deps.config;
  if (PUBLIC_URL) return { prefix: `${PUBLIC_URL.replace(/\/$/, '')}/archive/`, suffix: '/' };
  return DOMAIN === 'localhost'
    ? { prefix: 'http://game-', suffix: `.localhost:${PORT}/` }
    : { prefix: 'https://game-', suffix: `.${DOMAIN}/` };
}

/** Serves an archived game when the Host header names one (game-<id>.localhost or game-<id>.DOMAIN). */
export function archiveHostMiddleware(deps: AppDeps, policy: HostPolicy): MiddlewareHandler {
  const csp = framedGameCsp(policy);
  return async (c, next) => {
    const host = policy.classify(requestHost(c));
    if (host.kind !== 'archive') return next();
    return serveArchiveFile(c, deps, host.jobId, new URL(c.req.url).pathname, csp);
  };
}

export function createArchiveRoutes(deps: AppDeps) {
  const app = new Hono();
  app.get('/:id{[0-9]{1,15}}', (c) => c.redirect(`/archive/${c.req.param('id')}/`, 301));
  app.get('/:id{[0-9]{1,15}}/*', (c) => {
    const id = Number(c.req.param('id'));
    const rest = new URL(c.req.url).pathname.slice(`/archive/${c.req.param('id')}`.length);
    return serveArchiveFile(c, deps, id, rest, SANDBOXED_GAME_CSP);
  });
  return app;
}

async function serveArchiveFile(c: Context, deps: AppDeps, jobId: number, urlPath: string, csp: string) {
  const headers = gameHeaders(csp);
  const fail = gameFileFailure(c, headers);
  const decoded = decodePath(urlPath);
  if (!decoded.ok) return fail(400, 'invalid_path', decoded.message);
  let rel = decoded.path.replace(/^\/+/, '');
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  if (rel === 'favicon.ico') return c.body(null, 204, headers);
  if (rel.split('/').some((seg) => seg === '..' || seg === '.') || rel.includes('\0'))
    return fail(404, 'file_not_found', `archived game ${jobId} has no file "${rel.slice(0, 200)}"`);
  const job = Number.isSafeInteger(jobId) ? await getJob(deps.db, jobId) : null;
  if (!job || !SERVED.has(job.status)) return fail(404, 'no_archived_game', `no archived game ${jobId}`);
  const file = await getArtifact(deps.db, jobId, `dist/${rel}`);
  if (!file)
    return rel === 'index.html'
      ? fail(404, 'no_game', `job ${jobId} has no built game`)
      : fail(404, 'file_not_found', `archived game ${jobId} has no file "${rel.slice(0, 200)}"`);
  return c.body(new Uint8Array(file.bytes), 200, {
    ...headers,
    'content-type': contentTypeFor(rel),
    etag: `"${file.sha256}"`,
  });
}
