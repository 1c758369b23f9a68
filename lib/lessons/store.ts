// The lessons store's queries (table gamepocgen.lessons, migrations/010_lessons.sql):
// small, named and parameterised. A lesson is counted once per job: recording the
// same job again (a later repair loop of the same game) only refreshes last_seen.
import type { Queryable } from '../db.ts';
import type { LessonView } from './schema.ts';

/** At most this many lessons are kept per scope; the least seen (then oldest) go first. */
export const MAX_LESSONS_PER_SCOPE = 100;
/** At most this many source job ids are kept per lesson (the newest). */
const MAX_JOB_IDS = 50;

export interface LessonScope {
  kit: string | null;
  genre: string | null;
}

interface LessonRow {
  id: string;
  kit: string | null;
  genre: string | null;
  text: string;
  count: number;
  job_ids: string[];
  first_seen: Date;
  last_seen: Date;
}

const COLUMNS = 'id, kit, genre, text, count, job_ids, first_seen, last_seen';

function view(r: LessonRow): LessonView {
  return {
    id: Number(r.id),
    kit: r.kit,
    genre: r.genre,
    text: r.text,
    count: r.count,
    jobIds: r.job_ids.map(Number),
    firstSeen: r.first_seen.toISOString(),
    lastSeen: r.last_seen.toISOString(),
  };
}

/** Adds one lesson of `jobId` in `scope`, or counts it on the lesson with the same key. */
export async function upsertLesson(
  db: Queryable,
  scope: LessonScope,
  lesson: { text: string; key: string },
  jobId: number,
): Promise<LessonView> {
  const { rows } = await db.query<LessonRow>(
    `insert into gamepocgen.lessons as l (kit, genre, text, key, job_ids)
     values ($1, $2, $3, $4, array[$5::bigint])
     on conflict ((coalesce(kit, '')), (coalesce(genre, '')), key) do update set
       count = l.count + case when $5::bigint = any(l.job_ids) then 0 else 1 end,
       job_ids = case when $5::bigint = any(l.job_ids) then l.job_ids
                      else (l.job_ids || $5::bigint)[greatest(1, cardinality(l.job_ids) + 2 - $6::int):] end,
       last_seen = now()
     returning ${COLUMNS}`,
    [scope.kit, scope.genre, lesson.text, lesson.key, jobId, MAX_JOB_IDS],
  );
  return view(rows[0]!);
}

/** Keeps the `MAX_LESSONS_PER_SCOPE` most seen (then most recent) lessons of `scope`. */
export async function pruneScope(db: Queryable, scope: LessonScope, keep = MAX_LESSONS_PER_SCOPE): Promise<number> {
  const { rowCount } = await db.query(
    `delete from gamepocgen.lessons where id in (
       select id from gamepocgen.lessons
        where kit is not distinct from $1 and genre is not distinct from $2
        order by count desc, last_seen desc, id desc offset $3)`,
    [scope.kit, scope.genre, keep],
  );
  return rowCount ?? 0;
}

/** The lessons for a build or repair in `scope`: same kit first, then same genre; by count, then recency. */
export async function relevantLessons(db: Queryable, scope: LessonScope, limit: number): Promise<LessonView[]> {
  if (scope.kit === null && scope.genre === null) return [];
  const { rows } = await db.query<LessonRow>(
    `select ${COLUMNS} from gamepocgen.lessons
      where ($1::text is not null and kit = $1) or ($2::text is not null and genre = $2)
      order by (kit is not distinct from $1) desc, count desc, last_seen desc, id desc
      limit $3`,
    [scope.kit, scope.genre, limit],
  );
  return rows.map(view);
}

/** Lessons for the API, most seen first; optionally only one kit and/or genre; `before` pages by id. */
export async function listLessons(
  db: Queryable,
  q: { kit?: string; genre?: string; limit: number },
): Promise<LessonView[]> {
  const { rows } = await db.query<LessonRow>(
    `select ${COLUMNS} from gamepocgen.lessons
      where ($1::text is null or kit = $1) and ($2::text is null or genre = $2)
      order by count desc, last_seen desc, id desc limit $3`,
    [q.kit ?? null, q.genre ?? null, q.limit],
  );
  return rows.map(view);
}

export async function getLesson(db: Queryable, id: number): Promise<LessonView | null> {
  const { rows } = await db.query<LessonRow>(`select ${COLUMNS} from gamepocgen.lessons where id = $1`, [id]);
  return rows[0] ? view(rows[0]) : null;
}

/** Rewrites a lesson's text; its key stays, so the failure it came from keeps counting on it. */
export async function updateLessonText(db: Queryable, id: number, text: string): Promise<LessonView | null> {
  const { rows } = await db.query<LessonRow>(
    `update gamepocgen.lessons set text = $2 where id = $1 returning ${COLUMNS}`,
    [id, text],
  );
  return rows[0] ? view(rows[0]) : null;
}

export async function deleteLesson(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query('delete from gamepocgen.lessons where id = $1', [id]);
  return (rowCount ?? 0) > 0;
}
