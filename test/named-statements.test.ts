// The hand-off's statements are prepared once per connection (lib/db.ts namedStatement): the job read
// that starts a phase, the deploy's, and every add_job. A prepared statement keeps its result columns,
// so they name the job's columns (JOB_COLUMNS) rather than `j.*`: a migration that adds a column must
// not break a connection that prepared them before it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, namedStatement, runnerDatabaseUrl, type Db } from '../lib/db.ts';
import { startDeployIfDue, startPhaseIfDue } from '../lib/jobs/lifecycle.ts';
import { JOB_COLUMNS, JOB_VIEW_COLUMNS, createJob } from '../lib/jobs/repository.ts';
import { enqueueDeploy } from '../lib/queue/enqueue.ts';
import { createTestDatabase } from './helpers/db.ts';

let db: Db;
let url: string;
let drop: () => Promise<void>;
beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  url = t.url;
  db = createPool(t.url, 2);
});
afterAll(async () => {
  await db?.end();
  await drop?.();
});

const start = (jobId: number) => ({
  jobId,
  phase: 1 as const,
  agent: 'builtin',
  runtime: 'local',
  workerId: null,
  message: 'phase 1 started',
});

/** The statements prepared on this connection (Postgres's own view of the session). */
async function prepared(c: { query: Db['query'] }): Promise<string[]> {
  const { rows } = await c.query<{ statement: string }>('select statement from pg_prepared_statements');
  return rows.map((r) => r.statement);
}

describe('named statements', () => {
  it('gives one text one name, and two texts two names', () => {
    const a = namedStatement('select $1::int', [1]);
    expect(namedStatement('select $1::int', [2])).toEqual({ name: a.name, text: 'select $1::int', values: [2] });
    expect(namedStatement('select $1::text', [1]).name).not.toBe(a.name);
    expect(a.name).toMatch(/^gpg_[0-9a-f]{20}$/);
  });

  it('lists every column of gamepocgen.jobs in JOB_COLUMNS (or, the view JSON, JOB_VIEW_COLUMNS)', async () => {
    const { rows } = await db.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'gamepocgen' and table_name = 'jobs'`,
    );
    expect([...JOB_COLUMNS, ...JOB_VIEW_COLUMNS].sort()).toEqual(rows.map((r) => r.column_name).sort());
  });

  it('prepares the hand-off statements once per connection', async () => {
    const c = await db.connect();
    try {
      expect(await prepared(c)).toEqual([]); // the control: nothing is prepared until one runs
      for (let i = 0; i < 3; i++) {
        const id = await createJob(c, { idea: `prepared ${i}`, genre: null, seed: 1 });
        expect((await startPhaseIfDue(c, start(id)))?.runId).toEqual(expect.any(Number));
        await startDeployIfDue(c, id);
        await enqueueDeploy(c, id);
      }
      const statements = await prepared(c);
      expect(statements).toHaveLength(3);
      expect(statements.filter((s) => s.includes('insert into gamepocgen.phase_runs'))).toHaveLength(1);
      expect(statements.filter((s) => s.includes("status = 'deploying'"))).toHaveLength(1);
      expect(statements.filter((s) => s.includes('graphile_worker.add_job'))).toHaveLength(1);
    } finally {
      c.release();
    }
  });

  it('keeps working on a connection that prepared them before a migration added a column', async () => {
    const c = await db.connect();
    try {
      const first = await createJob(c, { idea: 'before', genre: null, seed: 1 });
      await startPhaseIfDue(c, start(first));
      await startDeployIfDue(c, first);
      await c.query('alter table gamepocgen.jobs add column added_later text');
      try {
        // With `j.*` these fail: "cached plan must not change result type", on every later run.
        const second = await createJob(c, { idea: 'after', genre: null, seed: 1 });
        const found = await startPhaseIfDue(c, start(second));
        expect(found?.job.idea).toBe('after');
        expect(found?.runId).toEqual(expect.any(Number));
        expect(found?.job).not.toHaveProperty('added_later');
        expect((await startDeployIfDue(c, second))?.job.id).toBe(second);
      } finally {
        await c.query('alter table gamepocgen.jobs drop column added_later');
      }
    } finally {
      c.release();
    }
  });

  it("plans them once on a runner's connection (generic plans), where a default session re-plans each run", async () => {
    /** How the hand-off's first statement was planned on this connection so far. */
    const plans = async (c: { query: Db['query'] }) => {
      const { rows } = await c.query<{ generic_plans: number; custom_plans: number }>(
        `select generic_plans::int, custom_plans::int from pg_prepared_statements where statement like '%insert into gamepocgen.phase_runs%'`,
      );
      return rows[0];
    };
    for (const [sessionUrl, expected] of [
      [url, { generic_plans: 0, custom_plans: 2 }], // the control: Postgres's default for a young session
      [runnerDatabaseUrl(url), { generic_plans: 2, custom_plans: 0 }],
    ] as const) {
      const c = new pg.Client({ connectionString: sessionUrl });
      await c.connect();
      try {
        for (let i = 0; i < 2; i++) {
          const id = await createJob(c, { idea: `plans ${i}`, genre: null, seed: 1 });
          expect((await startPhaseIfDue(c, start(id)))?.runId).toEqual(expect.any(Number));
        }
        expect(await plans(c)).toEqual(expected);
      } finally {
        await c.end();
      }
    }
  });

  it("adds the runner's plan setting to a URL's own options, and leaves an operator's plan_cache_mode alone", () => {
    const url = new URL(
      runnerDatabaseUrl('postgres://u:p%40ss@db:5432/app?sslmode=require&options=-c%20search_path%3Dx'),
    );
    expect(url.password).toBe('p%40ss');
    expect(url.searchParams.get('sslmode')).toBe('require');
    expect(url.searchParams.get('options')).toBe('-c search_path=x -c plan_cache_mode=force_generic_plan');
    const own = 'postgres://u:p@db/app?options=-c%20plan_cache_mode%3Dauto';
    expect(runnerDatabaseUrl(own)).toBe(own);
  });
});
