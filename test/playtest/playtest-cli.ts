// Runs `gamepocgen playtest` as a process, the way an operator or a phase runs it, and hands back its exit
// code and output (never rejects: a failing verdict is exit 1, could-not-run exit 2).
import { execFile } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliIn(cwd: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      [path.join(ROOT, 'bin/gamepocgen.ts'), 'playtest', ...args],
      // (a --json document with its evidence can pass the default 1 MiB)
      { cwd, timeout: 280_000, maxBuffer: 64 * 1024 ** 2 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** From the repository's root. */
export const cli = (...args: string[]) => cliIn(ROOT, ...args);
