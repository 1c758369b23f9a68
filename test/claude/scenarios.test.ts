// How the Claude agent copes when the model or the endpoint misbehaves, with
// the real CLI: invalid output (one corrective turn), 429, 5xx forever, a dead
// endpoint, a model that never answers, a build that stays broken (builtin
// fallback) and a missing key. What the agent may reach (files, env, the key)
// is test/claude/containment.test.ts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Idea } from '../../lib/artifacts.ts';
import { validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { readTree } from '../../lib/workspace.ts';
import { freePort } from '../../support/free-port.ts';
import {
  alwaysInvalid,
  brokenBuild,
  failForever,
  hang,
  invalidJsonFirst,
  rateLimitedOnce,
} from '../fixtures/scenarios/index.ts';
import {
  API_KEY,
  HAVE_CLAUDE,
  makeWorkspace,
  modelServerPerTest,
  processesIn,
  readJson,
  runAgentPhase,
  runBuiltinPhases,
} from './helpers.ts';

const models = modelServerPerTest();

const noKey = (value: unknown) => expect(JSON.stringify(value)).not.toContain(API_KEY);

describe.skipIf(!HAVE_CLAUDE)('claude agent scenarios (real CLI)', () => {
  it('invalid JSON first → one corrective turn in the same session → valid', async () => {
    const srv = await models.start(invalidJsonFirst(1));
    const ws = await makeWorkspace();
    const run = await runAgentPhase({ phase: 1, workspaceDir: ws, baseUrl: srv.url });
    expect(run.error).toBeUndefined();
    expect(Idea.safeParse(await readJson(path.join(ws, 'idea.json'))).success).toBe(true);
    const corrective = srv.messageRequests().filter((r) => r.turn!.attempt === 1);
    expect(corrective.length).toBeGreaterThan(0);
    // The validation error went back to the model, inside the data block, in the resumed session.
    expect(corrective[0]!.turn!.humanText).toContain('your output failed validation');
    expect(corrective[0]!.turn!.humanText).toMatch(/idea\.json: not valid JSON/);
    expect(corrective[0]!.headers['x-claude-code-session-id']).toBe(
      srv.messageRequests()[0]!.headers['x-claude-code-session-id'],
    );
    expect(
      run.events.some(
        (e) =>
          e.kind === 'log' && e.message.startsWith('output invalid, one corrective turn: idea.json: not valid JSON'),
      ),
    ).toBe(true);
    // Usage covers both runs.
    const runsUsage = run.events
      .filter((e) => e.message.startsWith('claude run finished'))
      .map((e) => e.data!.inputTokens as number);
    expect(runsUsage).toHaveLength(2);
    expect(run.result!.usage!.inputTokens).toBe(runsUsage[0]! + runsUsage[1]!);
  });

  it('still invalid after the corrective turn → fails with the validation errors', async () => {
    const srv = await models.start(alwaysInvalid(1));
    const run = await runAgentPhase({ phase: 1, workspaceDir: await makeWorkspace(), baseUrl: srv.url });
    expect(run.error?.code).toBe('invalid_output');
    expect(run.error!.message).toMatch(/^output still invalid after one corrective turn: idea\.json: .*genre/);
    expect(srv.messageRequests().some((r) => r.turn!.attempt === 1)).toBe(true);
    expect(srv.messageRequests().some((r) => r.turn!.attempt === 2)).toBe(false); // exactly one corrective turn
  });

  it('429 then success: the CLI retries and the phase completes', async () => {
    const srv = await models.start(rateLimitedOnce);
    const ws = await makeWorkspace();
    const run = await runAgentPhase({ phase: 1, workspaceDir: ws, baseUrl: srv.url });
    expect(run.error).toBeUndefined();
    expect(
      srv
        .messageRequests()
        .map((r) => r.status)
        .slice(0, 2),
    ).toEqual([429, 200]);
    expect(
      run.events.some((e) => e.kind === 'log' && /LLM endpoint error \(HTTP 429\); retry 1 of 1/.test(e.message)),
    ).toBe(true);
    expect(validatePhaseOutputs(1, await readTree(ws))).toEqual([]);
  });

  it('500 forever → failed phase whose reason names the status, after the configured retries', async () => {
    const srv = await models.start(failForever(500));
    const run = await runAgentPhase({
      phase: 2,
      workspaceDir: await makeWorkspace(),
      baseUrl: srv.url,
      env: { LLM_MAX_RETRIES: '2' },
    });
    expect(run.error?.code).toBe('llm_endpoint_error');
    expect(run.error!.message).toMatch(
      /^LLM endpoint 127\.0\.0\.1:\d+ answered HTTP 500 \(api_error\) after 2 retries: /,
    );
    expect(srv.messageRequests()).toHaveLength(3);
    noKey(run.events);
    noKey(run.error!.message);
  });

  it('connection refused → failed phase that says the endpoint is unreachable', async () => {
    const port = await freePort();
    const run = await runAgentPhase({
      phase: 1,
      workspaceDir: await makeWorkspace(),
      baseUrl: `http://127.0.0.1:${port}`,
    });
    expect(run.error?.code).toBe('llm_unreachable');
    expect(run.error!.message).toMatch(
      new RegExp(`^LLM endpoint 127\\.0\\.0\\.1:${port} unreachable after 1 retry: .*(refused|ECONNREFUSED)`),
    );
  });

  it('a model that never answers is stopped by the phase signal, and the CLI with it', async () => {
    const srv = await models.start(hang);
    const ws = await makeWorkspace();
    const controller = new AbortController();
    let sawCli = false;
    srv.setBeforeReply(async () => {
      sawCli = (await processesIn(ws)).length > 0;
      setTimeout(() => controller.abort(), 300);
    });
    const run = await runAgentPhase({ phase: 1, workspaceDir: ws, baseUrl: srv.url, signal: controller.signal });
    expect(sawCli).toBe(true);
    expect(run.error?.code).toBe('aborted');
    expect(run.ms).toBeLessThan(30_000); // the CLI alone would wait out its 10-minute request timeout
    await new Promise((r) => setTimeout(r, 200));
    expect(await processesIn(ws)).toEqual([]);
  });

  it('a build still broken after the corrective turn falls back to the builtin build (BUILD_FALLBACK=builtin)', async () => {
    const ws = await makeWorkspace();
    await runBuiltinPhases(ws, [1, 2, 3]);
    const srv = await models.start(brokenBuild);
    const run = await runAgentPhase({ phase: 4, workspaceDir: ws, baseUrl: srv.url });
    expect(run.error).toBeUndefined();
    expect(srv.messageRequests().some((r) => r.turn!.attempt === 1)).toBe(true);
    const fallback = run.events.find((e) => e.data?.fallback === 'builtin');
    expect(fallback?.message).toMatch(/^LLM build still invalid after the corrective turn; BUILD_FALLBACK=builtin/);
    const files = await readTree(ws, { skip: (p) => p.startsWith('status/') });
    expect(validatePhaseOutputs(4, files)).toEqual([]);
    expect(files.has('dist/missing.js')).toBe(false);
    expect(await readFile(path.join(ws, 'dist/index.html'), 'utf8')).toMatch(/<canvas/);
  });

  it('BUILD_FALLBACK=none: the broken build fails the phase with the dist problems', async () => {
    const ws = await makeWorkspace();
    await runBuiltinPhases(ws, [1, 2, 3]);
    const srv = await models.start(brokenBuild);
    const run = await runAgentPhase({ phase: 4, workspaceDir: ws, baseUrl: srv.url, env: { BUILD_FALLBACK: 'none' } });
    expect(run.error?.code).toBe('invalid_output');
    expect(run.error!.message).toContain('dist/index.html: no <canvas> element');
    expect(run.error!.message).toContain('dist/index.html: references dist/missing.js, which is missing');
  });

  it('refuses to start without an API key, naming the variables to set', async () => {
    const run = await runAgentPhase({
      phase: 1,
      workspaceDir: await makeWorkspace(),
      baseUrl: 'http://127.0.0.1:9',
      env: { LLM_API_KEY: '' },
    });
    expect(run.error?.code).toBe('llm_not_configured');
    expect(run.error!.message).toContain('LLM_API_KEY');
  });
});
