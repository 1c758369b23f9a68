// The embedded PostgreSQL server process: started in its own process group with
// an environment built from scratch, restarted when it dies underneath us (a
// crash, an OOM kill, an operator's `pg_ctl stop`), and stopped with a fast
// shutdown (SIGINT) when we stop it. Clients reconnect on their own meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv } from './child-env.ts';

export interface ServerProcess {
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';
/** Restarts allowed within RESTART_WINDOW_MS before we give up (a server that cannot stay up). */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export async function superviseServer(opts: {
  binary: string;
  args: string[];
  runAs: { uid: number; gid: number } | null;
  onLog: (line: string) => void;
}): Promise<ServerProcess> {
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts: number[] = [];

  const launch = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const proc = spawn(opts.binary, opts.args, {
        ...(opts.runAs ?? {}),
        // LC_MESSAGES=C: the readiness line below is matched in English.
        env: childEnv({ LC_MESSAGES: 'C' }),
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      let ready = false;
      let output = '';
      proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim()) opts.onLog(line.trimEnd());
        if (!ready) {
          output = (output + chunk).slice(-4000);
          if (output.includes(READY)) {
            ready = true;
            // The server alone must not keep this process running (stop() holds it while it waits).
            proc.unref();
            (proc.stderr as unknown as { unref(): void }).unref();
            resolve(proc);
          }
        }
      });
      proc.once('error', reject);
      proc.once('exit', (code, signal) => {
        if (!ready) reject(new Error(`postgres exited before it was ready (${code ?? signal}): ${output.trim()}`));
        else if (!stopping && child === proc) void restart(code, signal);
      });
    });

  const restart = async (code: number | null, signal: string | null) => {
    child = null;
    const now = Date.now();
    restarts = [...restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (restarts.length > MAX_RESTARTS) {
      opts.onLog(`[error] the embedded PostgreSQL keeps exiting (${code ?? signal}); not restarting it again`);
      return;
    }
    opts.onLog(`[warn] the embedded PostgreSQL exited (${code ?? signal}); restarting it`);
    // It may still be finishing its shutdown (postmaster.pid): retry briefly.
    for (let attempt = 0; attempt < 20 && !stopping; attempt++) {
      try {
        const proc = await launch();
        if (stopping) {
          proc.kill('SIGINT');
          return;
        }
        child = proc;
        return;
      } catch (e) {
        opts.onLog(`[warn] restarting the embedded PostgreSQL failed: ${(e as Error).message.slice(0, 200)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };

  child = await launch();
  // Whatever way this process ends (a crash, process.exit), the server it started does not outlive it.
  const onExit = () => {
    if (!stopping) child?.kill('SIGINT');
  };
  process.once('exit', onExit);
  return {
    async stop() {
      stopping = true;
      process.off('exit', onExit);
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      proc.ref();
      (proc.stderr as unknown as { ref(): void }).ref();
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGINT'); // fast shutdown: disconnects clients, writes a checkpoint
      const timer = setTimeout(() => proc.kill('SIGQUIT'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
