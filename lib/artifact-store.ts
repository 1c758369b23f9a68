// Artifacts live in Postgres (job_id, path, bytes, sha256), so any worker host
// can run any phase and nothing a phase produced is lost with a host.
import { createHash } from 'node:crypto';
import type { Queryable } from './db.ts';
import type { FileMap } from './workspace.ts';

export interface ArtifactInfo {
  path: string;
  size: number;
  sha256: string;
  phase: number | null;
  updated_at: Date;
}

/** `phase` is the phase that produced the files; null for files written outside a phase (the play-test's). */
export async function saveArtifacts(db: Queryable, jobId: number, phase: number | null, files: FileMap): Promise<void> {
  if (files.size === 0) return;
  const paths: string[] = [];
  const bytes: Buffer[] = [];
  const hashes: string[] = [];
  for (const [path, b] of files) {
    paths.push(path);
    bytes.push(b);
    hashes.push(createHash('sha256').update(b).digest('hex'));
  }
  await db.query(
    `insert into gamepocgen.artifacts (job_id, path, bytes, sha256, phase)
     select $1, p, b, h, $5 from unnest($2::text[], $3::bytea[], $4::text[]) as t(p, b, h)
     on conflict (job_id, path) do update set bytes = excluded.bytes, sha256 = excluded.sha256, phase = excluded.phase, updated_at = now()`,
    [jobId, paths, bytes, hashes, phase],
  );
}

export async function deleteArtifacts(db: Queryable, jobId: number, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await db.query('delete from gamepocgen.artifacts where job_id = $1 and path = any($2::text[])', [jobId, paths]);
}

/** All of a job's files (optionally only those under `prefix`). */
export async function loadArtifacts(db: Queryable, jobId: number, prefix = ''): Promise<FileMap> {
  const { rows } = await db.query<{ path: string; bytes: Buffer }>(
    `select path, bytes from gamepocgen.artifacts where job_id = $1 and starts_with(path, $2)`,
    [jobId, prefix],
  );
  return new Map(rows.map((r) => [r.path, r.bytes]));
}

export async function listArtifacts(db: Queryable, jobId: number): Promise<ArtifactInfo[]> {
  const { rows } = await db.query<ArtifactInfo>(
    `select path, octet_length(bytes) as size, sha256, phase, updated_at from gamepocgen.artifacts where job_id = $1 order by path`,
    [jobId],
  );
  return rows;
}

export async function getArtifact(
  db: Queryable,
  jobId: number,
  path: string,
): Promise<{ bytes: Buffer; sha256: string } | null> {
  const { rows } = await db.query<{ bytes: Buffer; sha256: string }>(
    'select bytes, sha256 from gamepocgen.artifacts where job_id = $1 and path = $2',
    [jobId, path],
  );
  return rows[0] ?? null;
}
