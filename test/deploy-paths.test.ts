// What deploy-game decides on each of its paths (a first deploy, a redeploy, a rollback, a forced one),
// for every state of a built job, with real Postgres and the local deployer: it publishes, keeps what a
// slot serves, refuses a build without dist/index.html with a readable reason, or does nothing. The
// first deploy's due case is decided in SQL (startDeployIfDue), the others from the same read.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Db } from '../lib/db.ts';
import { deployJob } from '../lib/deploy.ts';
import { createLocalDeployer } from '../lib/deployers/local.ts';
import { JOB_STATUSES, type JobStatus } from '../lib/jobs/lifecycle.ts';
import { poolClient } from '../lib/slot-keeper.ts';
import type { TaskDeps } from '../lib/task-deps.ts';
import { createTestDatabase } from './helpers/db.ts';
import { builtJob, builtStates, type BuiltState } from './helpers/job-states.ts';

let db: Db;
let drop: () => Promise<void>;
let dir: string;
let deps: TaskDeps;
beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPool(t.url, 4);
  dir = await mkdtemp(path.join(tmpdir(), 'deploy-paths-'));
  deps = {
    deployer: createLocalDeployer({ deployDir: path.join(dir, 'deploy'), port: 1 }),
    config: { workspaceDir: path.join(dir, 'work'), SLOTS: 4, PLAYTEST: 'off' },
    secrets: [],
  } as unknown as TaskDeps;
});
afterAll(async () => {
  await db?.end();
  await drop?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Path = 'first' | 'rollback' | 'force';
type Outcome = 'published' | 'kept' | 'refused: no index' | 'nothing';
const NO_INDEX = 'deploy failed: the build produced no dist/index.html';

/** The rule, in words: what deploy-game does on `path` for a job in `status` and `state`. */
function expected(path: Path, status: JobStatus, s: BuiltState): Outcome {
  const served = status === 'deployed' && s.served;
  const live = !['failed', 'removed', 'cancelled'].includes(status);
  const newer = s.build && !s.deployedAfter;
  if (path === 'rollback' && !served) return 'nothing'; // a rollback only replaces a served game's files
  if (path === 'first' && served && !newer) return 'kept'; // nothing newer: the slot keeps serving it
  if (!live) return 'nothing';
  if (path === 'first' && !newer) return 'nothing'; // no finished build that isn't deployed yet
  return s.index ? 'published' : 'refused: no index';
}

/** What deployJob did: its result, whether it wrote a `deployed` event, the job's status and error after. */
async function deploy(path: Path, id: number): Promise<{ outcome: Outcome; status: string }> {
  const events = async () =>
    (await db.query(`select count(*)::int n from gamepocgen.job_events where job_id = $1 and kind = 'deployed'`, [id]))
      .rows[0].n as number;
  const before = await events();
  const result = await deployJob(deps, poolClient(db), id, {
    ...(path === 'rollback' ? { rollbackTo: 1 } : {}),
    ...(path === 'force' ? { force: true } : {}),
  });
  const published = (await events()) > before;
  const { rows } = await db.query('select status, error from gamepocgen.jobs where id = $1', [id]);
  const job = rows[0] as { status: string; error: string | null };
  const outcome: Outcome =
    result === null ? (job.error === NO_INDEX ? 'refused: no index' : 'nothing') : published ? 'published' : 'kept';
  return { outcome, status: job.status };
}

describe('deploy-game on each path, for every state of a built job', () => {
  for (const path of ['first', 'rollback', 'force'] as const)
    it(`${path}: publishes, keeps, refuses or does nothing exactly as the rule says`, async () => {
      const disagreements: string[] = [];
      const seen = new Set<Outcome>();
      for (const status of JOB_STATUSES)
        for (const state of builtStates()) {
          const id = await builtJob(db, status, state);
          const { outcome, status: after } = await deploy(path, id);
          const want = expected(path, status, state);
          const label = `${status} ${JSON.stringify(state)}: ${outcome}, expected ${want}`;
          if (outcome !== want) disagreements.push(label);
          seen.add(outcome);
          // Each outcome leaves the job where it should be.
          const statusAfter = { published: 'deployed', 'refused: no index': 'failed', kept: status, nothing: status };
          expect(after, label).toBe(statusAfter[outcome]);
        }
      expect(disagreements).toEqual([]);
      // Not vacuous: the path publishes, refuses a build without an index, and does nothing somewhere.
      expect([...seen]).toEqual(expect.arrayContaining(['published', 'refused: no index', 'nothing']));
      if (path === 'first') expect(seen).toContain('kept');
    });
});
