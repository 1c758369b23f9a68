// The worker entrypoint with AGENT=claude, started by the local runtime (so the
// key travels as it does in production: on the worker's stdin): status files,
// exit codes, the phase timeout killing a hung CLI, and the key absent from
// everything the worker prints or writes and from every process environment.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhaseStatus } from '../../lib/artifacts.ts';
import { ROOT_DIR } from '../../lib/config.ts';
import { createLocalRuntime } from '../../lib/runtimes/local.ts';
import type { WorkerLine } from '../../lib/worker-protocol/lines.ts';
import { EXIT } from '../../lib/worker-protocol/env.ts';
import type { Scenario } from '../fixtures/model-server.ts';
import { failForever, hang, happy } from '../fixtures/scenarios/index.ts';
import {
  API_KEY,
  CLAUDE_BIN,
  FRAMEWORK_DIR,
  HAVE_CLAUDE,
  PROMPTS_DIR,
  makeWorkspace,
  modelServerPerTest,
  processesIn,
  type ProcInfo,
} from './helpers.ts';

const models = modelServerPerTest();

interface WorkerRun {
  code: number | null;
  lines: WorkerLine[];
  stdout: string;
  status: PhaseStatus;
  ms: number;
  /** Every process in the workspace (the worker and the CLI) while the CLI waited on its first reply. */
  seen: ProcInfo[];
}

async function runWorker(
  scenario: Scenario,
  opts: { timeoutSeconds?: number } = {},
): Promise<WorkerRun & { ws: string }> {
  const server = await models.start(scenario);
  const ws = await makeWorkspace();
  const seen: ProcInfo[] = [];
  server.setBeforeReply(async (turn) => {
    if (turn.step === 0 && turn.callIndex === 0) seen.push(...(await processesIn(ws)));
  });
  const started = performance.now();
  const lines: WorkerLine[] = [];
  const outcome = await createLocalRuntime({ agent: 'claude' }).runPhase({
    jobId: 1,
    phase: 1,
    gameName: 'game-1',
    workspaceDir: ws,
    timeoutSeconds: opts.timeoutSeconds ?? 60,
    // The agent env lib/services.ts hands a runtime, key included.
    env: {
      FRAMEWORK_DIR,
      PROMPTS_DIR,
      LLM_BASE_URL: server.url,
      LLM_API_KEY: API_KEY,
      MODEL: 'glm-4.6',
      MAX_TURNS: '10',
      CLAUDE_BIN,
      LLM_MAX_RETRIES: '1',
    },
    onLine: (l) => lines.push(l),
  });
  const status = PhaseStatus.parse(JSON.parse(await readFile(path.join(ws, 'status', '1.json'), 'utf8')));
  return {
    code: outcome.exitCode,
    lines,
    stdout: lines.map((l) => JSON.stringify(l)).join('\n'),
    status,
    ms: performance.now() - started,
    ws,
    seen,
  };
}

describe.skipIf(!HAVE_CLAUDE)('worker entrypoint with AGENT=claude (real CLI)', () => {
  it('completes phase 1: exit 0, status completed with the usage, events on stdout', async () => {
    const run = await runWorker(happy);
    expect(run.code, run.stdout).toBe(EXIT.completed);
    expect(run.status).toMatchObject({ phase: 1, status: 'completed', agent: 'claude', error: null });
    expect(run.status.usage.inputTokens).toBeGreaterThan(0);
    expect(run.status.usage.costUsd).toBeGreaterThan(0);
    expect(run.lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['log', 'tool', 'assistant', 'usage']));
    expect(run.lines.find((l) => l.kind === 'usage')!.data).toEqual(run.status.usage);
    expect(run.stdout).not.toContain(API_KEY);
    expect(await readFile(path.join(run.ws, 'status', '1.json'), 'utf8')).not.toContain(API_KEY);
  });

  it("keeps the key out of the worker's and the CLI's environment, while the endpoint still gets it", async () => {
    const run = await runWorker(happy);
    expect(run.code, run.stdout).toBe(EXIT.completed);
    // Both processes were looked at while the CLI waited on the model.
    const worker = run.seen.find((p) => p.argv.some((a) => a.endsWith('worker/entrypoint.ts')));
    const cli = run.seen.find((p) => p.argv.some((a) => /claude/.test(a)));
    expect(worker, JSON.stringify(run.seen.map((p) => p.argv))).toBeDefined();
    expect(cli).toBeDefined();
    for (const p of run.seen) expect(p.environ, p.argv.join(' ')).not.toContain(API_KEY);
    expect(worker!.environ).toMatch(/(^|\0)SECRETS_ON_STDIN=1(\0|$)/);
    expect(worker!.environ).not.toMatch(/(^|\0)LLM_API_KEY=/);
    expect(worker!.environ).toContain(`LLM_BASE_URL=${models.server!.url}`); // the rest of the contract is unchanged
    // The endpoint saw the real key (the worker's proxy added it), never the CLI's token.
    const token = /ANTHROPIC_AUTH_TOKEN=([^\0]+)/.exec(cli!.environ)![1]!;
    expect(models.server!.requests.length).toBeGreaterThan(0);
    for (const r of models.server!.requests) expect(r.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.stringify(models.server!.requests.map((r) => r.headers))).not.toContain(token);
  });

  it('500 forever: exit 1, status failed with the HTTP status in the reason', async () => {
    const run = await runWorker(failForever(500));
    expect(run.code).toBe(EXIT.failed);
    expect(run.status.status).toBe('failed');
    expect(run.status.error).toMatch(/^agent claude failed: LLM endpoint 127\.0\.0\.1:\d+ answered HTTP 500/);
    expect(run.lines.at(-1)).toMatchObject({ kind: 'error', message: run.status.error });
    expect(run.stdout).not.toContain(API_KEY);
  });

  it('a hung model: the phase timeout ends the worker with `timeout` and kills the CLI', async () => {
    // Generous enough for a loaded CI box to start the CLI; the CLI alone would wait 10 minutes.
    const timeout = 6;
    const run = await runWorker(hang, { timeoutSeconds: timeout });
    expect(models.server!.messageRequests().length, 'the CLI reached the model before the timeout').toBeGreaterThan(0);
    expect(run.code, run.stdout).toBe(EXIT.timeout);
    expect(run.status).toMatchObject({ status: 'timeout', error: `phase 1 exceeded its ${timeout}s timeout` });
    expect(run.ms).toBeLessThan((timeout + 15) * 1000); // not the CLI's own 10-minute request timeout
    await new Promise((r) => setTimeout(r, 200));
    expect(await processesIn(run.ws)).toEqual([]);
  });
});

describe('worker entrypoint: secrets on stdin', () => {
  // No CLI needed: the worker checks the secrets line before any agent runs.
  async function startWorker(stdinText: string): Promise<{ code: number | null; lines: WorkerLine[] }> {
    const ws = await makeWorkspace();
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', path.join(ROOT_DIR, 'worker', 'entrypoint.ts')],
      {
        cwd: ws,
        env: {
          PATH: process.env.PATH,
          PHASE: '1',
          JOB_ID: '1',
          GAME_NAME: 'game-1',
          WORKSPACE_DIR: ws,
          TIMEOUT_SECONDS: '30',
          SECRETS_ON_STDIN: '1',
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    child.stdin.end(stdinText);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return {
      code,
      lines: out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    };
  }

  it.each([
    ['nothing', '', /stdin ended before a secrets line/],
    ['not JSON', 'LLM_API_KEY=sk-oops-123456\n', /the secrets line on stdin is not JSON/],
    ['not an object of strings', '{"LLM_API_KEY":42}\n', /not an object of strings/],
  ])(
    'refuses %s on stdin with exit 2 and a reason that names the contract (never the input)',
    async (_name, text, reason) => {
      const run = await startWorker(text);
      expect(run.code).toBe(EXIT.badEnv);
      expect(run.lines.at(-1)).toMatchObject({ kind: 'error', message: expect.stringMatching(reason) });
      expect(run.lines.at(-1)!.message).toMatch(/^worker env invalid: SECRETS_ON_STDIN=1 but /);
      expect(JSON.stringify(run.lines)).not.toContain('sk-oops');
    },
  );

  it('takes the secrets line and runs the phase (builtin agent)', async () => {
    const run = await startWorker('{"LLM_API_KEY":"sk-fine-123456"}\n');
    expect(run.code).toBe(EXIT.completed);
    expect(JSON.stringify(run.lines)).not.toContain('sk-fine');
  });
});
