// Fills a database with finished-looking jobs for the read benchmarks: each has
// four completed phase runs and a handful of artifacts; every tenth is a
// deployed game. Written through lib/ like the real pipeline writes them.
import { saveArtifacts } from '../lib/artifact-store.ts';
import type { Db } from '../lib/db.ts';
import { markDeployed, markIdeaDone, markJobRunning } from '../lib/jobs/lifecycle.ts';
import { finishPhaseRun, startPhaseRun } from '../lib/jobs/phase-runs.ts';
import { createJob } from '../lib/jobs/repository.ts';

/** Adds `count` jobs (numbered from `from`); returns their ids, oldest first. */
export async function seedJobs(db: Db, count: number, from = 1): Promise<number[]> {
  const ids: number[] = new Array(count);
  const one = async (i: number) => {
    const n = from + i;
    const id = await createJob(db, { idea: `bench idea ${n}: a game about ${n} falling blocks`, genre: null, seed: n });
    for (const phase of [1, 2, 3, 4] as const) {
      const run = await startPhaseRun(db, { jobId: id, phase, runtime: 'local', agent: 'builtin', workerId: 'bench' });
      await markJobRunning(db, id, phase, 'builtin');
      await finishPhaseRun(db, run, { status: 'completed', error: null, durationMs: 40, agentMs: 5, usage: {} });
    }
    await markIdeaDone(db, id, `Bench game ${n}`);
    await saveArtifacts(
      db,
      id,
      4,
      new Map([
        ['idea.json', Buffer.from(JSON.stringify({ title: `Bench game ${n}` }))],
        ['design.json', Buffer.alloc(1500, 'd')],
        ['plan.json', Buffer.alloc(800, 'p')],
        ['dist/index.html', Buffer.alloc(2000, 'h')],
        ['dist/game.js', Buffer.alloc(20000, 'j')],
      ]),
    );
    if (n % 10 === 0) await markDeployed(db, id, n % 100, `http://127.0.0.1/play/${n % 100}/`);
    ids[i] = id;
  };
  // A few at a time: the pool has room, and ids stay in creation order per batch.
  for (let i = 0; i < count; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, k) => one(i + k)));
  return ids;
}
