// The local runtime: the worker entrypoint as a child process of this one, with
// the same env contract, timeout and kill semantics as a container. It isolates
// nothing, which is why an LLM agent is refused here unless the operator opts in.
// Secrets (lib/worker-protocol/env.ts SECRET_ENV_KEY) go to the child's stdin, never its env;
// its output goes through the same line parser (cut, redacted) as a container's.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { childEnv } from '../child-env.ts';
import { ROOT_DIR } from '../config.ts';
import { contractEnv, EXIT, SECRETS_FLAG, secretsLine, secretValues, splitSecretEnv } from '../worker-protocol/env.ts';
import { lineSink, parseWorkerLine, type StreamName } from '../worker-protocol/lines.ts';
import { CANCELLED_ERROR, type PhaseRunOutcome, type PhaseRunRequest, type Runtime } from './types.ts';

const ENTRYPOINT = path.join(ROOT_DIR, 'worker', 'entrypoint.ts');
const COMPILE_CACHE_DIR = path.join(os.tmpdir(), 'gamepocgen-compile-cache');
/** How long after its own deadline the worker gets to write `timeout` before it is killed. */
const KILL_GRACE_MS = 2000;

export function createLocalRuntime(opts: { agent: 'builtin' | 'claude'; nodeBinary?: string }): Runtime {
  const nodeBinary = opts.nodeBinary ?? process.execPath;
  return {
    name: 'local',
    describe: () => `local (child processes of ${path.basename(nodeBinary)} ${process.versions.node})`,
    runPhase: (request) => runChild(nodeBinary, opts.agent, request),
  };
}

function runChild(nodeBinary: string, agent: string, req: PhaseRunRequest): Promise<PhaseRunOutcome> {
  const started = performance.now();
  const { plain, secrets } = splitSecretEnv(req.env);
  const hasSecrets = Object.keys(secrets).length > 0;
  const redactions = secretValues(req.env);
  return new Promise((resolve) => {
    // A larger young generation: a short-lived worker then spends far less time in GC.
    const child = spawn(nodeBinary, ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=32', ENTRYPOINT], {
      cwd: req.workspaceDir,
      // Only the contract and the agent's settings: never the parent's DATABASE_URL or API_TOKEN.
      env: childEnv({
        // Caches compiled (and type-stripped) modules: halves each worker's start-up.
        NODE_COMPILE_CACHE: COMPILE_CACHE_DIR,
        ...contractEnv({ ...req, agent }),
        ...plain,
        ...(hasSecrets ? { [SECRETS_FLAG]: '1' } : {}),
      }),
      stdio: [hasSecrets ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a kill reaches anything the agent started
    });
    if (hasSecrets) {
      child.stdin!.on('error', () => {}); // EPIPE if the worker died first; its exit tells the story
      child.stdin!.end(secretsLine(secrets));
    }
    let timedOut = false;
    let lastError: string | null = null;
    const onLine = (text: string, from: StreamName) => {
      const parsed = parseWorkerLine(text, from, redactions);
      if (!parsed) return;
      if (parsed.kind === 'error') lastError = parsed.message;
      req.onLine(parsed);
    };
    child.stdout!.pipe(lineSink((t) => onLine(t, 'stdout')));
    child.stderr!.pipe(lineSink((t) => onLine(t, 'stderr')));
    // The runner is stopping past its grace: the worker and anything it started go now.
    const onAbort = () => killGroup(child.pid);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.signal?.aborted) onAbort();
    const killer = setTimeout(
      () => {
        timedOut = true;
        killGroup(child.pid);
      },
      req.timeoutSeconds * 1000 + KILL_GRACE_MS,
    );
    // The job was cancelled (lib/studio/cancel-watch.ts): the worker and anything it started go now.
    let cancelled = false;
    const onCancel = () => {
      cancelled = true;
      killGroup(child.pid);
    };
    if (req.cancelSignal?.aborted) onCancel();
    else req.cancelSignal?.addEventListener('abort', onCancel, { once: true });
    child.on('error', (e) => {
      clearTimeout(killer);
      req.cancelSignal?.removeEventListener('abort', onCancel);
      resolve({
        status: 'failed',
        exitCode: null,
        error: `could not start the worker: ${e.message}`,
        durationMs: performance.now() - started,
      });
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      req.cancelSignal?.removeEventListener('abort', onCancel);
      const durationMs = performance.now() - started;
      if (cancelled) {
        resolve({ status: 'failed', exitCode: code, error: CANCELLED_ERROR, durationMs });
      } else if (timedOut || code === EXIT.timeout) {
        resolve({
          status: 'timeout',
          exitCode: code,
          error: `phase ${req.phase} exceeded its ${req.timeoutSeconds}s timeout`,
          durationMs,
        });
      } else if (code === EXIT.completed) {
        resolve({ status: 'completed', exitCode: 0, error: null, durationMs });
      } else {
        resolve({
          status: 'failed',
          exitCode: code,
          error: lastError ?? `worker exited with ${code ?? signal}`,
          durationMs,
        });
      }
    });
  });
}

function killGroup(pid: number | undefined) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
