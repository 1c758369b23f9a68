// Jobs put straight into a state for the tests of what a step decides from it (test/handoff-start.test.ts,
// test/deploy-paths.test.ts): a status, completed phase runs, dist/ artifacts, a slot, a last deploy.
import type { Queryable } from '../../lib/db.ts';
import type { JobStatus } from '../../lib/jobs/lifecycle.ts';
import { createJob } from '../../lib/jobs/repository.ts';

/** A job in `status` with a completed run of `phase` (done) and of the phase before (previousDone). */
export async function jobIn(
  db: Queryable,
  status: JobStatus,
  phase: number,
  opts: { done: boolean; previousDone: boolean; provider?: string },
): Promise<number> {
  const id = await createJob(db, { idea: `${status} ${phase}`, genre: null, seed: 1 });
  await db.query('update gamepocgen.jobs set status = $2, provider = $3 where id = $1', [
    id,
    status,
    opts.provider ?? null,
  ]);
  for (const [p, completed] of [
    [phase, opts.done],
    [phase - 1, opts.previousDone],
  ] as const)
    if (completed && p >= 1)
      await db.query(
        `insert into gamepocgen.phase_runs (job_id, phase, status, runtime, finished_at) values ($1, $2, 'completed', 'local', now())`,
        [id, p],
      );
  return id;
}

export interface BuiltState {
  /** It has a slot and a url (with status deployed: a game being served, so a deploy is a redeploy). */
  served: boolean;
  /** The build (phase 4) completed. */
  build: boolean;
  /** dist/ holds an index.html (it always holds another file: only index.html makes a build deployable). */
  index: boolean;
  /** Its last deploy came after the build (so the build is not newer). */
  deployedAfter: boolean;
}

/** A job in `status` after its build phase, in the state `o` describes. */
export async function builtJob(db: Queryable, status: JobStatus, o: BuiltState): Promise<number> {
  const id = await jobIn(db, status, 4, { done: o.build, previousDone: true });
  for (const file of o.index ? ['dist/game.js', 'dist/index.html'] : ['dist/game.js'])
    await db.query(
      `insert into gamepocgen.artifacts (job_id, path, bytes, sha256, phase) values ($1, $2, '\\x3c68746d6c3e', 'x', 4)`,
      [id, file],
    );
  if (o.served || o.deployedAfter)
    await db.query(
      `update gamepocgen.jobs set slot = case when $2 then 1 end, url = case when $2 then 'http://g1' end,
         deployed_at = case when $3 then now() + interval '1 hour' end where id = $1`,
      [id, o.served, o.deployedAfter],
    );
  return id;
}

/** Every combination of a built job's state. */
export function* builtStates(): Generator<BuiltState> {
  for (const served of [false, true])
    for (const build of [false, true])
      for (const index of [false, true])
        for (const deployedAfter of [false, true]) yield { served, build, index, deployedAfter };
}
