#!/usr/bin/env node
// Runs one phase of one job inside a worker (container or local child process):
// validates its env, runs the agent, validates the outputs, writes
// status/<phase>.json and exits with a code the runtime understands (lib/worker-protocol/env.ts).
// Progress goes to stdout as one JSON object per line. Secrets (the LLM key)
// arrive on stdin, never in the environment (lib/worker-protocol/env.ts, SECRETS_FLAG), and
// stay in this process's memory: the agent gets them in ctx.env.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JobInput, describeZodError, phaseName, type PhaseStatus } from '../lib/artifacts.ts';
import { loadAgent } from '../lib/agents/index.ts';
import { validatePhaseOutputs } from '../lib/phase-outputs.ts';
import { EXIT, readSecretsLine, SECRETS_FLAG, WorkerEnv } from '../lib/worker-protocol/env.ts';
import { formatWorkerLine, type WorkerLine } from '../lib/worker-protocol/lines.ts';
import { readTree } from '../lib/workspace.ts';

const emit = (line: WorkerLine) => process.stdout.write(formatWorkerLine(line));

const parsedEnv = WorkerEnv.safeParse(process.env);
if (!parsedEnv.success) {
  emit({ kind: 'error', message: `worker env invalid: ${describeZodError(parsedEnv.error)}` });
  process.exit(EXIT.badEnv);
}
const env = parsedEnv.data;
/** How long the runtime has to write the secrets line after starting the worker. */
const SECRETS_WAIT_MS = 15_000;
let secrets: Record<string, string> = {};
if (process.env[SECRETS_FLAG] === '1') {
  try {
    secrets = await readSecretsLine(process.stdin, SECRETS_WAIT_MS);
  } catch (e) {
    emit({ kind: 'error', message: `worker env invalid: ${(e as Error).message}` });
    process.exit(EXIT.badEnv);
  }
}
const statusPath = path.join(env.WORKSPACE_DIR, 'status', `${env.PHASE}.json`);
const startedAt = new Date();
let finished = false;

async function writeStatus(status: PhaseStatus['status'], extra: Partial<PhaseStatus> = {}) {
  const body: PhaseStatus = {
    phase: env.PHASE,
    status,
    startedAt: startedAt.toISOString(),
    finishedAt: status === 'running' ? null : new Date().toISOString(),
    error: null,
    agent: env.AGENT,
    agentMs: 0,
    usage: {},
    ...extra,
  };
  await mkdir(path.dirname(statusPath), { recursive: true });
  await writeFile(statusPath, JSON.stringify(body, null, 2) + '\n');
}

async function finish(status: 'completed' | 'failed' | 'timeout', extra: Partial<PhaseStatus>, code: number) {
  if (finished) return;
  finished = true;
  await writeStatus(status, extra);
  if (extra.error) emit({ kind: 'error', message: extra.error });
  process.exit(code);
}

async function main() {
  await writeStatus('running');
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
    void finish('timeout', { error: `phase ${env.PHASE} exceeded its ${env.TIMEOUT_SECONDS}s timeout` }, EXIT.timeout);
  }, env.TIMEOUT_SECONDS * 1000);
  // Not unref'd: an agent awaiting something that never settles must still end in `timeout`.
  void timer;

  let input: JobInput;
  try {
    const raw = JSON.parse(await readFile(path.join(env.WORKSPACE_DIR, 'input.json'), 'utf8'));
    const parsed = JobInput.safeParse(raw);
    if (!parsed.success) throw new Error(describeZodError(parsed.error));
    input = parsed.data;
  } catch (e) {
    return finish('failed', { error: `input.json unreadable: ${(e as Error).message}` }, EXIT.failed);
  }

  const validateOutputs = async () =>
    validatePhaseOutputs(env.PHASE, await readTree(env.WORKSPACE_DIR, { skip: (p) => p.startsWith('status/') }));
  const agent = await loadAgent(env.AGENT, env.AGENT_MODULE);
  const agentStart = performance.now();
  try {
    const result = await agent.runPhase({
      phase: env.PHASE,
      jobId: env.JOB_ID,
      gameName: env.GAME_NAME,
      workspaceDir: env.WORKSPACE_DIR,
      frameworkDir: path.resolve(env.FRAMEWORK_DIR),
      promptsDir: path.resolve(env.PROMPTS_DIR),
      input,
      signal: controller.signal,
      emit,
      validateOutputs,
      // In memory only: never written back to process.env, which a child could inherit.
      env: { ...process.env, ...secrets },
    });
    const agentMs = Math.round(performance.now() - agentStart);
    const problems = await validateOutputs();
    if (problems.length)
      return finish(
        'failed',
        { agentMs, usage: result.usage ?? {}, error: `invalid ${phaseName(env.PHASE)} output: ${problems.join('; ')}` },
        EXIT.failed,
      );
    return finish('completed', { agentMs, usage: result.usage ?? {} }, EXIT.completed);
  } catch (e) {
    if (controller.signal.aborted) return; // the timeout handler reports it
    return finish(
      'failed',
      {
        agentMs: Math.round(performance.now() - agentStart),
        error: `agent ${agent.name} failed: ${(e as Error).message}`,
      },
      EXIT.failed,
    );
  }
}

main().catch((e) => finish('failed', { error: `worker crashed: ${(e as Error).message}` }, EXIT.failed));
