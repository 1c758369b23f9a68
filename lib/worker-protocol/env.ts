// The worker protocol, part 1: what a runtime hands a phase process (worker/entrypoint.ts)
// and what it gets back. The env contract (WorkerEnv, built by `contractEnv`), the exit
// codes, and the secrets line on stdin. Output lines are part 2 (./lines.ts).
// Both runtimes (lib/runtimes/*) and the entrypoint import this; worker/ imports lib/,
// never the reverse. Everything here must import only zod and node:* (the worker image
// ships no other package; test/worker-closure.test.ts checks it).
import path from 'node:path';
import { z } from 'zod';
import { PhaseNumber } from '../artifacts.ts';
import { ROOT_DIR } from '../config.ts';

export const WorkerEnv = z.object({
  PHASE: z.coerce.number().pipe(PhaseNumber),
  JOB_ID: z.coerce.number().int().positive(),
  GAME_NAME: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase slug'),
  WORKSPACE_DIR: z.string().refine((p) => path.isAbsolute(p), 'must be an absolute path'),
  TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400),
  AGENT: z.enum(['builtin', 'claude']).default('builtin'),
  FRAMEWORK_DIR: z.string().default(path.join(ROOT_DIR, 'framework')),
  PROMPTS_DIR: z.string().default(path.join(ROOT_DIR, 'prompts')),
  AGENT_MODULE: z.string().min(1).optional(),
});
export type WorkerEnv = z.infer<typeof WorkerEnv>;

/** The contract part of a worker's env (the runtime adds the agent's settings and its own paths). */
export function contractEnv(req: {
  phase: number;
  jobId: number;
  gameName: string;
  workspaceDir: string;
  timeoutSeconds: number;
  agent: string;
}): Record<string, string> {
  return {
    PHASE: String(req.phase),
    JOB_ID: String(req.jobId),
    GAME_NAME: req.gameName,
    WORKSPACE_DIR: req.workspaceDir,
    TIMEOUT_SECONDS: String(req.timeoutSeconds),
    AGENT: req.agent,
  };
}

/** Exit codes the runtimes interpret. */
export const EXIT = { completed: 0, failed: 1, badEnv: 2, timeout: 124 } as const;

/**
 * Env keys whose values are secrets (the same rule the runtimes redact by). The
 * runtimes never put these into a worker's environment: a process environment
 * is readable from /proc by anything running as the same user (the agent's
 * shell, in the container), so they arrive on the worker's stdin instead.
 */
export const SECRET_ENV_KEY = /KEY|TOKEN|SECRET|PASSWORD|AUTH/i;
/** Set by a runtime that writes the secrets to the worker's stdin as one JSON line. */
export const SECRETS_FLAG = 'SECRETS_ON_STDIN';
/** The secrets line is small; anything longer is a mistake, not a key. */
const MAX_SECRETS_LINE = 64 * 1024;

/** Splits a runtime's env into what may be in the process environment and what must go over stdin. */
export function splitSecretEnv(env: Record<string, string>): {
  plain: Record<string, string>;
  secrets: Record<string, string>;
} {
  const plain: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) (SECRET_ENV_KEY.test(k) ? secrets : plain)[k] = v;
  return { plain, secrets };
}

/** The secret values in a runtime's env (long enough to redact without mangling ordinary text). */
export function secretValues(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_ENV_KEY.test(k) && v.length >= 4)
    .map(([, v]) => v);
}

/** The line a runtime writes to the worker's stdin. */
export const secretsLine = (secrets: Record<string, string>) => JSON.stringify(secrets) + '\n';

export class SecretsInputError extends Error {
  readonly code = 'secrets_unreadable';
}

/**
 * Reads the runtime's one JSON line of secrets from `input` (the worker's stdin),
 * then stops reading. Rejects with a readable reason when nothing usable arrives
 * within `timeoutMs` (a runtime that set the flag but never wrote the line).
 */
export function readSecretsLine(
  input: NodeJS.ReadableStream & { destroy?: () => void },
  timeoutMs: number,
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (err: Error | null, value?: Record<string, string>) => {
      clearTimeout(timer);
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
      // Nothing else comes on stdin; an open handle would keep the worker alive.
      input.pause();
      input.destroy?.();
      if (err) reject(err);
      else resolve(value!);
    };
    const fail = (why: string) =>
      finish(
        new SecretsInputError(
          `${SECRETS_FLAG}=1 but ${why}; the runtime must write one JSON object line of secrets to the worker's stdin`,
        ),
      );
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const nl = buffered.indexOf('\n');
      if (nl < 0) {
        if (buffered.length > MAX_SECRETS_LINE) fail(`the secrets line is longer than ${MAX_SECRETS_LINE} bytes`);
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(buffered.slice(0, nl));
      } catch {
        return fail('the secrets line on stdin is not JSON');
      }
      const ok =
        value !== null &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => typeof v === 'string');
      if (!ok) return fail('the secrets line on stdin is not an object of strings');
      finish(null, value as Record<string, string>);
    };
    const onEnd = () => fail('stdin ended before a secrets line');
    const onError = (e: Error) => fail(`stdin failed (${e.message})`);
    const timer = setTimeout(() => fail(`no secrets line arrived on stdin within ${timeoutMs} ms`), timeoutMs);
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
  });
}
