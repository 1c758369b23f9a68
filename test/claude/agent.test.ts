// The real Claude Code CLI against the scripted model server, through
// claudeAgent.runPhase: the four phases of a job write valid artifacts with the
// CLI's own tools, with the tool policy, identity and secrecy the agent promises.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Design, Idea, Plan, type PhaseNumber } from '../../lib/artifacts.ts';
import { validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { readTree } from '../../lib/workspace.ts';
import { startModelServer, type MessagesBody, type ModelServer } from '../fixtures/model-server.ts';
import { HAPPY_FILES, STARTER_RM, happy } from '../fixtures/scenarios/index.ts';
import { DESIGN, IDEA, PLAN } from '../fixtures/scenarios/artifacts.ts';
import {
  API_KEY,
  HAVE_CLAUDE,
  cleanupTempDirs,
  makeWorkspace,
  processesIn,
  readJson,
  runAgentPhase,
  type PhaseRun,
  type ProcInfo,
} from './helpers.ts';

describe.skipIf(!HAVE_CLAUDE)('claude agent, four phases with the real CLI', () => {
  let server: ModelServer;
  let ws: string;
  const runs = new Map<PhaseNumber, PhaseRun>();
  const seen: ProcInfo[] = [];

  beforeAll(async () => {
    server = await startModelServer({ scenario: happy });
    ws = await makeWorkspace();
    // While the CLI waits on its first reply of each phase, look at it from outside.
    server.setBeforeReply(async (turn) => {
      if (turn.step === 0 && turn.callIndex === 0) seen.push(...(await processesIn(ws)));
    });
    for (const phase of [1, 2, 3, 4] as const) {
      const run = await runAgentPhase({ phase, workspaceDir: ws, baseUrl: server.url });
      runs.set(phase, run);
      if (run.error) throw run.error;
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await cleanupTempDirs();
  });

  it('writes valid artifacts for every phase', async () => {
    const files = await readTree(ws, { skip: (p) => p.startsWith('status/') });
    for (const phase of [1, 2, 3, 4] as const) expect(validatePhaseOutputs(phase, files)).toEqual([]);
    expect(Idea.parse(await readJson(path.join(ws, 'idea.json')))).toEqual(IDEA);
    expect(Design.parse(await readJson(path.join(ws, 'design.json')))).toEqual(DESIGN);
    expect(Plan.parse(await readJson(path.join(ws, 'plan.json')))).toEqual(PLAN);
    expect(files.get('dist/index.html')!.toString()).toMatch(/<canvas/);
  });

  it("wrote them through the CLI's own tools (files owned by the CLI's user, tool events per file)", async () => {
    const writes = [...runs.values()].flatMap((r) =>
      r.events.filter((e) => e.kind === 'tool' && e.data?.tool === 'Write').map((e) => e.data?.target),
    );
    expect(writes).toEqual(HAPPY_FILES);
    const cliUid = seen[0]!.uid;
    expect((await stat(path.join(ws, 'idea.json'))).uid).toBe(cliUid);
    // The model saw each Write succeed.
    const results = server.messageRequests().flatMap((r) => r.turn!.toolResults);
    expect(results.filter((r) => r.text.startsWith('File created successfully'))).toHaveLength(8);
    expect(results.filter((r) => r.isError)).toEqual([]);
  });

  it('runs the CLI as an unprivileged user when the worker is root', () => {
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const p of seen) expect(p.uid).not.toBe(0);
    if (process.getuid?.() !== 0) for (const p of seen) expect(p.uid).toBe(process.getuid!());
  });

  it('offers phases 1–3 only file tools, and the build phase Bash too', () => {
    const toolsOf = (phase: number) =>
      new Set(
        server
          .messageRequests()
          .filter((r) => r.turn!.phase === phase)
          .flatMap((r) => ((r.body as MessagesBody).tools ?? []).map((t) => t.name)),
      );
    for (const phase of [1, 2, 3]) {
      const tools = toolsOf(phase);
      expect(tools.has('Write') && tools.has('Read')).toBe(true);
      for (const forbidden of ['Bash', 'WebFetch', 'WebSearch', 'Agent', 'Task'])
        expect(tools.has(forbidden)).toBe(false);
    }
    expect(toolsOf(4).has('Bash')).toBe(true);
    const bash = runs.get(4)!.events.find((e) => e.kind === 'tool' && e.data?.tool === 'Bash');
    expect(bash?.message).toBe(`Bash ${STARTER_RM}`);
  });

  it('sends the key as a bearer token to the configured endpoint, and the model and phase prompt', () => {
    const first = server.messageRequests()[0]!;
    expect(first.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first.path).toMatch(/^\/v1\/messages/);
    expect((first.body as MessagesBody).model).toBe('glm-4.6');
    expect(first.turn!.humanText).toContain('GamePocGen phase 1 of 5: idea');
    expect(first.turn!.workspace).toBe(ws);
  });

  it("never gives the CLI the key: not on its command line, not in its env, which holds the key proxy's URL and a per-phase token", () => {
    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) {
      expect(p.argv.join(' ')).not.toContain(API_KEY);
      expect(p.argv.some((a) => /claude/.test(a))).toBe(true);
      expect(p.environ).not.toContain(API_KEY);
      // Where the key would be, the CLI has the proxy on loopback (not the endpoint) and a throwaway token.
      expect(p.environ).toMatch(/(^|\0)ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:\d+(\0|$)/);
      expect(p.environ).not.toContain(`ANTHROPIC_BASE_URL=${server.url}`);
      expect(p.environ).toMatch(/(^|\0)ANTHROPIC_AUTH_TOKEN=gpg-proxy-[0-9a-f]{48}(\0|$)/);
    }
    // One proxy per phase: each phase's CLI got its own token.
    const tokens = new Set(seen.map((p) => /ANTHROPIC_AUTH_TOKEN=([^\0]+)/.exec(p.environ)![1]));
    expect(tokens.size).toBe(4);
    // …and none of the worker's other env leaks in.
    for (const p of seen) expect(p.environ).not.toMatch(/(^|\0)(LLM_API_KEY|DATABASE_URL|API_TOKEN)=/);
    // The endpoint got the real key on every request (the proxy put it there), never a proxy token.
    expect(server.requests.length).toBeGreaterThan(0);
    for (const r of server.requests) {
      expect(r.headers.authorization, `${r.method} ${r.path}`).toBe(`Bearer ${API_KEY}`);
      expect(JSON.stringify(r.headers)).not.toContain('gpg-proxy-');
    }
  });

  it('never emits the key, and reports usage per phase', async () => {
    for (const [phase, run] of runs) {
      expect(JSON.stringify(run.events)).not.toContain(API_KEY);
      const usage = run.events.filter((e) => e.kind === 'usage');
      expect(usage).toHaveLength(1);
      expect(usage[0]!.data).toEqual(run.result!.usage);
      expect(run.result!.usage!.inputTokens).toBeGreaterThan(0);
      expect(run.result!.usage!.outputTokens).toBeGreaterThan(0);
      expect(run.result!.usage!.costUsd).toBeGreaterThan(0);
      expect(run.events.some((e) => e.kind === 'assistant' && e.message.includes(`Phase ${phase} done`))).toBe(true);
    }
    const files = await readTree(ws);
    for (const [name, bytes] of files) expect(bytes.toString('utf8'), name).not.toContain(API_KEY);
  });

  it('leaves no CLI process behind', async () => {
    expect(await processesIn(ws)).toEqual([]);
  });
});
