// Real processes for shutdown and restart tests: the app (`gamepocgen start`)
// and the graphile-worker CLI as children, their output kept for assertions,
// and a look into /proc for worker processes left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/config.ts';

export interface Child {
  proc: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `re` in the output. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

function track(proc: ChildProcess): Child {
  let out = '';
  const watchers = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString('utf8');
    for (const w of watchers) w();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    output: () => out,
    exited,
    waitForOutput: (re, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (!m) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no ${re} in the output within ${timeoutMs} ms:\n${out.slice(-3000)}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      }),
  };
}

const baseEnv = () => ({ PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp' });

/** `gamepocgen start` (API + runner), as it starts (or fails to). */
export function spawnApp(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [path.join(ROOT_DIR, 'bin', 'gamepocgen.ts'), 'start'], {
    cwd: ROOT_DIR,
    env: { ...baseEnv(), PORT: '0', HOST: '127.0.0.1', RUNTIME: 'local', PLAYTEST: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(proc);
}

/** `gamepocgen start` (API + runner); resolves once it serves, with its port. */
export async function startApp(env: Record<string, string>): Promise<Child & { port: number }> {
  const child = spawnApp(env);
  const m = await child.waitForOutput(/running at http:\/\/localhost:(\d+)\//);
  return { ...child, port: Number(m[1]) };
}

/** The graphile-worker CLI runner. */
export function startCliRunner(env: Record<string, string>): Child {
  const proc = spawn(path.join(ROOT_DIR, 'node_modules', '.bin', 'graphile-worker'), [], {
    cwd: ROOT_DIR,
    env: { ...baseEnv(), RUNTIME: 'local', PLAYTEST: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(proc);
}

/** Worker processes (worker/entrypoint.ts) whose workspace is under `dir`. */
export async function workerProcessesUnder(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8');
      if (!cmdline.includes('entrypoint.ts')) continue;
      if ((await readlink(`/proc/${name}/cwd`)).startsWith(dir)) pids.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** Lines that would mean something crashed rather than stopped. */
export const CRASH =
  /Unhandled|uncaught|ECONNRESET|ECONNREFUSED|\n\s+at .+:\d+:\d+\)?\n|committing seppuku|TypeError|ReferenceError/i;
