// The play-tested versions of a game, kept as artifacts so a worse repair can be
// rolled back: every round's play-test goes to `playtest/round-N/` and the dist/
// it tested to `versions/round-N/dist/`. Copies are made in SQL, in the caller's
// transaction, so the bytes never leave Postgres and a round is never half-kept.
import type { Queryable } from '../db.ts';
import type { FileMap } from '../workspace.ts';

export const roundDir = (round: number) => `playtest/round-${round}/`;
export const versionDir = (round: number) => `versions/round-${round}/`;

/**
 * Records of the play-tester, not of a phase: never materialised into a phase's workspace
 * (`versions/`) and never taken back from one (an agent can't rewrite its own evidence).
 */
export const isPlaytestRecord = (p: string) =>
  p.startsWith('versions/') || p.startsWith('playtest/') || /^playtest[.-]/.test(p);

/** Copies every artifact under `from` to the same relative path under `to`, replacing what is there. */
async function copyTree(db: Queryable, jobId: number, from: string, to: string): Promise<number> {
  const { rowCount } = await db.query(
    `insert into gamepocgen.artifacts (job_id, path, bytes, sha256, phase)
     select job_id, $3::text || substr(path, length($2::text) + 1), bytes, sha256, phase
       from gamepocgen.artifacts
      where job_id = $1 and starts_with(path, $2::text)
     on conflict (job_id, path) do update set bytes = excluded.bytes, sha256 = excluded.sha256, phase = excluded.phase, updated_at = now()`,
    [jobId, from, to],
  );
  return rowCount ?? 0;
}

/** Deletes the artifacts under `prefix` whose counterpart under `keep` does not exist. */
async function pruneTree(db: Queryable, jobId: number, prefix: string, keep: string): Promise<void> {
  await db.query(
    `delete from gamepocgen.artifacts a where a.job_id = $1 and starts_with(a.path, $2::text)
        and not exists (select 1 from gamepocgen.artifacts k
                         where k.job_id = $1 and k.path = $3::text || substr(a.path, length($2::text) + 1))`,
    [jobId, prefix, keep],
  );
}

/** Keeps the dist/ that round N tested as `versions/round-N/dist/`. */
export async function archiveVersion(db: Queryable, jobId: number, round: number): Promise<void> {
  await pruneTree(db, jobId, `${versionDir(round)}dist/`, 'dist/');
  await copyTree(db, jobId, 'dist/', `${versionDir(round)}dist/`);
}

/** Makes dist/ round N's version again (files it did not have are removed). Returns the number of files. */
export async function restoreVersion(db: Queryable, jobId: number, round: number): Promise<number> {
  await pruneTree(db, jobId, 'dist/', `${versionDir(round)}dist/`);
  return copyTree(db, jobId, `${versionDir(round)}dist/`, 'dist/');
}

/**
 * The latest-result aliases at the top level become round N's — the result of what the slot serves:
 * `playtest.json`, and each screenshot `X.png` as `X.png` when its name starts with `playtest`, else `playtest-X.png`.
 */
export async function aliasRound(db: Queryable, jobId: number, round: number): Promise<void> {
  await db.query(`delete from gamepocgen.artifacts where job_id = $1 and path ~ '^playtest[.-][^/]*$'`, [jobId]);
  await db.query(
    `insert into gamepocgen.artifacts (job_id, path, bytes, sha256, phase)
     select job_id, case when name like 'playtest%' then name else 'playtest-' || name end, bytes, sha256, phase
       from (select *, substr(path, length($2::text) + 1) as name from gamepocgen.artifacts
              where job_id = $1 and starts_with(path, $2::text)) r
      where position('/' in name) = 0
     on conflict (job_id, path) do update set bytes = excluded.bytes, sha256 = excluded.sha256, phase = excluded.phase, updated_at = now()`,
    [jobId, roundDir(round)],
  );
}

/** The files of round N's play-test, keyed by artifact path, from the document and its screenshots. */
export function roundFiles(round: number, document: object, screenshots: { name: string; bytes: Buffer }[]): FileMap {
  const files: FileMap = new Map([
    [`${roundDir(round)}playtest.json`, Buffer.from(JSON.stringify(document, null, 2) + '\n')],
  ]);
  for (const s of screenshots) files.set(`${roundDir(round)}${s.name}`, s.bytes);
  return files;
}
