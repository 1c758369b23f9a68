// /api/games: the deployed games, and removing one (which frees its slot).
import { Hono } from 'hono';
import { removeGame } from '../lib/games.ts';
import { jobView } from '../lib/job-view.ts';
import { getJob, listGames } from '../lib/jobs/repository.ts';
import type { AppDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { pathId } from './validate.ts';

export function createGameRoutes(deps: AppDeps) {
  const app = new Hono();

  app.get('/', async (c) => {
    const games = await listGames(deps.db);
    // /play/N/ is served from this process's DEPLOY_DIR; under DEPLOY=docker the slot container serves the game.
    const playUrl = (g: (typeof games)[number]) =>
      deps.config.DEPLOY === 'docker' && g.url ? g.url : `/play/${g.slot}/`;
    return c.json({ games: games.map((g) => ({ ...jobView(g), playUrl: playUrl(g) })) });
  });

  app.delete('/:id', async (c) => {
    const id = pathId(c);
    const job = await getJob(deps.db, id);
    if (!job) throw new HttpError(404, 'job_not_found', `job ${id} does not exist`);
    if (job.status !== 'deployed')
      throw new HttpError(409, 'not_deployed', `job ${id} is ${job.status}, not a deployed game`);
    const slot = await removeGame(deps.db, id);
    deps.viewCache?.jobChanged(id); // read-your-writes (lib/jobs/view-cache.ts)
    return c.json({ removed: id, freedSlot: slot });
  });

  return app;
}
