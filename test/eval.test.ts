// `npm run eval` end to end, offline: a 3-idea suite file through the real service
// (bench/eval/run.ts: API + runner, builtin agent, local deploys, Chromium play-tests
// and the repair loop) on a test database. Two ideas get the builtin agent's games;
// the third, tagged [unrepairable], gets a build that throws on load and repairs that
// ship it again (test/fixtures/agents/eval-agent.ts): the known-bad game.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalReport, verdictOf } from '../bench/eval/report.ts';
import { runEval } from '../bench/eval/run.ts';
import { loadSuite } from '../bench/eval/suite.ts';
import { formatReport } from '../bench/eval/table.ts';
import { getArtifact } from '../lib/artifact-store.ts';
import { Playtest } from '../lib/artifacts.ts';
import { getJob } from '../lib/jobs/repository.ts';
import { createPool } from '../lib/db.ts';
import { chromiumAvailable } from './browser/harness.ts';
import { createTestDatabase } from './helpers/db.ts';

const SUITE = {
  name: 'ci-three',
  ideas: [
    {
      id: 'shooter',
      idea: 'A lone spaceship blasting asteroids in a collapsing belt',
      kit: 'arena-shooter',
      seed: 101,
    },
    { id: 'courier', idea: 'A courier sprinting across rooftops, jumping gaps', kit: 'runner', seed: 301 },
    { id: 'broken', idea: '[unrepairable] A lighthouse keeper warning ships off the rocks', kit: 'none', seed: 701 },
  ],
};
/** A hang guard, not a speed check: three judged games and a repair round on a loaded 2-core machine. */
const HANG_GUARD_MS = 40 * 60_000;

describe.skipIf(!chromiumAvailable())('npm run eval, offline with the builtin agent', () => {
  let dir: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let report: EvalReport;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-eval-'));
    const file = path.join(dir, 'suite.json');
    await writeFile(file, JSON.stringify(SUITE));
    database = await createTestDatabase();
    report = await runEval({
      suite: await loadSuite(file),
      agent: 'builtin',
      env: {
        AGENT_MODULE: path.join(import.meta.dirname, 'fixtures', 'agents', 'eval-agent.ts'),
        MAX_CONCURRENT: '3',
        MAX_REPAIRS: '1',
      },
      databaseUrl: database.url,
      gameTimeoutMs: HANG_GUARD_MS,
    });
  }, HANG_GUARD_MS + 120_000);

  afterAll(async () => {
    await database?.drop().catch(() => {});
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports every idea of the suite, in order, in the report schema, with totals that add up', () => {
    expect(EvalReport.parse(report)).toEqual(report);
    expect(report).toMatchObject({ suite: 'ci-three', agent: 'builtin', provider: null, model: null });
    expect(report.settings).toEqual({ maxConcurrent: 3, qualityThreshold: 70, maxRepairs: 1 });
    expect(report.games.map((g) => g.id)).toEqual(['shooter', 'courier', 'broken']);
    const t = report.totals;
    expect(t.games).toBe(3);
    expect(t.excellent + t.usable + t.unusable).toBe(3);
    expect(t.repairs).toBe(report.games.reduce((n, g) => n + g.repairs, 0));
  });

  it('gives the known-bad game the verdict unusable, naming the failed check, after its repair', async () => {
    const bad = report.games.find((g) => g.id === 'broken')!;
    expect(bad).toMatchObject({ status: 'deployed', verdict: 'unusable', passed: false, repairs: 1 });
    expect(bad.failedChecks).toContain('loads');
    expect(bad.reason).toMatch(/^the play-test failed: .*loads/);
    expect(bad.score).toBeLessThanOrEqual(40);
    // The row is the job's stored outcome, not a guess.
    const db = createPool(database.url, 1);
    try {
      const job = await getJob(db, bad.jobId!);
      expect(job?.playtest).toMatchObject({ passed: false, score: bad.score, failed: bad.failedChecks });
    } finally {
      await db.end();
    }
  });

  it("derives each builtin game's row from its stored play-test and design keypoints, and says n/a for usage", async () => {
    const db = createPool(database.url, 1);
    try {
      for (const id of ['shooter', 'courier']) {
        const g = report.games.find((x) => x.id === id)!;
        expect(g, `${id}: ${g.reason}`).toMatchObject({ status: 'deployed', kit: g.expectedKit });
        // Recomputed from what the pipeline stored: the served round's summary and its playtest.json rubric.
        const job = (await getJob(db, g.jobId!))!;
        const doc = Playtest.parse(
          JSON.parse(
            (await getArtifact(db, g.jobId!, `playtest/round-${job.playtest!.round}/playtest.json`))!.bytes.toString(),
          ),
        );
        expect([g.passed, g.score, g.failedChecks]).toEqual([
          job.playtest!.passed,
          job.playtest!.score,
          job.playtest!.failed,
        ]);
        expect(g.verdict).toBe(
          verdictOf({ status: job.status, playtest: { ...job.playtest!, rubric: doc.rubric } }).verdict,
        );
        expect(g.rubric.total).toBe(doc.rubric.length);
        expect(g.rubric.total).toBeGreaterThanOrEqual(3); // the design's keypoints reached the judge
        if (g.passed) expect(g.rubric.verified).toBe(g.rubric.total); // and were played through window.__game
        expect([g.tokens, g.costUsd]).toEqual([null, null]); // the builtin agent reports no usage
      }
    } finally {
      await db.end();
    }
    // The control: a builtin kit game passes (the judge's kit tests pin each kit; a loaded machine can fail one).
    expect(report.games.filter((g) => g.id !== 'broken' && g.passed).length).toBeGreaterThanOrEqual(1);
    const table = formatReport(report);
    expect(table).toMatch(/^broken\s+none→\S+\s+unusable\s+no\s/m);
    expect(table).toMatch(
      /^shooter\s+arena-shooter→arena-shooter\s+\w+\s+(yes|no)\s+\d+\s+\d+\/\d+\/\d+ \S+\s+\d+\s+n\/a\s+n\/a\s/m,
    );
  });
});
