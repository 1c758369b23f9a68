// Bad input over HTTP gets a clear 4xx in the one error shape, and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  // No runner: these tests are about the HTTP surface only.
  h = await createHarness({}, { runner: false });
});
afterAll(() => h?.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  h.api('/api/generate', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

async function expectError(res: Response, status: number, code: string, messagePart?: RegExp) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  if (messagePart) expect(body.error.message).toMatch(messagePart);
  expect(body.error).toHaveProperty('details');
}

describe('POST /api/generate input', () => {
  it('rejects invalid JSON', async () => {
    await expectError(await post('{"idea": "unterminated'), 400, 'invalid_json', /not valid JSON/);
  });
  it('rejects wrong types', async () => {
    await expectError(await post(JSON.stringify({ idea: 42 })), 400, 'invalid_request', /idea/);
    await expectError(await post(JSON.stringify({ genre: 'opera' })), 400, 'invalid_request', /genre/);
    await expectError(await post(JSON.stringify({ seed: -1 })), 400, 'invalid_request', /seed/);
    await expectError(await post(JSON.stringify({ idea: 'x', colour: 'red' })), 400, 'invalid_request', /colour/);
    await expectError(await post('[1,2]'), 400, 'invalid_request');
  });
  it.each([0, 11, '3', 2.5])('rejects count %j', async (count) => {
    await expectError(await post(JSON.stringify({ idea: 'x', count })), 400, 'invalid_request', /count/);
  });
  it('rejects a 1 MB idea with 413', async () => {
    await expectError(await post(JSON.stringify({ idea: 'a'.repeat(1024 * 1024) })), 413, 'payload_too_large', /limit/);
  });
  it('rejects an idea over 10000 characters that fits the body limit', async () => {
    await expectError(await post(JSON.stringify({ idea: 'a'.repeat(10_001) })), 400, 'invalid_request', /10000/);
  });
  it('refuses a body sent without a JSON content type (plain curl -d, forms, beacons)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await h.api('/api/generate', {
        method: 'POST',
        body: '{"idea":"x"}',
        headers: { 'content-type': type },
      });
      await expectError(res, 415, 'unsupported_media_type', /application\/json/);
    }
  });
  it('accepts a JSON body (curl -H "content-type: application/json" -d)', async () => {
    const res = await h.api('/api/generate', {
      method: 'POST',
      body: JSON.stringify({ idea: 'a cozy fishing roguelite', count: 2, seed: 7 }),
    });
    expect(res.status).toBe(201);
    const { jobIds } = (await res.json()) as { jobIds: number[] };
    expect(jobIds).toHaveLength(2);
    const job = (await (await h.api(`/api/jobs/${jobIds[1]}`)).json()) as { job: { seed: number; status: string } };
    expect(job.job).toMatchObject({ seed: 8, status: 'queued' });
    // Enqueued in the same transaction: the graphile job exists.
    const { rows } = await h.service.db.query(`select key from graphile_worker._private_jobs where key = $1`, [
      `job:${jobIds[0]}:phase:1`,
    ]);
    expect(rows).toHaveLength(1);
  });
});

describe('job lookups', () => {
  it('404s an unknown job id', async () => {
    await expectError(await h.api('/api/jobs/999999'), 404, 'job_not_found', /999999/);
    await expectError(await h.api('/api/jobs/999999/logs'), 404, 'job_not_found');
    await expectError(await h.api('/api/games/999999', { method: 'DELETE' }), 404, 'job_not_found');
  });
  it.each(['abc', '-1', '0', '1.5', '99999999999999999999'])('400s a non-numeric or out-of-range id %s', async (id) => {
    await expectError(await h.api(`/api/jobs/${id}`), 400, 'invalid_id');
  });
  it('validates list query strings', async () => {
    await expectError(await h.api('/api/jobs?limit=0'), 400, 'invalid_request', /limit/);
    await expectError(await h.api('/api/jobs?status=bogus'), 400, 'invalid_request', /status/);
  });
  it('404s unknown routes in the error shape', async () => {
    await expectError(await h.api('/api/nope'), 404, 'not_found');
  });
  it('refuses to remove a job that is not a deployed game', async () => {
    const { jobIds } = (await (await post(JSON.stringify({ idea: 'x' }))).json()) as { jobIds: number[] };
    await expectError(await h.api(`/api/games/${jobIds[0]}`, { method: 'DELETE' }), 409, 'not_deployed');
  });
  it('keeps serving after all of that', async () => {
    const res = await h.api('/health');
    expect([200]).toContain(res.status);
    const body = (await res.json()) as { db: string; queueDepth: number };
    expect(body.db).toBe('ok');
    expect(body.queueDepth).toBeGreaterThan(0);
  });
});

describe('paging', () => {
  it('pages jobs with a cursor', async () => {
    await post(JSON.stringify({ count: 5 }));
    const first = (await (await h.api('/api/jobs?limit=2')).json()) as { jobs: { id: number }[]; nextCursor: string };
    expect(first.jobs).toHaveLength(2);
    const second = (await (await h.api(`/api/jobs?limit=2&cursor=${first.nextCursor}`)).json()) as {
      jobs: { id: number }[];
    };
    expect(second.jobs[0]!.id).toBeLessThan(first.jobs[1]!.id);
  });
});
