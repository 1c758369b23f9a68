// The gallery's pages with a job in their path: /jobs/:id (the job page) and
// /jobs/:id/how-to-play. Static files from gallery/; the scripts read the id
// from the address.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { ROOT_DIR } from '../lib/config.ts';

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
