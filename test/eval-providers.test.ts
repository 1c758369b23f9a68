// `npm run eval --provider a --provider b`, offline: one idea through the real service on two
// providers in one report (bench/eval/run.ts). The agent is the builtin one plus a note of the
// endpoint and model each job was handed (test/fixtures/agents/provider-agent.ts), so the test
// sees that every game ran on its own provider; the report holds a row per idea and provider and
// each provider's totals.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from '../bench/eval/report.ts';
import { runEval } from '../bench/eval/run.ts';
import { formatReport } from '../bench/eval/table.ts';
import { getArtifact } from '../lib/artifact-store.ts';
import { createPool } from '../lib/db.ts';
import { chromiumAvailable } from './browser/harness.ts';
import { createTestDatabase } from './helpers/db.ts';

/** A hang guard, not a speed check: two judged games on a loaded 2-core machine. */
const HANG_GUARD_MS = 20 * 60_000;
const PROVIDERS = ['zai:glm-4.6', 'llm:local-model'];

describe.skipIf(!chromiumAvailable())('npm run eval on two providers, one report', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let report: EvalReport;

  beforeAll(async () => {
    database = await createTestDatabase();
    report = await runEval({
      suite: {
        name: 'two-providers',
        description: 'one idea on two providers',
        ideas: [{ id: 'courier', idea: 'A courier sprinting across rooftops, jumping gaps', kit: 'runner', seed: 301 }],
      },
      agent: 'claude',
      providers: PROVIDERS,
      env: {
        AGENT_MODULE: path.join(import.meta.dirname, 'fixtures', 'agents', 'provider-agent.ts'),
        RUNTIME: 'local',
        ALLOW_UNSANDBOXED: '1',
        ZAI_API_KEY: 'zai-test-key',
        ZAI_BASE_URL: 'http://127.0.0.1:9/zai',
        LLM_API_KEY: 'llm-test-key',
        LLM_BASE_URL: 'http://127.0.0.1:9/llm',
        MAX_CONCURRENT: '2',
        MAX_REPAIRS: '0',
      },
      databaseUrl: database.url,
      gameTimeoutMs: HANG_GUARD_MS,
    });
  }, HANG_GUARD_MS + 120_000);

  afterAll(async () => {
    await database?.drop().catch(() => {});
  });

  it('runs the idea once per provider, each job on its own endpoint and model', async () => {
    expect(report).toMatchObject({ agent: 'claude', provider: null, providers: PROVIDERS, model: null });
    expect(report.games.map((g) => [g.id, g.provider])).toEqual([
      ['courier', 'zai:glm-4.6'],
      ['courier', 'llm:local-model'],
    ]);
    const db = createPool(database.url, 1);
    try {
      const seen = [];
      for (const g of report.games) {
        const note = await getArtifact(db, g.jobId!, 'agent-env.json');
        seen.push(JSON.parse(note!.bytes.toString('utf8')));
      }
      expect(seen).toEqual([
        { model: 'glm-4.6', baseUrl: 'http://127.0.0.1:9/zai', hasKey: true },
        { model: 'local-model', baseUrl: 'http://127.0.0.1:9/llm', hasKey: true },
      ]);
    } finally {
      await db.end();
    }
  });

  it('reports each provider’s totals and a provider column, and keeps the keys out of the report', () => {
    expect(report.byProvider.map((p) => [p.provider, p.totals.games])).toEqual([
      ['zai:glm-4.6', 1],
      ['llm:local-model', 1],
    ]);
    for (const g of report.games) expect(g.verdict, g.reason).not.toBe('unusable');
    const table = formatReport(report);
    expect(table).toMatch(/^eval two-providers: agent claude \(zai:glm-4\.6 vs llm:local-model\)/);
    expect(table).toMatch(/^idea\s+provider\s+kit/m);
    expect(table).toMatch(/^courier\s+zai:glm-4\.6\s+runner→runner\s/m);
    expect(table).toMatch(/^courier\s+llm:local-model\s+runner→runner\s/m);
    expect(table).toMatch(/^zai:glm-4\.6:\n {2}games 1: /m);
    expect(table).toMatch(/^llm:local-model:\n {2}games 1: /m);
    expect(JSON.stringify(report)).not.toMatch(/zai-test-key|llm-test-key/);
  });
});
