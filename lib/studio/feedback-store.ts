// Rows of gamepocgen.feedback (migrations/007_studio.sql): one request for a
// change to a deployed game, and how it ended.
import type { Queryable } from '../db.ts';

export type FeedbackStatus = 'queued' | 'running' | 'kept' | 'rolled_back' | 'failed';

export interface FeedbackRow {
  id: number;
  job_id: number;
  feedback: string;
  created_at: Date;
  status: FeedbackStatus;
  base_version: string;
  score_before: number | null;
  score_after: number | null;
  outcome: string | null;
  settled_at: Date | null;
}

export async function insertFeedback(
  db: Queryable,
  f: { jobId: number; feedback: string; scoreBefore: number | null },
): Promise<FeedbackRow> {
  const { rows } = await db.query<FeedbackRow>(
    `insert into gamepocgen.feedback (job_id, feedback, base_version, score_before)
     values ($1, $2, 'before-feedback-' || currval(pg_get_serial_sequence('gamepocgen.feedback', 'id')), $3) returning *`,
    [f.jobId, f.feedback, f.scoreBefore],
  );
  return rows[0]!;
}

export async function activeFeedback(db: Queryable, jobId: number): Promise<FeedbackRow | null> {
  const { rows } = await db.query<FeedbackRow>(
    `select * from gamepocgen.feedback where job_id = $1 and status in ('queued', 'running') order by id desc limit 1`,
    [jobId],
  );
  return rows[0] ?? null;
}

export async function listFeedback(db: Queryable, jobId: number): Promise<FeedbackRow[]> {
  const { rows } = await db.query<FeedbackRow>(
    'select * from gamepocgen.feedback where job_id = $1 order by id desc limit 200',
    [jobId],
  );
  return rows;
}

/** The queued feedback of a job becomes `running` (its repair phase started); returns it. */
export async function startQueuedFeedback(db: Queryable, jobId: number): Promise<FeedbackRow | null> {
  const { rows } = await db.query<FeedbackRow>(
    `update gamepocgen.feedback set status = 'running' where job_id = $1 and status in ('queued', 'running') returning *`,
    [jobId],
  );
  return rows[0] ?? null;
}

export async function settleFeedbackRow(
  db: Queryable,
  id: number,
  s: { status: 'kept' | 'rolled_back' | 'failed'; scoreAfter: number | null; outcome: string },
): Promise<void> {
  await db.query(
    `update gamepocgen.feedback set status = $2, score_after = $3, outcome = $4, settled_at = clock_timestamp() where id = $1`,
    [id, s.status, s.scoreAfter, s.outcome.slice(0, 2000)],
  );
}

/** Ends a job's queued or running feedback as failed (the repair failed, or the job was cancelled). */
export async function failActiveFeedback(db: Queryable, jobId: number, reason: string): Promise<FeedbackRow | null> {
  const { rows } = await db.query<FeedbackRow>(
    `update gamepocgen.feedback set status = 'failed', outcome = $2, settled_at = clock_timestamp()
      where job_id = $1 and status in ('queued', 'running') returning *`,
    [jobId, reason.slice(0, 2000)],
  );
  return rows[0] ?? null;
}

export function feedbackView(f: FeedbackRow) {
  return {
    id: f.id,
    jobId: f.job_id,
    feedback: f.feedback,
    createdAt: f.created_at,
    status: f.status,
    baseVersion: f.base_version,
    scoreBefore: f.score_before,
    scoreAfter: f.score_after,
    outcome: f.outcome,
    settledAt: f.settled_at,
  };
}
