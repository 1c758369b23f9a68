// Provider comparison: one idea, phase 1 run once and shared, phases 2–4 once
// per provider with that provider's settings, both games deployed and linked.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';

const ZAI_KEY = 'zai-secret-key-0123456789';
const ANTHROPIC_KEY = 'anthropic-secret-key-0123456789';
let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    AGENT_MODULE: path.join(import.meta.dirname, 'fixtures', 'agents', 'model-echo-agent.ts'),
    ZAI_API_KEY: ZAI_KEY,
    ZAI_BASE_URL: 'http://127.0.0.1:9/zai',
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/anthropic',
  });
});
afterAll(() => h?.close());

const post = (body: unknown) => h.api('/api/generate', { method: 'POST', body: JSON.stringify(body) });

it('runs phase 1 once and the later phases once per provider', async () => {
  const res = await post({
    idea: 'a duel of paper airplanes',
    compare: ['zai:glm-4.6', 'anthropic:claude-sonnet-4-5'],
  });
  expect(res.status).toBe(201);
  const { jobIds } = (await res.json()) as { jobIds: number[] };
  expect(jobIds).toHaveLength(2);
  const jobs = await Promise.all(jobIds.map((id) => h.waitForJob(id)));
  expect(jobs.map((j) => j.status)).toEqual(['deployed', 'deployed']);
  expect(jobs[0]!.url).not.toBe(jobs[1]!.url);

  const db = h.service.db;
  const runs = await db.query<{ job_id: number; phase: number; runtime: string }>(
    'select job_id, phase, runtime from gamepocgen.phase_runs where status = $1 order by job_id, phase',
    ['completed'],
  );
  const [lead, sibling] = jobIds as [number, number];
  expect(runs.rows.filter((r) => r.job_id === lead).map((r) => [r.phase, r.runtime])).toEqual([
    [1, 'local'],
    [2, 'local'],
    [3, 'local'],
    [4, 'local'],
  ]);
  expect(runs.rows.filter((r) => r.job_id === sibling).map((r) => [r.phase, r.runtime])).toEqual([
    [1, `shared:${lead}`],
    [2, 'local'],
    [3, 'local'],
    [4, 'local'],
  ]);

  // The same idea.json bytes, different builds.
  const idea = await db.query<{ job_id: number; sha256: string }>(
    `select job_id, sha256 from gamepocgen.artifacts where path = 'idea.json' order by job_id`,
  );
  expect(new Set(idea.rows.map((r) => r.sha256)).size).toBe(1);

  // Each provider's phases ran with its own model and endpoint; the keys never surface in events.
  const events = await db.query<{ job_id: number; phase: number; message: string }>(
    `select job_id, phase, message from gamepocgen.job_events where message like 'model=%' order by id`,
  );
  expect(events.rows.filter((e) => e.job_id === lead).map((e) => e.message)).toEqual([
    'model=glm-4.6 base=http://127.0.0.1:9/zai',
    'model=glm-4.6 base=http://127.0.0.1:9/zai',
    'model=glm-4.6 base=http://127.0.0.1:9/zai',
    'model=glm-4.6 base=http://127.0.0.1:9/zai',
  ]);
  expect(events.rows.filter((e) => e.job_id === sibling).map((e) => e.message)).toEqual([
    'model=claude-sonnet-4-5 base=http://127.0.0.1:9/anthropic',
    'model=claude-sonnet-4-5 base=http://127.0.0.1:9/anthropic',
    'model=claude-sonnet-4-5 base=http://127.0.0.1:9/anthropic',
  ]);
  const leaked = await db.query(
    `select count(*)::int n from gamepocgen.job_events where message like '%' || $1 || '%' or message like '%' || $2 || '%' or data::text like '%' || $1 || '%'`,
    [ZAI_KEY, ANTHROPIC_KEY],
  );
  expect(leaked.rows[0].n).toBe(0);

  // The API links them.
  const body = (await (await h.api(`/api/jobs/${sibling}`)).json()) as {
    job: { compareGroup: number; provider: string; comparison: { id: number; provider: string }[] };
  };
  expect(body.job).toMatchObject({ compareGroup: lead, provider: 'anthropic:claude-sonnet-4-5' });
  expect(body.job.comparison.map((c) => [c.id, c.provider])).toEqual([
    [lead, 'zai:glm-4.6'],
    [sibling, 'anthropic:claude-sonnet-4-5'],
  ]);
  const responseText = JSON.stringify(body);
  expect(responseText).not.toContain(ZAI_KEY);
});

it('rejects bad comparisons with a clear 400', async () => {
  for (const [body, code, pattern] of [
    [{ compare: ['zai:glm-4.6'] }, 'invalid_request', /compare/],
    [{ compare: ['openai:gpt', 'zai:glm-4.6'] }, 'invalid_request', /provider zai, anthropic or llm/],
    [{ compare: ['zai:glm-4.6', 'zai:glm-4.6'] }, 'invalid_request', /twice/],
    [{ compare: ['zai:a', 'anthropic:b'], count: 2 }, 'invalid_request', /count/],
    [{ compare: ['zai:a', 'llm:b'] }, 'llm_not_configured', /LLM_API_KEY/],
  ] as const) {
    const res = await post(body);
    expect(res.status, JSON.stringify(body)).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe(code);
    expect(error.message).toMatch(pattern);
  }
});
