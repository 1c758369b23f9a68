// The gallery's pages with a job in their path: /jobs/:id (the job page) and
// /jobs/:id/how-to-play. Static files from gallery/; the scripts read the id
// from the address. /slots/:slot/how-to-play sends a game's pause screen on to
// the How to play page of whatever game its slot holds now.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { ROOT_DIR } from '../lib/config.ts';
import { slotOwner } from '../lib/slots.ts';
import type { AppDeps } from './deps.ts';
import { HttpError } from './errors.ts';

const GALLERY = path.join(ROOT_DIR, 'gallery');

export function createPageRoutes() {
  const app = new Hono();
  const page = (file: string) => async () =>
    new Response(await readFile(path.join(GALLERY, file)), {
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
    });
  app.get('/:id{[0-9]{1,15}}', page('job.html'));
  app.get('/:id{[0-9]{1,15}}/how-to-play', page('howto.html'));
  return app;
}

/** A slot's game does not know its job: its pause screen links here (framework/ui/how-to-play-link.js). */
export function createSlotPageRoutes(deps: Pick<AppDeps, 'db'>) {
  const app = new Hono();
  app.get('/:slot{[0-9]{1,3}}/how-to-play', async (c) => {
    const slot = Number(c.req.param('slot'));
    const jobId = await slotOwner(deps.db, slot);
    if (jobId === null)
      throw new HttpError(404, 'slot_empty', `slot ${slot} holds no game now; the gallery at / lists every game`);
    return c.redirect(`/jobs/${jobId}/how-to-play`, 302);
  });
  return app;
}
