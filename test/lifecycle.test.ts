// The job lifecycle's tables, without a database: the task chain (nextStep), the
// phases table, the status sets, the job-key format (also built in SQL) and the
// task registry against the task files the graphile-worker CLI loads.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../lib/config.ts';
import { nextStep } from '../lib/jobs/chain.ts';
import { FINISHED_STATUSES, JOB_STATUSES, OUTCOME_STATUSES, hasOutcome, isFinished } from '../lib/jobs/lifecycle.ts';
import { DIST_PHASES, PHASES, readsFramework, writesDist } from '../lib/phases.ts';
import { jobKeys } from '../lib/queue/keys.ts';
import { TASKS } from '../lib/queue/tasks.ts';

describe('the task chain', () => {
  it('runs the phases in order, then deploys after the build and after the repair', () => {
    expect(nextStep({ after: 'run-phase', phase: 1 })).toEqual({ task: 'run-phase', phase: 2 });
    expect(nextStep({ after: 'run-phase', phase: 2 })).toEqual({ task: 'run-phase', phase: 3 });
    expect(nextStep({ after: 'run-phase', phase: 3 })).toEqual({ task: 'run-phase', phase: 4 });
    expect(nextStep({ after: 'run-phase', phase: 4 })).toEqual({ task: 'deploy-game' });
    expect(nextStep({ after: 'run-phase', phase: 5 })).toEqual({ task: 'deploy-game' });
  });

  it('play-tests after a deploy only when play-testing is on', () => {
    expect(nextStep({ after: 'deploy-game', playtest: true })).toEqual({ task: 'playtest-game' });
    expect(nextStep({ after: 'deploy-game', playtest: false })).toBeNull();
  });

  it("follows the repair loop's decision: repair k, a rollback deploy (never play-tested again), or the end", () => {
    expect(nextStep({ after: 'playtest-game', round: 2, next: { repair: 2 } })).toEqual({
      task: 'run-phase',
      phase: 5,
      repair: 2,
    });
    expect(nextStep({ after: 'playtest-game', round: 2, next: { rollbackTo: 1 } })).toEqual({
      task: 'deploy-game',
      rollback: { to: 1, after: 2 },
    });
    expect(nextStep({ after: 'playtest-game', round: 3, next: null })).toBeNull();
  });
});

describe('the phases table', () => {
  it('says which phases write dist/ and read the framework', () => {
    expect(DIST_PHASES).toEqual([4, 5]);
    expect([1, 2, 3].map((p) => writesDist(p as 1 | 2 | 3))).toEqual([false, false, false]);
    expect([1, 2, 3, 4, 5].filter((p) => readsFramework(p as 1))).toEqual([3, 4, 5]);
    expect(Object.values(PHASES).map((p) => p.name)).toEqual(['idea', 'design', 'plan', 'build', 'repair']);
  });
});

describe('job statuses', () => {
  it('has one finished set, and deployed is an outcome but not finished', () => {
    expect(FINISHED_STATUSES).toEqual(['failed', 'recycled', 'removed', 'cancelled']);
    expect(isFinished('deployed')).toBe(false);
    expect(hasOutcome('deployed')).toBe(true);
    for (const s of ['queued', 'running', 'deploying']) {
      expect(isFinished(s)).toBe(false);
      expect(hasOutcome(s)).toBe(false);
    }
    for (const s of FINISHED_STATUSES) expect(hasOutcome(s)).toBe(true);
    expect(OUTCOME_STATUSES.every((s) => JOB_STATUSES.includes(s))).toBe(true);
  });

  it('allows exactly the statuses the table constraint allows', async () => {
    // The constraint as the last migration that (re)defines it leaves it (007_studio.sql added `cancelled`).
    const dir = path.join(ROOT_DIR, 'migrations');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
    let check = '';
    for (const f of files) {
      const sql = await readFile(path.join(dir, f), 'utf8');
      const m = /check \(status in \(([^)]*)\)\)/.exec(sql.split('create table gamepocgen.phase_runs')[0]!);
      if (m) check = m[1]!;
    }
    expect(check.split(',').map((s) => s.trim().replace(/'/g, ''))).toEqual([...JOB_STATUSES]);
  });
});

describe('job keys', () => {
  it('builds the phase-1 key in SQL in the same format as jobKeys.phase', async () => {
    const sql = await readFile(path.join(ROOT_DIR, 'migrations/002_generate_game.sql'), 'utf8');
    // The SQL concatenation, evaluated for job 42: quoted parts literally, new_id as 42.
    const expr = /job_key := ([^,]+),/.exec(sql)?.[1];
    expect(expr).toBeDefined();
    const rendered = expr!
      .split('||')
      .map((part) => part.trim())
      .map((part) => (part === 'new_id' ? '42' : /^'(.*)'$/.exec(part)![1]))
      .join('');
    expect(rendered).toBe(jobKeys.phase(42, 1));
  });

  it('puts every step of a job under one prefix, and the slot removal outside it', () => {
    const like = (key: string, pattern: string) =>
      new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`).test(key);
    const any = jobKeys.anyStepOf(7);
    for (const key of [
      jobKeys.phase(7, 3),
      jobKeys.repair(7, 2),
      jobKeys.deploy(7),
      jobKeys.rollback(7, 2),
      jobKeys.playtest(7, 2),
    ])
      expect(like(key, any)).toBe(true);
    expect(like(jobKeys.phase(70, 1), any)).toBe(false);
    expect(like(jobKeys.removeGame(1, 7), any)).toBe(false);
  });
});

describe('the task registry', () => {
  it('names exactly the task files in tasks/', async () => {
    const files = (await readdir(path.join(ROOT_DIR, 'tasks'))).filter((f) => f.endsWith('.ts'));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(Object.keys(TASKS).sort());
  });

  it('rejects a payload the task could not run', () => {
    expect(TASKS['run-phase'].safeParse({ jobId: 1, phase: 9 }).success).toBe(false);
    expect(TASKS['run-phase'].safeParse({ jobId: 1, phase: 2 }).success).toBe(true);
    expect(TASKS['remove-game'].safeParse({ jobId: 1 }).success).toBe(false);
  });
});

describe('where the queries live', () => {
  /** Files (outside their home folder) whose text names a table or schema that has one home. */
  const misplaced = (files: Map<string, string>) =>
    [...files]
      .flatMap(([file, text]) => [
        ...(/gamepocgen\.jobs\b/.test(text) && !file.startsWith('lib/jobs/') ? [`${file}: gamepocgen.jobs`] : []),
        ...(/graphile_worker\./.test(text) && !file.startsWith('lib/queue/') ? [`${file}: graphile_worker.*`] : []),
      ])
      .sort();

  it('flags a query outside its home, and not one inside it', () => {
    const fixtures = new Map([
      ['functions/x.ts', "db.query('select * from gamepocgen.jobs')"],
      ['lib/games.ts', "db.query('select count(*) from graphile_worker.jobs')"],
      ['lib/jobs/repository.ts', "db.query('select * from gamepocgen.jobs')"],
      ['lib/queue/queries.ts', "db.query('select * from graphile_worker.jobs')"],
      ['lib/jobs/lifecycle.ts', "db.query('select * from gamepocgen.jobs_archive')"],
    ]);
    expect(misplaced(fixtures)).toEqual(['functions/x.ts: gamepocgen.jobs', 'lib/games.ts: graphile_worker.*']);
  });

  it('keeps gamepocgen.jobs in lib/jobs/ and graphile_worker.* in lib/queue/', async () => {
    const files = new Map<string, string>();
    for (const dir of ['lib', 'functions', 'tasks', 'bin']) {
      for (const entry of await readdir(path.join(ROOT_DIR, dir), { recursive: true })) {
        if (!entry.endsWith('.ts')) continue;
        const file = `${dir}/${entry}`;
        files.set(file, await readFile(path.join(ROOT_DIR, file), 'utf8'));
      }
    }
    expect(files.size).toBeGreaterThan(50);
    expect(misplaced(files)).toEqual([]);
  });
});
