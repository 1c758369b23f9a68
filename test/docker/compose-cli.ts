// Running the installed compose CLI's `config` on a compose file and a .env, as an
// operator's `docker compose up` would interpolate them: `docker compose` (v2) when
// present, else Debian's `docker-compose` (v1.29, no nested interpolation).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const ROOT = path.resolve(import.meta.dirname, '../..');

export type ComposeCli = { bin: string; pre: string[] };

/** The settings compose refuses to start without (`${VAR:?…}` in docker-compose.yml). */
export const REQUIRED_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: 'pw0123456789',
  DOMAIN: 'games.example.org',
  API_TOKEN: 'tok0123456789abcdef',
  ACME_EMAIL: 'ops@example.org',
};

export function composeCli(): ComposeCli | null {
  for (const [bin, pre] of [
    ['docker', ['compose']],
    ['docker-compose', []],
  ] as const) {
    if (spawnSync(bin, [...pre, 'version'], { stdio: 'ignore' }).status === 0) return { bin, pre: [...pre] };
  }
  return null;
}

export type ComposeService = { image?: string; environment?: Record<string, string | null> | string[] };
export type ComposeConfig = { services: Record<string, ComposeService> };

/**
 * `compose config` of `composeText` (written beside the repository's files, so relative paths resolve)
 * with `dotenv` as the .env and only `shellEnv` (plus PATH/HOME) in the environment.
 */
export function composeConfig(
  cli: ComposeCli,
  composeText: string,
  dotenv: string,
  shellEnv: Record<string, string>,
): { config: ComposeConfig | null; error: string | null } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gpg-compose-'));
  try {
    const file = path.join(dir, 'docker-compose.yml');
    writeFileSync(file, composeText);
    writeFileSync(path.join(dir, '.env'), dotenv);
    const r = spawnSync(
      cli.bin,
      [...cli.pre, '--project-directory', ROOT, '--env-file', path.join(dir, '.env'), '-f', file, 'config'],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir, ...shellEnv },
      },
    );
    if (r.status !== 0) return { config: null, error: (r.stderr || r.stdout || `exit ${r.status}`).trim() };
    return { config: yaml.load(r.stdout) as ComposeConfig, error: null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment of every service that runs the app image (api, worker), as the container gets it. */
export function appServiceEnvs(config: ComposeConfig): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, s] of Object.entries(config.services)) {
    if (!s.image?.startsWith('gamepocgen-app')) continue;
    const env: Record<string, string> = {};
    const raw = s.environment ?? {};
    const entries = Array.isArray(raw)
      ? raw.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const)
      : Object.entries(raw);
    for (const [k, v] of entries) env[k] = v ?? '';
    out[name] = env;
  }
  return out;
}
