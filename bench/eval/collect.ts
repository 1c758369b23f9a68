// One eval row from what the pipeline stored for a job: the job row (status, usage,
// the served version's play-test summary), its phase runs (repairs), the design and
// plan artifacts (the kit built), and the served round's playtest.json (the rubric).
import { getArtifact } from '../../lib/artifact-store.ts';
import { Design, Plan, Playtest } from '../../lib/artifacts.ts';
import type { Queryable } from '../../lib/db.ts';
import { listPhaseRuns } from '../../lib/jobs/phase-runs.ts';
import { getJob } from '../../lib/jobs/repository.ts';
import { REPAIR_PHASE } from '../../lib/phases.ts';
import { parseSummary } from '../../lib/playtest/store.ts';
import { type EvalGame, rubricOf, verdictOf } from './report.ts';
import type { SuiteIdea } from './suite.ts';

async function readJson<T>(
  db: Queryable,
  jobId: number,
  file: string,
  schema: { safeParse(v: unknown): { success: boolean; data?: T } },
) {
  const a = await getArtifact(db, jobId, file);
  if (!a) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(a.bytes.toString('utf8')));
    return parsed.success ? (parsed.data as T) : null;
  } catch {
    return null;
  }
}

/** When the job's last event was written: the moment nothing was left to do for it. */
async function lastEventAt(db: Queryable, jobId: number): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    'select max(at) as at from gamepocgen.job_events where job_id = $1',
    [jobId],
  );
  return rows[0]?.at ?? null;
}

const clip = (s: string) => (s.length > 500 ? `${s.slice(0, 499)}…` : s);

export function notStarted(idea: SuiteIdea, error: string): EvalGame {
  const { verdict } = verdictOf({ status: 'not-started', playtest: null });
  return {
    id: idea.id,
    idea: clip(idea.idea),
    provider: null,
    expectedKit: idea.kit,
    jobId: null,
    status: 'not-started',
    title: null,
    kit: null,
    verdict,
    reason: clip(`the job could not be started: ${error}`),
    passed: null,
    score: null,
    failedChecks: [],
    defects: [],
    rubric: rubricOf([]),
    repairs: 0,
    rounds: 0,
    tokens: null,
    costUsd: null,
    seconds: 0,
    error: clip(error),
  };
}

export async function collectGame(db: Queryable, idea: SuiteIdea, jobId: number, timedOut: boolean): Promise<EvalGame> {
  const job = await getJob(db, jobId);
  if (!job) return notStarted(idea, `job ${jobId} is gone`);
  const summary = parseSummary(job.playtest);
  const served = summary ? await readJson(db, jobId, `playtest/round-${summary.round}/playtest.json`, Playtest) : null;
  const plan = await readJson(db, jobId, 'plan.json', Plan);
  const design = await readJson(db, jobId, 'design.json', Design);
  const runs = await listPhaseRuns(db, jobId);
  const playtest = summary
    ? { passed: summary.passed, score: summary.score, failed: summary.failed, rubric: served?.rubric ?? [] }
    : null;
  const judged = verdictOf({ status: job.status, playtest });
  const { verdict, reason } = timedOut
    ? { verdict: 'unusable' as const, reason: `did not settle in time (status ${job.status}, phase ${job.phase})` }
    : judged;
  const u = job.usage ?? {};
  const hasTokens = typeof u.inputTokens === 'number' || typeof u.outputTokens === 'number';
  const end = (await lastEventAt(db, jobId)) ?? job.updated_at;
  return {
    id: idea.id,
    idea: clip(idea.idea),
    provider: job.provider ?? null,
    expectedKit: idea.kit,
    jobId,
    status: job.status,
    title: job.title ? clip(job.title) : null,
    kit: plan?.kit ?? design?.genre ?? null,
    verdict,
    reason: clip(reason),
    passed: summary?.passed ?? null,
    score: summary?.score ?? null,
    failedChecks: summary?.failed ?? [],
    defects: (summary?.reasons ?? []).map(clip),
    rubric: rubricOf(playtest?.rubric ?? []),
    // Repairs that finished, and one that failed for good (a retried attempt is not another repair).
    repairs:
      runs.filter((r) => r.phase === REPAIR_PHASE && r.status === 'completed').length +
      (summary?.loop === 'repair-failed' ? 1 : 0),
    rounds: summary ? Math.max(summary.rounds.length, 1) : 0,
    tokens: hasTokens ? { input: Number(u.inputTokens ?? 0), output: Number(u.outputTokens ?? 0) } : null,
    costUsd: typeof u.costUsd === 'number' ? Number(u.costUsd) : null,
    seconds: Math.max(0, Math.round((end.getTime() - (job.started_at ?? job.created_at).getTime()) / 100) / 10),
    error: job.error ? clip(job.error) : null,
  };
}
