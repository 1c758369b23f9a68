// Shared set-up for the Claude agent suites: the real CLI (required in CI, so a
// missing install fails there instead of skipping), temp workspaces, a scripted
// model server per test, the builtin agent's phases for a workspace's earlier
// artifacts, a direct call of claudeAgent.runPhase with the worker's validation,
// and /proc probes for the CLI processes of a workspace.
import { accessSync, constants } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { JobInput, PhaseNumber } from '../../lib/artifacts.ts';
import { builtinAgent } from '../../lib/agents/builtin/index.ts';
import { claudeAgent } from '../../lib/agents/claude/index.ts';
import type { AgentResult } from '../../lib/agents/types.ts';
import type { WorkerLine } from '../../lib/worker-protocol/lines.ts';
import { ROOT_DIR } from '../../lib/config.ts';
import { validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { readTree } from '../../lib/workspace.ts';
import { startModelServer, type ModelServer, type Scenario } from '../fixtures/model-server.ts';

export const CLAUDE_BIN = process.env.CLAUDE_BIN ?? path.join(ROOT_DIR, 'node_modules', '.bin', 'claude');
export const FRAMEWORK_DIR = path.join(ROOT_DIR, 'framework');
export const PROMPTS_DIR = path.join(ROOT_DIR, 'prompts');
export const API_KEY = 'sk-test-5d1c0ffee-DO-NOT-LEAK-42';

function claudeInstalled(): boolean {
  try {
    accessSync(CLAUDE_BIN, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** In CI a missing CLI is a failure (thrown at import), never a skip; locally the suite is skipped with a reason. */
export const HAVE_CLAUDE = claudeInstalled();
if (!HAVE_CLAUDE && process.env.CI)
  throw new Error(
    `the Claude Code CLI is required in CI but ${CLAUDE_BIN} is not executable: npm ci installs @anthropic-ai/claude-code`,
  );

export const INPUT: JobInput = {
  jobId: 1,
  idea: 'a lantern that breaks fog bricks',
  genre: null,
  seed: 7,
  existingTitles: ['Moss Runner', 'Tidal Towers'],
  feedback: null,
};

const created: string[] = [];

/** A temp dir under a world-traversable root (the CLI runs as an unprivileged user when we are root); removed by cleanupTempDirs(). */
export async function tempDir(prefix: string): Promise<string> {
  const root = path.join(os.tmpdir(), 'gamepocgen-claude-tests');
  await mkdir(root, { recursive: true });
  await chmod(root, 0o755);
  const dir = await mkdtemp(path.join(root, `${prefix}-`));
  await chmod(dir, 0o755); // mkdtemp makes it 0700: the CLI's user must be able to pass through
  created.push(dir);
  return dir;
}

/** A workspace holding the job's input.json, as the task materialises it. */
export async function makeWorkspace(input: JobInput = INPUT): Promise<string> {
  const ws = await tempDir('ws');
  await writeFile(path.join(ws, 'input.json'), JSON.stringify(input, null, 2));
  return ws;
}

/** Call from afterAll in every file that made temp dirs. */
export async function cleanupTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/**
 * One scripted model server at a time, closed after each test; the file's temp dirs
 * are removed after the file. Call once at the top of a test file.
 */
export function modelServerPerTest(): {
  start(scenario: Scenario): Promise<ModelServer>;
  readonly server?: ModelServer;
} {
  let current: ModelServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  afterAll(cleanupTempDirs);
  return {
    async start(scenario) {
      await current?.close();
      current = await startModelServer({ scenario });
      return current;
    },
    get server() {
      return current;
    },
  };
}

/** Runs the builtin agent's `phases` in `ws`, as the worker would: the earlier artifacts a Claude phase starts from. */
export async function runBuiltinPhases(ws: string, phases: PhaseNumber[]): Promise<void> {
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

export interface PhaseRun {
  events: WorkerLine[];
  result?: AgentResult;
  error?: Error & { code?: string };
  ms: number;
}

/** Calls claudeAgent.runPhase as the worker would, collecting events; never throws (the error is returned). */
export async function runAgentPhase(opts: {
  phase: PhaseNumber;
  workspaceDir: string;
  baseUrl: string;
  env?: Record<string, string>;
  signal?: AbortSignal;
  input?: JobInput;
  frameworkDir?: string;
}): Promise<PhaseRun> {
  const events: WorkerLine[] = [];
  const started = performance.now();
  const run: PhaseRun = { events, ms: 0 };
  try {
    run.result = await claudeAgent.runPhase({
      phase: opts.phase,
      jobId: 1,
      gameName: 'game-1',
      workspaceDir: opts.workspaceDir,
      frameworkDir: opts.frameworkDir ?? FRAMEWORK_DIR,
      promptsDir: PROMPTS_DIR,
      input: opts.input ?? INPUT,
      signal: opts.signal ?? new AbortController().signal,
      emit: (e) => events.push(e),
      validateOutputs: async () =>
        validatePhaseOutputs(opts.phase, await readTree(opts.workspaceDir, { skip: (p) => p.startsWith('status/') })),
      env: {
        PATH: process.env.PATH,
        LLM_BASE_URL: opts.baseUrl,
        LLM_API_KEY: API_KEY,
        MODEL: 'glm-4.6',
        LLM_MAX_RETRIES: '1',
        CLAUDE_BIN,
        ...opts.env,
      },
    });
  } catch (e) {
    run.error = e as Error;
  }
  run.ms = performance.now() - started;
  return run;
}

export interface ProcInfo {
  pid: number;
  argv: string[];
  environ: string;
  uid: number;
}

/** Live processes whose cwd is `dir` (the CLI and anything it started there). */
export async function processesIn(dir: string): Promise<ProcInfo[]> {
  const out: ProcInfo[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if ((await readlink(`/proc/${name}/cwd`)) !== dir) continue;
      const [cmdline, environ, status] = await Promise.all([
        readFile(`/proc/${name}/cmdline`, 'utf8'),
        readFile(`/proc/${name}/environ`, 'utf8'),
        readFile(`/proc/${name}/status`, 'utf8'),
      ]);
      out.push({
        pid: Number(name),
        argv: cmdline.split('\0').filter(Boolean),
        environ,
        uid: Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1),
      });
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return out;
}

export const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));
