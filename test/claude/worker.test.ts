// The worker entrypoint with AGENT=claude and the env contract the runtimes use:
// status files, exit codes, the phase timeout killing a hung CLI, and the key
// absent from everything the worker prints or writes.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PhaseStatus } from '../../lib/artifacts.ts';
import { ROOT_DIR } from '../../lib/config.ts';
import { EXIT } from '../../worker/env.ts';
import { startModelServer, type ModelServer, type Scenario } from '../fixtures/model-server.ts';
import { failForever, hang, happy } from '../fixtures/scenarios/index.ts';
import { API_KEY, CLAUDE_BIN, FRAMEWORK_DIR, HAVE_CLAUDE, PROMPTS_DIR, cleanupTempDirs, makeWorkspace, processesIn } from './helpers.ts';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(cleanupTempDirs);

interface WorkerRun {
  code: number | null;
  lines: { kind: string; message: string; data?: Record<string, unknown> }[];
  stdout: string;
  status: PhaseStatus;
  ms: number;
  workerPid: number;
}

async function runWorker(scenario: Scenario, env: Record<string, string>): Promise<WorkerRun & { ws: string }> {
  server = await startModelServer({ scenario });
  const ws = await makeWorkspace();
  const started = performance.now();
  // The env a runtime passes (lib/runtimes/local.ts): the contract plus the agent's settings, nothing else.
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.join(ROOT_DIR, 'worker', 'entrypoint.ts')], {
    cwd: ws,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      PHASE: '1',
      JOB_ID: '1',
      GAME_NAME: 'game-1',
      WORKSPACE_DIR: ws,
      TIMEOUT_SECONDS: '60',
      AGENT: 'claude',
      FRAMEWORK_DIR,
      PROMPTS_DIR,
      LLM_BASE_URL: server.url,
      LLM_API_KEY: API_KEY,
      MODEL: 'glm-4.6',
      MAX_TURNS: '10',
      CLAUDE_BIN,
      LLM_MAX_RETRIES: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: WorkerRun['lines'] = [];
  let stdout = '';
  createInterface({ input: child.stdout }).on('line', (l) => {
    stdout += l + '\n';
    lines.push(JSON.parse(l));
  });
  child.stderr.on('data', (d) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const status = PhaseStatus.parse(JSON.parse(await readFile(path.join(ws, 'status', '1.json'), 'utf8')));
  return { code, lines, stdout, status, ms: performance.now() - started, ws, workerPid: child.pid! };
}

describe.skipIf(!HAVE_CLAUDE)('worker entrypoint with AGENT=claude (real CLI)', () => {
  it('completes phase 1: exit 0, status completed with the usage, events on stdout', async () => {
    const run = await runWorker(happy, {});
    expect(run.code, run.stdout).toBe(EXIT.completed);
    expect(run.status).toMatchObject({ phase: 1, status: 'completed', agent: 'claude', error: null });
    expect(run.status.usage.inputTokens).toBeGreaterThan(0);
    expect(run.status.usage.costUsd).toBeGreaterThan(0);
    expect(run.lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['log', 'tool', 'assistant', 'usage']));
    expect(run.lines.find((l) => l.kind === 'usage')!.data).toEqual(run.status.usage);
    expect(run.stdout).not.toContain(API_KEY);
    expect(await readFile(path.join(run.ws, 'status', '1.json'), 'utf8')).not.toContain(API_KEY);
  });

  it('500 forever: exit 1, status failed with the HTTP status in the reason', async () => {
    const run = await runWorker(failForever(500), {});
    expect(run.code).toBe(EXIT.failed);
    expect(run.status.status).toBe('failed');
    expect(run.status.error).toMatch(/^agent claude failed: LLM endpoint 127\.0\.0\.1:\d+ answered HTTP 500/);
    expect(run.lines.at(-1)).toMatchObject({ kind: 'error', message: run.status.error });
    expect(run.stdout).not.toContain(API_KEY);
  });

  it('a hung model: the phase timeout ends the worker with `timeout` and kills the CLI', async () => {
    // Generous enough for a loaded CI box to start the CLI; the CLI alone would wait 10 minutes.
    const timeout = 6;
    const run = await runWorker(hang, { TIMEOUT_SECONDS: String(timeout) });
    expect(server!.messageRequests().length, 'the CLI reached the model before the timeout').toBeGreaterThan(0);
    expect(run.code, run.stdout).toBe(EXIT.timeout);
    expect(run.status).toMatchObject({ status: 'timeout', error: `phase 1 exceeded its ${timeout}s timeout` });
    expect(run.ms).toBeLessThan((timeout + 15) * 1000); // not the CLI's own 10-minute request timeout
    await new Promise((r) => setTimeout(r, 200));
    expect(await processesIn(run.ws)).toEqual([]);
  });
});
