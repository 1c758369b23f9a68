// Configuration: every setting comes from the environment, validated once by zod.
// The defaults are the zero-setup shape (embedded Postgres, local runtime, builtin agent).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PhaseBudgets } from './budgets.ts';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const optionalText = z.string().trim().min(1).optional().catch(undefined);
/** An integer that may be unset (absent or empty); out of range is an error. */
const optionalInt = (min: number, max: number) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(min).max(max).optional());
const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );

export const ROOT_DIR = path.resolve(import.meta.dirname, '..');

/** The agent defaults, shared by this schema and the claude agent's own (lib/agents/claude/config.ts). */
export const AGENT_DEFAULTS = {
  MODEL: 'glm-4.6',
  MAX_TURNS: 40,
  BUILD_FALLBACK: 'builtin',
  LLM_MAX_RETRIES: 6,
} as const;

/**
 * Agent tuning the service passes to the worker as the operator set it; the claude agent's
 * schema validates them inside the worker (lib/agents/claude/config.ts).
 */
export const PASS_THROUGH_ENV = [
  'CLAUDE_BIN',
  'LLM_MAX_RETRIES',
  'LLM_TIMEOUT_MS',
  'SMALL_MODEL',
  'LLM_AUTH_HEADER',
  'CLAUDE_RUN_AS',
] as const;

export const ConfigSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalText,
  DATA_DIR: z.string().default(path.join(ROOT_DIR, '.data')),
  MAX_CONCURRENT: int(5, 1, 100),
  SLOTS: int(10, 1, 100),
  RUNTIME: z.enum(['auto', 'local', 'docker']).default('auto'),
  AGENT: z.enum(['auto', 'builtin', 'claude']).default('auto'),
  DEPLOY: z.enum(['auto', 'local', 'docker']).default('auto'),
  /** When set: every phase's time limit, unless PHASE_BUDGETS names the phase (lib/budgets.ts). */
  PHASE_TIMEOUT_SECONDS: optionalInt(1, 86_400),
  // On SIGTERM/SIGINT running steps get this long to finish; then their workers stop and they return to the queue.
  SHUTDOWN_GRACE_SECONDS: int(30, 0, 3600),
  API_TOKEN: optionalText,
  DOMAIN: z.string().default('localhost'),
  PUBLIC_URL: z
    .union([
      z.literal(''),
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://games.example.com' }),
    ])
    .optional()
    .transform((v) => v || undefined),
  /** Extra Host names the app answers to (comma-separated), beyond localhost, 127.0.0.1, DOMAIN and PUBLIC_URL's host. */
  ALLOWED_HOSTS: list,
  /** Other origins (scheme://host[:port]) whose pages may call the API (CORS), comma-separated. */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'each entry must be an origin such as https://example.com' }))),
  /** Behind a reverse proxy: count rate limits per X-Forwarded-For client instead of per socket. */
  TRUST_PROXY: bool.default(false),
  /** Mutating requests one client may make per minute (429 beyond). */
  RATE_LIMIT_PER_MINUTE: int(30, 1, 100_000),
  /** Jobs that may be queued or running at once; more are refused with 429. */
  MAX_QUEUED: int(100, 1, 1_000_000),
  /** When set, reads (GET /api/*, /metrics) need `Authorization: Bearer <READ_TOKEN or API_TOKEN>`. */
  READ_TOKEN: optionalText,
  /** `off`: GET /api/jobs/:id and GET /api/jobs query Postgres on every read (no view cache: lib/jobs/view-cache.ts). */
  READ_CACHE: z.enum(['on', 'off']).default('on'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WORKER_IMAGE: z.string().default('gamepocgen-worker:latest'),
  GAME_SERVER_IMAGE: z.string().default('nginx:alpine'),
  DOCKER_NETWORK: z.string().default('traefik'),
  /** This installation's id on a shared Docker engine (labels, container names); default: the database's (lib/instance.ts). */
  INSTANCE_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be 1-31 lowercase letters, digits or dashes')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  WORKER_NETWORK: z.string().default('gamepocgen-egress'),
  /** `127.0.0.1`: each slot container also publishes its port on the host's loopback (a host without Traefik). */
  PUBLISH_SLOTS: z.enum(['', '127.0.0.1']).default(''),
  /**
   * Whether this runner takes the steps about served games (deploy, remove, play-test) and keeps the slots served.
   * `0` on every extra worker host: it runs phases on its own engine only (docs/deploy.md, "Scaling out").
   */
  SERVE_GAMES: bool.default(true),
  HOST_WORKSPACE_PATH: optionalText,
  HOST_DEPLOY_DIR: optionalText,
  LLM_BASE_URL: optionalText,
  LLM_API_KEY: optionalText,
  ZAI_BASE_URL: optionalText,
  ZAI_API_KEY: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalText,
  MODEL: z.string().default(AGENT_DEFAULTS.MODEL),
  /** When set: every phase's turn limit, unless PHASE_BUDGETS names the phase. */
  MAX_TURNS: optionalInt(1, 500),
  /** Per-phase budgets, e.g. `build=80/1800,repair=40/1200` (turns/seconds; lib/budgets.ts). */
  PHASE_BUDGETS: z.preprocess((v) => (v === '' ? undefined : v), PhaseBudgets.optional()),
  AGENT_MODULE: optionalText,
  BUILD_FALLBACK: z.enum(['builtin', 'none']).default(AGENT_DEFAULTS.BUILD_FALLBACK),
  ALLOW_UNSANDBOXED: bool.default(false),
  PLAYTEST: z.enum(['on', 'off']).default('on'),
  // A play-tested game is good enough when it passed and scored at least this; below it, repairs run (lib/playtest/rounds.ts).
  QUALITY_THRESHOLD: int(70, 0, 100),
  // Repair rounds (phase 5) at most per game; each is deployed and play-tested, and the best version is kept.
  MAX_REPAIRS: int(3, 0, 9),
  // Where the play-tester opens slot N when the public URL isn't reachable from the worker: a template such as
  // http://127.0.0.1:8080/play/{slot}/, or `container` (the slot's own container on DOCKER_NETWORK; compose's
  // default, which needs no braces: docker-compose v1 ends a `${VAR:-default}` at the first `}`).
  PLAYTEST_URL: z
    .union([
      z.literal(''),
      z.literal('container'),
      z
        .string()
        .refine(
          (v) => /^https?:\/\/.*\{slot\}/.test(v) && !/[{}]/.test(v.replaceAll('{slot}', '')) && URL.canParse(v),
          'must be `container` or an http(s) URL template containing {slot} (and no other braces)',
        ),
    ])
    .optional()
    .transform((v) => v || undefined),
  /** Where job workspaces and published games live; default under DATA_DIR. */
  WORKSPACE_ROOT: optionalText,
  DEPLOY_DIR: optionalText,
  /** The embedded PostgreSQL's port (when DATABASE_URL is unset). */
  EMBEDDED_PG_PORT: int(54329, 1, 65535),
  // off trades durability for speed (tests): an OS crash can then corrupt the embedded database.
  EMBEDDED_PG_FSYNC: z.enum(['on', 'off']).default('on'),
  ...(Object.fromEntries(PASS_THROUGH_ENV.map((k) => [k, optionalText])) as Record<
    (typeof PASS_THROUGH_ENV)[number],
    typeof optionalText
  >),
});

export type Config = z.infer<typeof ConfigSchema> & {
  workspaceDir: string;
  deployDir: string;
};

export class ConfigError extends Error {
  code = 'invalid_config';
}

/** Settings that may come from a file instead (`<NAME>_FILE`, e.g. a Docker secret under /run/secrets). */
export const FILE_SETTINGS = ['API_TOKEN', 'LLM_API_KEY', 'ZAI_API_KEY', 'ANTHROPIC_API_KEY', 'DATABASE_URL'] as const;

/** `env` with every `<NAME>_FILE` read into NAME (unless NAME itself is set). */
export function withFileSettings(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  for (const name of FILE_SETTINGS) {
    const file = env[`${name}_FILE`];
    if (!file || env[name]) continue;
    try {
      out[name] = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new ConfigError(
        `invalid configuration: ${name}_FILE: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); mount the secret there or set ${name}`,
      );
    }
  }
  return out;
}

/** Parses `env` (default: process.env). Throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(withFileSettings(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration (${problems.length} problem(s)):\n${problems.join('\n')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    workspaceDir: path.resolve(c.WORKSPACE_ROOT ?? path.join(c.DATA_DIR, 'workspaces')),
    deployDir: path.resolve(c.DEPLOY_DIR ?? path.join(c.DATA_DIR, 'games')),
  };
}

/** The LLM credentials, whichever names the operator used (LLM_* wins over ZAI_*). */
export function llmSettings(c: Config): { baseUrl?: string; apiKey?: string } {
  return { baseUrl: c.LLM_BASE_URL ?? c.ZAI_BASE_URL, apiKey: c.LLM_API_KEY ?? c.ZAI_API_KEY ?? c.ANTHROPIC_API_KEY };
}

/** The operator's provider settings, for comparison jobs (lib/llm/providers.ts). */
export function providerSettings(c: Config): Record<string, string | undefined> {
  return {
    ZAI_BASE_URL: c.ZAI_BASE_URL,
    ZAI_API_KEY: c.ZAI_API_KEY,
    ANTHROPIC_BASE_URL: c.ANTHROPIC_BASE_URL,
    ANTHROPIC_API_KEY: c.ANTHROPIC_API_KEY,
    LLM_BASE_URL: c.LLM_BASE_URL,
    LLM_API_KEY: c.LLM_API_KEY,
  };
}

/** Values that must never reach logs, events or responses. */
export function secretsOf(c: Config): string[] {
  return [c.LLM_API_KEY, c.ZAI_API_KEY, c.ANTHROPIC_API_KEY, c.API_TOKEN, c.READ_TOKEN].filter(
    (s): s is string => !!s && s.length >= 4,
  );
}
