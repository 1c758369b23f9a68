// Runs the Claude Code CLI once: its own process group (so a timeout kills the
// whole tree, Bash children included), optionally as an unprivileged user, the
// prompt on stdin, stream-json lines fed to the translator as they arrive.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ClaudeAgentError } from './errors.ts';
import type { RunAs } from './run-as.ts';
import type { StreamTranslator } from './stream.ts';

export interface CliOptions {
  bin: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  prompt: string;
  runAs: RunAs | null;
  signal: AbortSignal;
  translator: StreamTranslator;
  /** Called with the CLI's pid once it is running (tests inspect /proc with it). */
  onSpawn?: (pid: number) => void;
}

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last few KB of stderr, for failures without a result line. */
  stderr: string;
}

const STDERR_KEEP = 4096;

export function runCli(opts: CliOptions): Promise<CliExit> {
  return new Promise((resolve, reject) => {
    if (opts.signal.aborted) return reject(abortError());
    const child = spawn(opts.bin, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true, // own process group: kill(-pid) reaches every descendant
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.runAs ? { uid: opts.runAs.uid, gid: opts.runAs.gid } : {}),
    });
    let stderr = '';
    let settled = false;
    const killGroup = () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    // Synchronous kill on abort: the worker exits right after a timeout, and a
    // detached group would otherwise outlive it.
    const onAbort = () => killGroup();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    process.once('exit', killGroup);
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal.removeEventListener('abort', onAbort);
      process.removeListener('exit', killGroup);
      fn();
    };

    child.on('error', (err: NodeJS.ErrnoException) =>
      done(() =>
        reject(
          err.code === 'ENOENT' || err.code === 'EACCES'
            ? new ClaudeAgentError(
                'cli_not_found',
                `Claude Code CLI not runnable at "${opts.bin}" (${err.code}); install @anthropic-ai/claude-code or set CLAUDE_BIN to its path${opts.runAs ? ` (it must be executable by ${opts.runAs.name})` : ''}`,
              )
            : new ClaudeAgentError('cli_failed', `could not start the Claude Code CLI: ${err.message}`),
        ),
      ),
    );
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    child.stdin.on('error', () => {}); // EPIPE if the CLI dies before reading the prompt; the exit code tells the story
    child.stdin.end(opts.prompt);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-STDERR_KEEP);
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => opts.translator.handleLine(line));
    // Whatever the CLI left behind in its group (a server started from Bash, say)
    // dies with it; that also releases any stdout pipe such a child still holds.
    child.on('exit', () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // group already empty
      }
    });
    // 'close' fires after stdout has drained, so every line has been handled.
    child.on('close', (code, signal) =>
      done(() => (opts.signal.aborted ? reject(abortError()) : resolve({ code, signal, stderr }))),
    );
  });
}

function abortError() {
  return new ClaudeAgentError('aborted', 'the phase was aborted (timeout); the Claude CLI was stopped');
}
