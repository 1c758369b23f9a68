// Every game stays playable: a game that lost its slot (recycled) is served
// from its stored dist/ artifacts at a stable per-job address, on an origin of
// its own — http://game-<id>.<host>/ — and at /archive/<id>/ (sandboxed to an
// opaque origin, like /play/N/). Same CSP and isolation as the slots.
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { getArtifact } from '../lib/artifact-store.ts';
import { getJob } from '../lib/jobs/repository.ts';
import { contentTypeFor, GAME_CSP } from '../lib/game-serving.ts';
import type { AppDeps } from './deps.ts';
import { SANDBOXED_GAME_CSP, gameHeaders } from './play.ts';

const ARCHIVE_HOST = /^game-(\d{1,15})\./i;
/** Statuses whose stored build is served (a removed game was deleted on purpose). */
const SERVED = new Set(['deployed', 'recycled', 'cancelled', 'failed']);

/** The stable archive URL of a job's game on this server. */
export function archiveUrl(deps: Pick<AppDeps, 'config'>, jobId: number): string {
  const { PUBLIC_URL, DOMAIN, PORT } = deps.config;
  if (PUBLIC_URL) return `${PUBLIC_URL.replace(/\/$/, '')}/archive/${jobId}/`;
  return DOMAIN === 'localhost' ? `http://game-${jobId}.localhost:${PORT}/` : `https://game-${jobId}.${DOMAIN}/`;
}

/** Serves an archived game when the Host header names one (game-<id>.<anything>). */
export function archiveHostMiddleware(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const match = ARCHIVE_HOST.exec(c.req.header('host') ?? '');
    if (!match) return next();
    return serveArchiveFile(c, deps, Number(match[1]), new URL(c.req.url).pathname, GAME_CSP);
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
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch {
    return c.text('bad path encoding', 400, headers);
  }
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  if (rel === 'favicon.ico') return c.body(null, 204, headers);
  if (rel.split('/').some((seg) => seg === '..' || seg === '.') || rel.includes('\0'))
    return c.text(`not found: ${rel.slice(0, 200)}`, 404, headers);
  const job = Number.isSafeInteger(jobId) ? await getJob(deps.db, jobId) : null;
  if (!job || !SERVED.has(job.status)) return c.text(`no archived game ${jobId}`, 404, headers);
  const file = await getArtifact(deps.db, jobId, `dist/${rel}`);
  if (!file)
    return c.text(
      rel === 'index.html' ? `job ${jobId} has no built game` : `not found: ${rel.slice(0, 200)}`,
      404,
      headers,
    );
  return c.body(new Uint8Array(file.bytes), 200, {
    ...headers,
    'content-type': contentTypeFor(rel),
    etag: `"${file.sha256}"`,
  });
}
