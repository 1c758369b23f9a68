// Shared by the play-test suites: waiting for a play-test round (woken by the
// event stream's NOTIFY, not polling), reading a job's events and queued work.
import path from 'node:path';
import type pg from 'pg';
import { Playtest } from '../lib/artifacts.ts';
import type { DbClient } from '../lib/db.ts';
import { EventHub } from '../lib/events.ts';
import { createHarness, type EventRow, type Harness } from './helpers/harness.ts';

export type { EventRow };

export async function jobEvents(h: Harness, jobId: number): Promise<EventRow[]> {
  const { rows } = await h.service.db.query<EventRow>(
    'select id, kind, message, phase, data from gamepocgen.job_events where job_id = $1 order by id',
    [jobId],
  );
  return rows;
}

/**
 * How long a test waits for a play-test round before calling it hung. A hang guard, not a speed check: the
 * judge plays ~24 s of game time per serving and a loaded 2-core machine runs it several times slower
 * (speed is measured by `npm run bench playtest`).
 */
export const PLAYTEST_WAIT_MS = 600_000;
/** A test or hook that waits on `rounds` play-test rounds. */
export const waitsFor = (rounds: number) => rounds * PLAYTEST_WAIT_MS + 120_000;

/** Resolves with the 'playtest' event that recorded `round`'s result; rejects on a skip or after `timeoutMs`. */
export async function waitForPlaytest(
  h: Harness,
  jobId: number,
  round: number,
  timeoutMs = PLAYTEST_WAIT_MS,
): Promise<EventRow> {
  const hub = new EventHub(h.service.databaseUrl);
  await hub.start();
  try {
    let timer: NodeJS.Timeout | undefined;
    return await new Promise<EventRow>((resolve, reject) => {
      const check = async () => {
        const events = (await jobEvents(h, jobId)).filter((e) => e.kind === 'playtest');
        const skipped = events.find((e) => e.data?.skipped);
        if (skipped) return reject(new Error(`play-test of job ${jobId} was skipped: ${skipped.message}`));
        const done = events.find((e) => e.data?.round === round && typeof e.data?.score === 'number');
        if (done) resolve(done);
      };
      timer = setTimeout(async () => {
        const events = await jobEvents(h, jobId);
        reject(
          new Error(
            `no play-test round ${round} for job ${jobId} within ${timeoutMs} ms; events: ${events
              .map((e) => `${e.kind}: ${e.message}`)
              .join(' / ')
              .slice(-1500)}`,
          ),
        );
      }, timeoutMs);
      hub.subscribe((n) => n.jobId === jobId && void check().catch(reject));
      void check().catch(reject);
    }).finally(() => clearTimeout(timer));
  } finally {
    await hub.stop();
  }
}

/** Resolves with the first event of `jobId` that `match` accepts, woken by NOTIFY; rejects after `timeoutMs` (the harness's). */
export const waitForEvent = (h: Harness, jobId: number, match: (e: EventRow) => boolean, timeoutMs = 60_000) =>
  h.waitForEvent(jobId, match, timeoutMs);

/** The stored play-test: the latest alias (`playtest.json`, the served version's) or round N's (`playtest/round-N/`). */
export async function storedPlaytest(h: Harness, jobId: number, round?: number): Promise<Playtest> {
  const path = round ? `playtest/round-${round}/playtest.json` : 'playtest.json';
  const res = await h.api(`/api/jobs/${jobId}/artifacts/${path}`);
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
  return Playtest.parse(await res.json());
}

/**
 * graphile-worker jobs queued or running for this GamePocGen job (by job_key),
 * besides play-tests: a play-test's own row outlives the transaction that
 * recorded its result (and would have queued a repair) until its task returns.
 */
export async function queuedSteps(h: Harness, jobId: number): Promise<string[]> {
  const { rows } = await h.service.db.query<{ key: string }>(
    `select key from graphile_worker._private_jobs where key like $1 and key not like '%:playtest:%' order by id`,
    [`job:${jobId}:%`],
  );
  return rows.map((r) => r.key);
}

/** A client-checkout wrapper like graphile's withPgClient, for calling lib/ code directly. */
export function withClientOf(pool: pg.Pool) {
  return async <T>(fn: (c: DbClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  };
}

/** Width and height from a PNG's IHDR chunk; throws unless the bytes start like a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The service the repair-loop suites share: play-testing on, the broken-build agent writing the games. */
export function createRepairHarness(): Promise<Harness> {
  return createHarness({
    AGENT_MODULE: path.join(import.meta.dirname, 'fixtures', 'agents', 'broken-build-agent.ts'),
    MAX_CONCURRENT: '4',
    PLAYTEST: 'on',
  });
}

/** POST /api/generate for one game with a fixed seed; its job id. */
export const generateJob = (h: Harness, idea: string, seed: number): Promise<number> => h.generate(idea, { seed });
