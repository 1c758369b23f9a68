// Versions of a game: copies of its dist/ kept as artifacts under
// `versions/<label>/dist/…` (the repair loop stores its rounds the same way), so
// any earlier version can be put back and redeployed.
import type { Queryable } from '../db.ts';

export const VERSION_LABEL = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Copies the job's current dist/ to versions/<label>/dist/ (replacing an older copy of that label). */
export async function snapshotDist(db: Queryable, jobId: number, label: string): Promise<number> {
  if (!VERSION_LABEL.test(label)) throw new Error(`invalid version label "${label}"`);
  const { rowCount } = await db.query(
    `insert into gamepocgen.artifacts (job_id, path, bytes, sha256, phase)
     select job_id, 'versions/' || $2 || '/' || path, bytes, sha256, phase from gamepocgen.artifacts
      where job_id = $1 and starts_with(path, 'dist/')
     on conflict (job_id, path) do update set bytes = excluded.bytes, sha256 = excluded.sha256, updated_at = now()`,
    [jobId, label],
  );
  return rowCount ?? 0;
}

export interface VersionInfo {
  label: string;
  files: number;
  bytes: number;
  savedAt: Date;
}

export async function listVersions(db: Queryable, jobId: number): Promise<VersionInfo[]> {
  const { rows } = await db.query<VersionInfo>(
    `select split_part(path, '/', 2) as label, count(*)::int as files, sum(octet_length(bytes))::int as bytes, max(updated_at) as "savedAt"
       from gamepocgen.artifacts where job_id = $1 and path ~ '^versions/[^/]+/dist/'
      group by 1 order by 4`,
    [jobId],
  );
  return rows;
}

/** Replaces dist/ with versions/<label>/dist/. Returns the number of files restored (0: no such version). */
export async function restoreDist(db: Queryable, jobId: number, label: string): Promise<number> {
  const prefix = `versions/${label}/`;
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int n from gamepocgen.artifacts where job_id = $1 and starts_with(path, $2 || 'dist/')`,
    [jobId, prefix],
  );
  if (rows[0]!.n === 0) return 0;
  await db.query(`delete from gamepocgen.artifacts where job_id = $1 and starts_with(path, 'dist/')`, [jobId]);
  await db.query(
    `insert into gamepocgen.artifacts (job_id, path, bytes, sha256, phase)
     select job_id, substr(path, length($2) + 1), bytes, sha256, phase from gamepocgen.artifacts
      where job_id = $1 and starts_with(path, $2 || 'dist/')`,
    [jobId, prefix],
  );
  return rows[0]!.n;
}
