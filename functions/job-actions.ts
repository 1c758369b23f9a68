// The studio's actions on one job: cancel, retry, feedback (and its history),
// versions (and restoring one), and "put on a slot" for an archived game.
// Handlers validate and call lib/studio/; a refused action answers 404/409 in
// the error shape with a message saying why.
import { Hono } from 'hono';
import { z } from 'zod';
import { getJob } from '../lib/jobs/repository.ts';
import { cancelJob } from '../lib/studio/cancel.ts';
import { StudioError } from '../lib/studio/errors.ts';
import { FeedbackRequest, postFeedback } from '../lib/studio/feedback.ts';
import { feedbackView, listFeedback } from '../lib/studio/feedback-store.ts';
import { redeployJob, restoreVersion } from '../lib/studio/redeploy.ts';
import { retryJob } from '../lib/studio/retry.ts';
import { VERSION_LABEL, listVersions } from '../lib/studio/versions.ts';
import type { AppDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { jsonBody, pathId } from './validate.ts';

const Label = z.string().regex(VERSION_LABEL, 'a version label is lowercase letters, digits and dashes');

/** lib/studio refusals become HTTP errors in the documented shape. */
async function studio<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StudioError) throw new HttpError(e.status, e.code, e.message, e.details);
    throw e;
  }
}

export function createJobActionRoutes(deps: AppDeps) {
  const app = new Hono();
  const requireJob = async (id: number) => {
    const job = await getJob(deps.db, id);
    if (!job) throw new HttpError(404, 'job_not_found', `job ${id} does not exist`);
    return job;
  };

  // Read-your-writes: once an action has committed, this process's view cache forgets the job (and the list
  // pages) at once; other processes, and the job's comparison siblings, follow on the change notification.
  const changed = <T>(id: number, result: T): T => {
    deps.viewCache?.jobChanged(id);
    return result;
  };

  app.post('/:id/cancel', async (c) => {
    const id = pathId(c);
    return c.json(changed(id, await studio(() => cancelJob(deps.db, id))));
  });

  app.post('/:id/retry', async (c) => {
    const id = pathId(c);
    return c.json(changed(id, await studio(() => retryJob(deps.db, id))), 202);
  });

  app.post('/:id/feedback', async (c) => {
    const id = pathId(c);
    const body = await jsonBody(c, FeedbackRequest);
    const row = changed(id, await studio(() => postFeedback(deps.db, id, body.feedback)));
    return c.json({ feedback: feedbackView(row) }, 202);
  });

  app.get('/:id/feedback', async (c) => {
    const job = await requireJob(pathId(c));
    return c.json({ feedback: (await listFeedback(deps.db, job.id)).map(feedbackView) });
  });

  app.get('/:id/versions', async (c) => {
    const job = await requireJob(pathId(c));
    return c.json({ versions: await listVersions(deps.db, job.id) });
  });

  app.post('/:id/versions/:label/restore', async (c) => {
    const id = pathId(c);
    const label = Label.safeParse(c.req.param('label'));
    if (!label.success)
      throw new HttpError(400, 'invalid_version', `"${c.req.param('label').slice(0, 64)}" is not a version label`);
    return c.json(changed(id, await studio(() => restoreVersion(deps.db, id, label.data))), 202);
  });

  app.post('/:id/deploy', async (c) => {
    const id = pathId(c);
    return c.json(changed(id, await studio(() => redeployJob(deps.db, id))), 202);
  });

  return app;
}
