// /api/generate and /api/jobs: start games, list and inspect jobs, read their
// logs (or follow them live) and their artifacts.
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { z } from 'zod';
import { providerEnv } from '../lib/llm/providers.ts';
import { getArtifact, listArtifacts } from '../lib/artifact-store.ts';
import { providerSettings } from '../lib/config.ts';
import { listEvents } from '../lib/events.ts';
import { GenerateRequest, QueueFullError, generateGames } from '../lib/generate.ts';
import { JOB_STATUSES, isFinished } from '../lib/jobs/lifecycle.ts';
import { getJob, isSettled } from '../lib/jobs/repository.ts';
import { listKey, viewOf } from '../lib/jobs/view-cache.ts';
import { JOB_LIST_MAX, jobDetailFormat, jobDetailJson, jobListJson, jobVersion } from '../lib/jobs/views.ts';
import {
  bodyTag,
  cachedJsonText,
  heldVersions,
  jsonWithTag,
  notModified,
  taggedJson,
  versionTag,
} from './cached-json.ts';
import type { AppDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { serializeEvent, streamJobEvents } from './sse.ts';
import { decodePath, jsonBody, pathId, query } from './validate.ts';
import { contentTypeFor } from '../lib/game-serving.ts';
import { archiveUrlParts } from './archive.ts';
import { Genre } from '../lib/artifacts.ts';

export const ListQuery = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  genre: Genre.optional(),
  limit: z.coerce.number().int().min(1).max(JOB_LIST_MAX).default(50),
  cursor: z.coerce.number().int().positive().optional(),
});

export const LogsQuery = z.object({
  follow: z.enum(['0', '1', 'true', 'false']).optional(),
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

/** What a full queue tells the client to wait: about one phase's time. */
const QUEUE_RETRY_AFTER_SECONDS = 30;

export function createJobRoutes(deps: AppDeps) {
  const app = new Hono();

  const requireJob = async (id: number) => {
    const job = await getJob(deps.db, id);
    if (!job) throw new HttpError(404, 'job_not_found', `job ${id} does not exist`);
    return job;
  };

  app.post('/generate', async (c) => {
    const body = await jsonBody(c, GenerateRequest);
    for (const spec of [...(body.compare ?? []), ...(body.provider ? [body.provider] : [])]) {
      try {
        providerEnv(spec, providerSettings(deps.config));
      } catch (e) {
        throw new HttpError(400, 'llm_not_configured', (e as Error).message);
      }
    }
    let jobIds: number[];
    try {
      jobIds = await generateGames(deps.db, body, { maxQueued: deps.config.MAX_QUEUED });
    } catch (e) {
      if (!(e instanceof QueueFullError)) throw e;
      c.header('retry-after', String(QUEUE_RETRY_AFTER_SECONDS));
      throw new HttpError(429, e.code, e.message, { active: e.active, limit: e.limit });
    }
    deps.viewCache?.listsChanged(); // read-your-writes: the new jobs are on the next list read
    return c.json({ jobIds, jobs: jobIds.map((id) => ({ id, url: `/api/jobs/${id}` })) }, 201);
  });

  // The reads the gallery, job page and CLI repeat: one query each, ETag/304, gzip when accepted and large.
  app.use('/jobs', compress());
  app.use('/jobs/:id', compress());

  // Postgres writes these two bodies (lib/jobs/views.ts); the API hashes and sends the text as it comes.
  // With the view cache (lib/jobs/view-cache.ts) an unchanged view is answered from memory, tag included.
  const archive = archiveUrlParts(deps);
  const cache = deps.viewCache;
  app.get('/jobs', async (c) => {
    const q = query(c, ListQuery);
    const filter = { status: q.status, genre: q.genre, limit: q.limit, before: q.cursor };
    if (!cache) return cachedJsonText(c, await jobListJson(deps.db, filter, archive));
    const page = await cache.list(listKey(filter), async () => {
      const json = await jobListJson(deps.db, filter, archive);
      return viewOf(json, bodyTag(json));
    });
    return taggedJson(c, page.body, page.version);
  });

  // Tagged by the job's version: an If-None-Match that holds it gets a 304 from the version alone, no view built.
  const detailFormat = jobDetailFormat(archive);
  app.get('/jobs/:id', async (c) => {
    const id = pathId(c);
    const held = heldVersions(c.req.header('if-none-match'), detailFormat);
    if (cache) {
      // Kept views carry their version: a 304 and a 200 cost the same (nothing, on a hit).
      const detail = await cache.job(id, async () => {
        const d = await jobDetailJson(deps.db, id, archive);
        return d && viewOf(d.json, d.version);
      });
      if (detail === null) throw new HttpError(404, 'job_not_found', `job ${id} does not exist`);
      const tag = versionTag(detailFormat, detail.version);
      if (held.includes(detail.version) || held.includes('*')) return notModified(c, tag);
      return jsonWithTag(c, detail.body, tag);
    }
    const current = held.length ? await jobVersion(deps.db, id) : null;
    if (current !== null && (held.includes(current) || held.includes('*')))
      return notModified(c, versionTag(detailFormat, current));
    const detail = await jobDetailJson(deps.db, id, archive);
    if (detail === null) throw new HttpError(404, 'job_not_found', `job ${id} does not exist`);
    return jsonWithTag(c, detail.json, versionTag(detailFormat, detail.version));
  });

  app.get('/jobs/:id/logs', async (c) => {
    const job = await requireJob(pathId(c));
    const q = query(c, LogsQuery);
    if (q.follow === '1' || q.follow === 'true') {
      const lastEventId = Number(c.req.header('last-event-id'));
      return streamJobEvents(c, deps, {
        jobId: job.id,
        afterId: Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : q.after,
        // Finished: a status nothing follows, or a deployed game whose chain (play-test, repair) has settled.
        isFinished: async () => {
          const status = (await getJob(deps.db, job.id))?.status ?? 'removed';
          return isFinished(status) || (status === 'deployed' && (await isSettled(deps.db, job.id)));
        },
      });
    }
    const events = await listEvents(deps.db, { jobId: job.id, afterId: q.after, limit: q.limit });
    return c.json({ events: events.map(serializeEvent) });
  });

  app.get('/jobs/:id/artifacts', async (c) => {
    const job = await requireJob(pathId(c));
    const artifacts = await listArtifacts(deps.db, job.id);
    return c.json({
      artifacts: artifacts.map((a) => ({ path: a.path, size: a.size, sha256: a.sha256, phase: a.phase })),
    });
  });

  app.get('/jobs/:id/artifacts/*', async (c) => {
    const job = await requireJob(pathId(c));
    // The raw path after /api/jobs/:id/artifacts/, decoded once (a bad escape is a 400, not a crash).
    const decoded = decodePath(new URL(c.req.url).pathname.split('/').slice(5).join('/'));
    if (!decoded.ok) throw new HttpError(400, 'invalid_path', decoded.message);
    const path = decoded.path;
    const artifact = path ? await getArtifact(deps.db, job.id, path) : null;
    if (!artifact)
      throw new HttpError(404, 'artifact_not_found', `job ${job.id} has no artifact "${path.slice(0, 200)}"`);
    // Served as downloads with a locked-down CSP: artifacts are untrusted content.
    return c.body(new Uint8Array(artifact.bytes), 200, {
      'content-type': contentTypeFor(path, true),
      etag: `"${artifact.sha256}"`,
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff',
    });
  });

  return app;
}
