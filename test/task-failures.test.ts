// Bad task payloads, missing jobs, timeouts and invalid agent output: each ends
// as a failed job (or a once-failed graphile job) with a readable reason.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'agents');

/** Resolves with the graphile job row once the runner has written its failure to the database. */
function nextFailedGraphileJob(h: Harness, task: string) {
  return new Promise<{ id: string; attempts: number; max_attempts: number; last_error: string }>((resolve) => {
    const onComplete = async ({ job, error }: { job: { id: string; task_identifier: string }; error: unknown }) => {
      if (job.task_identifier !== task || !error) return;
      h.service.runner!.events.off('job:complete', onComplete);
      // graphile-worker writes the failure right after emitting the event.
      const row = await vi.waitFor(
        async () => {
          const { rows } = await h.service.db.query(
            'select id, attempts, max_attempts, last_error from graphile_worker._private_jobs where id = $1',
            [job.id],
          );
          if (!rows[0]?.last_error) throw new Error('failure not written yet');
          return rows[0];
        },
        { timeout: 5000, interval: 20 },
      );
      resolve(row);
    };
    h.service.runner!.events.on('job:complete', onComplete);
  });
}

describe('payloads added from SQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());

  it('fails a malformed run-phase payload once, readably, without retrying', async () => {
    const failed = nextFailedGraphileJob(h, 'run-phase');
    await h.service.db.query(`select graphile_worker.add_job('run-phase', '{"jobId":"x"}')`);
    const job = await failed;
    expect(job.attempts).toBe(1);
    expect(job.max_attempts).toBe(1);
    expect(job.last_error).toMatch(/invalid payload.*jobId/);
  });

  it('fails a payload naming a job that does not exist', async () => {
    const failed = nextFailedGraphileJob(h, 'run-phase');
    await h.service.db.query(
      `select graphile_worker.add_job('run-phase', json_build_object('jobId', 424242, 'phase', 2))`,
    );
    const job = await failed;
    expect(job.attempts).toBe(1);
    expect(job.last_error).toMatch(/job 424242 does not exist/);
  });

  it('fails an out-of-range phase', async () => {
    const failed = nextFailedGraphileJob(h, 'run-phase');
    await h.service.db.query(`select graphile_worker.add_job('run-phase', json_build_object('jobId', 1, 'phase', 9))`);
    expect((await failed).last_error).toMatch(/phase/);
  });

  it('keeps working after bad payloads', async () => {
    const { rows } = await h.service.db.query(`select gamepocgen.generate_game('still alive') as id`);
    expect((await h.waitForJob(rows[0].id)).status).toBe('deployed');
  });
});

describe('a phase that runs past its timeout', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ AGENT_MODULE: path.join(FIXTURES, 'sleepy-agent.ts'), PHASE_TIMEOUT_SECONDS: '1' });
  });
  afterAll(() => h?.close());

  it('is stopped and the job fails with the phase and reason', async () => {
    const { rows } = await h.service.db.query(`select gamepocgen.generate_game('slow') as id`);
    const job = await h.waitForJob(rows[0].id, ['failed'], 20_000);
    expect(job.error).toMatch(/phase 1 \(idea\) timed out: .*1s timeout/);
    const runs = await h.service.db.query('select status from gamepocgen.phase_runs where job_id = $1', [job.id]);
    expect(runs.rows.map((r) => r.status)).toEqual(['timeout']);
  });
});

describe('an agent that writes invalid artifacts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ AGENT_MODULE: path.join(FIXTURES, 'invalid-agent.ts') });
  });
  afterAll(() => h?.close());

  it('fails the job with the validation message', async () => {
    const res = await h.api('/api/generate', { method: 'POST', body: JSON.stringify({ idea: 'broken' }) });
    const { jobIds } = (await res.json()) as { jobIds: number[] };
    const job = await h.waitForJob(jobIds[0]!);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/phase 1 \(idea\) failed: invalid idea output: idea\.json: .*genre/);
    // Nothing invalid was stored as an artifact.
    const { rows } = await h.service.db.query('select count(*)::int n from gamepocgen.artifacts where job_id = $1', [
      job.id,
    ]);
    expect(rows[0].n).toBe(0);
  });
});
