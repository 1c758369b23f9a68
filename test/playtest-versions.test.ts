// The repair loop's stored versions (lib/playtest/versions.ts) on a real
// Postgres: a round's dist/ is archived exactly, a restore makes dist/ that
// version again (files it lacked are removed), and the latest aliases follow
// the served round under either screenshot naming.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listArtifacts, loadArtifacts, saveArtifacts } from '../lib/artifact-store.ts';
import { migrate } from '../lib/migrate.ts';
import { aliasRound, archiveVersion, isPlaytestRecord, restoreVersion, roundFiles } from '../lib/playtest/versions.ts';
import { createTestDatabase } from './helpers/db.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let jobId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url });
  await migrate(pool);
  const { rows } = await pool.query<{ id: string }>(`select gamepocgen.generate_game('a versioned game') as id`);
  jobId = Number(rows[0]!.id);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const files = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([p, t]) => [p, Buffer.from(t)]));
const text = (m: Map<string, Buffer>) => Object.fromEntries([...m].map(([p, b]) => [p, b.toString()]).sort());

describe('versions', () => {
  it('archives each round, restores an earlier one exactly and moves the aliases to it', async () => {
    await saveArtifacts(pool, jobId, 4, files({ 'dist/index.html': 'v1', 'dist/a.js': 'a1', 'idea.json': '{}' }));
    await saveArtifacts(
      pool,
      jobId,
      null,
      roundFiles(1, { round: 1 }, [{ name: 'playtest.png', bytes: Buffer.from('png1') }]),
    );
    await archiveVersion(pool, jobId, 1);
    await aliasRound(pool, jobId, 1);

    // Repair 1 rewrites index.html, drops a.js and adds b.js; round 2 uses the judge's screenshot names.
    await pool.query(`delete from gamepocgen.artifacts where job_id = $1 and path = 'dist/a.js'`, [jobId]);
    await saveArtifacts(pool, jobId, 5, files({ 'dist/index.html': 'v2', 'dist/b.js': 'b2' }));
    await saveArtifacts(
      pool,
      jobId,
      null,
      roundFiles(2, { round: 2 }, [{ name: 'own-origin-end.png', bytes: Buffer.from('png2') }]),
    );
    await archiveVersion(pool, jobId, 2);
    await aliasRound(pool, jobId, 2);
    expect(text(await loadArtifacts(pool, jobId, 'versions/'))).toEqual({
      'versions/round-1/dist/a.js': 'a1',
      'versions/round-1/dist/index.html': 'v1',
      'versions/round-2/dist/b.js': 'b2',
      'versions/round-2/dist/index.html': 'v2',
    });
    const latest2 = (await listArtifacts(pool, jobId)).map((a) => a.path).filter((p) => /^playtest[.-]/.test(p));
    expect(latest2).toEqual(['playtest-own-origin-end.png', 'playtest.json']);

    expect(await restoreVersion(pool, jobId, 1)).toBe(2);
    await aliasRound(pool, jobId, 1);
    expect(text(await loadArtifacts(pool, jobId, 'dist/'))).toEqual({ 'dist/a.js': 'a1', 'dist/index.html': 'v1' });
    expect(text(await loadArtifacts(pool, jobId, 'playtest'))).toMatchObject({
      'playtest.json': JSON.stringify({ round: 1 }, null, 2) + '\n',
      'playtest.png': 'png1',
    });
    expect((await loadArtifacts(pool, jobId, 'playtest-')).size).toBe(0); // round 2's alias is gone
    // The restored files keep the phase that wrote them; the rolled-back version stays stored.
    const phases = Object.fromEntries((await listArtifacts(pool, jobId)).map((a) => [a.path, a.phase]));
    expect(phases['dist/index.html']).toBe(4);
    expect(phases['versions/round-2/dist/b.js']).toBe(5);
    expect(text(await loadArtifacts(pool, jobId, 'idea.json'))).toEqual({ 'idea.json': '{}' });
  });

  it('re-archiving a round replaces its version rather than mixing two', async () => {
    await archiveVersion(pool, jobId, 2); // dist/ is round 1's now
    expect(text(await loadArtifacts(pool, jobId, 'versions/round-2/'))).toEqual({
      'versions/round-2/dist/a.js': 'a1',
      'versions/round-2/dist/index.html': 'v1',
    });
  });

  it('marks the play-tester records an agent may not write back', () => {
    for (const p of [
      'versions/round-1/dist/index.html',
      'playtest/round-2/playtest.json',
      'playtest.json',
      'playtest-x.png',
    ])
      expect(isPlaytestRecord(p), p).toBe(true);
    for (const p of ['dist/index.html', 'dist/playtest.js', 'idea.json', 'playtests.md'])
      expect(isPlaytestRecord(p), p).toBe(false);
  });
});
