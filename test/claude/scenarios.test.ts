// How the Claude agent copes when the model or the endpoint misbehaves, with
// the real CLI: invalid output (one corrective turn), 429, 5xx forever, a dead
// endpoint, a model that never answers, writes outside the workspace, and a
// build that stays broken (builtin fallback).
import { existsSync } from 'node:fs';
import { chmod, cp, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Idea, type PhaseNumber } from '../../lib/artifacts.ts';
import { builtinAgent } from '../../lib/agents/builtin/index.ts';
import { scrubSecrets } from '../../lib/agents/claude/scrub.ts';
import { validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { readTree } from '../../lib/workspace.ts';
import { startModelServer, type ModelServer, type Scenario } from '../fixtures/model-server.ts';
import {
  alwaysInvalid,
  brokenBuild,
  failForever,
  hang,
  invalidJsonFirst,
  leakKeyViaBash,
  rateLimitedOnce,
  readOutside,
  writeOutside,
} from '../fixtures/scenarios/index.ts';
import {
  API_KEY,
  FRAMEWORK_DIR,
  HAVE_CLAUDE,
  INPUT,
  PROMPTS_DIR,
  cleanupTempDirs,
  makeWorkspace,
  processesIn,
  readJson,
  runAgentPhase,
  tempDir,
} from './helpers.ts';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(cleanupTempDirs);

async function start(scenario: Scenario) {
  server = await startModelServer({ scenario });
  return server;
}

const noKey = (value: unknown) => expect(JSON.stringify(value)).not.toContain(API_KEY);

describe.skipIf(!HAVE_CLAUDE)('claude agent scenarios (real CLI)', () => {
  it('invalid JSON first → one corrective turn in the same session → valid', async () => {
    const srv = await start(invalidJsonFirst(1));
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
    const srv = await start(alwaysInvalid(1));
    const run = await runAgentPhase({ phase: 1, workspaceDir: await makeWorkspace(), baseUrl: srv.url });
    expect(run.error?.code).toBe('invalid_output');
    expect(run.error!.message).toMatch(/^output still invalid after one corrective turn: idea\.json: .*genre/);
    expect(srv.messageRequests().some((r) => r.turn!.attempt === 1)).toBe(true);
    expect(srv.messageRequests().some((r) => r.turn!.attempt === 2)).toBe(false); // exactly one corrective turn
  });

  it('429 then success: the CLI retries and the phase completes', async () => {
    const srv = await start(rateLimitedOnce);
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
    const srv = await start(failForever(500));
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
    const port = await closedPort();
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
    const srv = await start(hang);
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

  it.each([1, 4] as const)(
    'phase %i: a Write outside the workspace is refused by the CLI, even where the OS would allow it',
    async (phase) => {
      const outsideDir = await tempDir('outside');
      await chmod(outsideDir, 0o777); // world-writable: only the CLI's policy can stop the write
      const target = path.join(outsideDir, 'escaped.txt');
      const srv = await start(writeOutside(target, phase));
      const ws = await makeWorkspace();
      if (phase === 4) await builtinPhases(ws, [1, 2, 3]);
      const run = await runAgentPhase({ phase, workspaceDir: ws, baseUrl: srv.url });
      expect(existsSync(target)).toBe(false);
      const denied = srv
        .messageRequests()
        .flatMap((r) => r.turn!.toolResults)
        .find((t) => t.isError);
      expect(denied?.text).toContain(`permissions to write to ${target}`);
      expect(run.events).toContainEqual(
        expect.objectContaining({ kind: 'error', message: expect.stringContaining(`refused: Write ${target}`) }),
      );
      // The phase itself carries on and completes.
      expect(run.error).toBeUndefined();
      expect(validatePhaseOutputs(phase, await readTree(ws))).toEqual([]);
    },
  );

  it('the framework directory the agent may read (--add-dir) stays read-only, by the settings written to its HOME', async () => {
    // A world-writable copy: only the deny rule in ~/.claude/settings.json stands in the way.
    const fw = await tempDir('framework');
    await cp(path.join(import.meta.dirname, 'fixtures', 'framework'), fw, { recursive: true });
    for (const p of [fw, path.join(fw, 'core')]) await chmod(p, 0o777);
    await chmod(path.join(fw, 'core', 'loop.js'), 0o666);
    const before = await readFile(path.join(fw, 'core', 'loop.js'), 'utf8');
    const srv = await start(writeOutside(path.join(fw, 'core', 'loop.js'), 3));
    const run = await runAgentPhase({
      phase: 3,
      workspaceDir: await makeWorkspace(),
      baseUrl: srv.url,
      frameworkDir: fw,
    });
    expect(run.error).toBeUndefined();
    expect(await readFile(path.join(fw, 'core', 'loop.js'), 'utf8')).toBe(before);
    const result = srv.messageRequests().flatMap((r) => r.turn!.toolResults)[0]!;
    expect(result).toMatchObject({
      isError: true,
      text: expect.stringContaining('denied by your permission settings'),
    });
  });

  it('reads outside the workspace are refused too (no /etc, no /proc)', async () => {
    for (const target of ['/etc/passwd', '/proc/self/environ']) {
      const srv = await start(readOutside(target, 1));
      const run = await runAgentPhase({ phase: 1, workspaceDir: await makeWorkspace(), baseUrl: srv.url });
      expect(run.error).toBeUndefined();
      const result = srv.messageRequests().flatMap((r) => r.turn!.toolResults)[0]!;
      expect(result.isError).toBe(true);
      expect(result.text).not.toContain('root:x:0:0');
      expect(result.text).not.toContain(API_KEY);
      await srv.close();
      server = undefined;
    }
  });

  it('a shell that copies every env it can read finds only the proxy token, never the key', async () => {
    const ws = await makeWorkspace();
    const srv = await start(leakKeyViaBash);
    const run = await runAgentPhase({ phase: 4, workspaceDir: ws, baseUrl: srv.url });
    expect(run.error).toBeUndefined();
    const leak = await readFile(path.join(ws, 'dist/leak.txt'), 'utf8');
    expect(leak).toMatch(/^ANTHROPIC_AUTH_TOKEN=gpg-proxy-[0-9a-f]{48}$/m); // the shell did copy its credentials…
    expect(leak).toMatch(/^ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(leak).not.toContain(API_KEY); // …and the key was never among them
    expect(leak).not.toContain('[redacted]'); // (not scrubbed afterwards: there was nothing to scrub)
    expect(run.events.some((e) => e.message.includes('contained the LLM API key'))).toBe(false);
    // The token is worthless once the phase is over: its proxy is closed.
    const token = /ANTHROPIC_AUTH_TOKEN=(\S+)/.exec(leak)![1];
    const proxyUrl = /ANTHROPIC_BASE_URL=(\S+)/.exec(leak)![1];
    await expect(
      fetch(`${proxyUrl}/v1/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' }),
    ).rejects.toThrow();
    // The endpoint itself always got the real key.
    expect(srv.messageRequests().every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
    noKey(run.events);
  });

  it('the scrub stays as a last line of defence: a key in a workspace file is replaced after the run', async () => {
    const ws = await makeWorkspace();
    await writeFile(path.join(ws, 'copied.txt'), `key=${API_KEY}\n`);
    expect(await scrubSecrets(ws, [API_KEY])).toEqual(['copied.txt']);
    expect(await readFile(path.join(ws, 'copied.txt'), 'utf8')).toBe('key=[redacted]\n');
  });

  it('a build still broken after the corrective turn falls back to the builtin build (BUILD_FALLBACK=builtin)', async () => {
    const ws = await makeWorkspace();
    await builtinPhases(ws, [1, 2, 3]);
    const srv = await start(brokenBuild);
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
    await builtinPhases(ws, [1, 2, 3]);
    const srv = await start(brokenBuild);
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

async function builtinPhases(ws: string, phases: PhaseNumber[]) {
  for (const phase of phases) {
    await builtinAgent.runPhase({
      phase,
      jobId: 1,
      gameName: 'game-1',
      workspaceDir: ws,
      frameworkDir: FRAMEWORK_DIR,
      promptsDir: PROMPTS_DIR,
      input: INPUT,
      signal: new AbortController().signal,
      emit: () => {},
      validateOutputs: async () => validatePhaseOutputs(phase, await readTree(ws)),
      env: {},
    });
  }
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
