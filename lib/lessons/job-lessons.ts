// Lessons and jobs: when a job's repair loop settles, its play-test rounds are
// distilled into lessons in the job's scope (lib/lessons/distil.ts); a later
// build or repair of the same kit (then genre) is given the most relevant ones
// as prompt context (JobInput.lessons → lib/prompts.ts, fenced as untrusted data).
import { z } from 'zod';
import { inTransaction, type DbClient, type Queryable } from '../db.ts';
import { getArtifact } from '../artifact-store.ts';
import { addEvent } from '../events.ts';
import { getJob } from '../jobs/repository.ts';
import { RoundChecks, cleanLessonText, distilLessons, lessonKey } from './distil.ts';
import { pruneScope, relevantLessons, upsertLesson, type LessonScope } from './store.ts';

/** How many lessons a build or repair prompt gets at most. */
export const PROMPT_LESSONS = 8;

const PlanScope = z.object({ kit: z.string().min(1).max(40).optional(), genre: z.string().min(1).max(40).optional() });

/** A job's scope: its plan's kit (else its genre) and genre, falling back to the genre the idea phase chose or was asked for. */
export async function jobScope(db: Queryable, jobId: number): Promise<LessonScope> {
  const job = await getJob(db, jobId);
  if (!job) return { kit: null, genre: null };
  const planBytes = (await getArtifact(db, jobId, 'plan.json'))?.bytes;
  let plan: z.infer<typeof PlanScope> = {};
  try {
    const parsed = PlanScope.safeParse(planBytes ? JSON.parse(planBytes.toString('utf8')) : {});
    if (parsed.success) plan = parsed.data;
  } catch {
    // an unreadable plan says nothing about the scope
  }
  const genre = plan.genre ?? job.game_genre ?? job.genre ?? null;
  return { kit: plan.kit ?? genre, genre };
}

/** The play-test rounds stored for a job (`playtest/round-N/playtest.json`), those that parse. */
async function storedRounds(db: Queryable, jobId: number): Promise<RoundChecks[]> {
  const { rows } = await db.query<{ bytes: Buffer }>(
    `select bytes from gamepocgen.artifacts where job_id = $1 and path ~ '^playtest/round-[0-9]+/playtest\\.json$'`,
    [jobId],
  );
  const rounds: RoundChecks[] = [];
  for (const r of rows) {
    try {
      const parsed = RoundChecks.safeParse(JSON.parse(r.bytes.toString('utf8')));
      if (parsed.success) rounds.push(parsed.data);
    } catch {
      // not JSON: nothing to learn from it
    }
  }
  return rounds;
}

/**
 * Distils the job's rounds into lessons, in the caller's transaction (under a savepoint:
 * a lesson that can't be stored must not undo the play-test it came from), or in its own
 * when the caller has none. Returns how many.
 */
export async function learnFromJob(tx: DbClient, jobId: number, stopped: string, secrets: string[]): Promise<number> {
  try {
    await tx.query('savepoint lessons');
  } catch (e) {
    // 25P01 no_active_sql_transaction: nothing was changed, so a transaction of our own is as safe.
    if ((e as { code?: string }).code !== '25P01') throw e;
    return inTransaction(tx, (own) => learnFromJob(own, jobId, stopped, secrets));
  }
  try {
    const scope = await jobScope(tx, jobId);
    const texts = distilLessons(await storedRounds(tx, jobId), stopped, secrets);
    for (const text of texts) await upsertLesson(tx, scope, { text, key: lessonKey(text) }, jobId);
    if (texts.length) await pruneScope(tx, scope);
    await tx.query('release savepoint lessons');
    return texts.length;
  } catch (e) {
    await tx.query('rollback to savepoint lessons');
    await addEvent(
      tx,
      { jobId, kind: 'log', message: `lessons not recorded: ${(e as Error).message}`.slice(0, 500) },
      secrets,
    );
    return 0;
  }
}

/** The lines a build or repair prompt of `jobId` is given: the most relevant lessons, each with how often it was seen. */
export async function lessonsForJob(db: Queryable, jobId: number, secrets: string[] = []): Promise<string[]> {
  const lessons = await relevantLessons(db, await jobScope(db, jobId), PROMPT_LESSONS);
  return lessons.map(
    (l) =>
      `${cleanLessonText(l.text, secrets)} (seen in ${l.count} game${l.count === 1 ? '' : 's'}${l.kit ? `, kit ${l.kit}` : ''})`,
  );
}
