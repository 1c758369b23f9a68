// The Claude agent's settings, read from the worker's env (the runtime passes
// the LLM_* variables through). ZAI_* are accepted as the z.ai names for the
// same things; ANTHROPIC_API_KEY for Anthropic itself.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../../artifacts.ts';
import { AGENT_DEFAULTS, ROOT_DIR } from '../../config.ts';
import { ClaudeAgentError } from './errors.ts';

const text = z.string().trim().min(1).optional().catch(undefined);
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

const ClaudeEnv = z.object({
  LLM_BASE_URL: text,
  LLM_API_KEY: text,
  ZAI_BASE_URL: text,
  ZAI_API_KEY: text,
  ANTHROPIC_API_KEY: text,
  MODEL: z.string().trim().min(1).default(AGENT_DEFAULTS.MODEL),
  /** Model for the CLI's side requests (titles, summaries); defaults to MODEL, since e.g. z.ai serves no Haiku. */
  SMALL_MODEL: text,
  MAX_TURNS: int(AGENT_DEFAULTS.MAX_TURNS, 1, 500),
  /** The CLI's own retry count for 429/5xx/connection errors (CLAUDE_CODE_MAX_RETRIES). */
  LLM_MAX_RETRIES: int(AGENT_DEFAULTS.LLM_MAX_RETRIES, 0, 20),
  /** Per-request timeout of the CLI (API_TIMEOUT_MS); unset = the CLI's default (10 min). */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).optional().catch(undefined),
  BUILD_FALLBACK: z
    .enum(['builtin', 'none'])
    .default(AGENT_DEFAULTS.BUILD_FALLBACK)
    .catch(AGENT_DEFAULTS.BUILD_FALLBACK),
  /** How the key is sent; default: x-api-key for Anthropic (no base URL, *.anthropic.com, sk-ant-api keys), else bearer. */
  LLM_AUTH_HEADER: z.enum(['bearer', 'x-api-key']).optional().catch(undefined),
  CLAUDE_BIN: text,
  /** When the worker runs as root: the user the CLI runs as ("name" or "uid:gid"). */
  CLAUDE_RUN_AS: text,
  /** The egress gateway's unix socket (docker runtime): the only way to the endpoint from a phase container. */
  EGRESS_SOCKET: text,
});

export interface ClaudeSettings {
  baseUrl: string | undefined;
  apiKey: string;
  /** How the key is sent: `Authorization: Bearer` (ANTHROPIC_AUTH_TOKEN, z.ai & proxies) or `x-api-key` (ANTHROPIC_API_KEY, Anthropic). */
  keyHeader: 'bearer' | 'x-api-key';
  model: string;
  smallModel: string;
  maxTurns: number;
  maxRetries: number;
  timeoutMs: number | undefined;
  buildFallback: 'builtin' | 'none';
  bin: string;
  runAs: string | undefined;
  egressSocket: string | undefined;
}

export function resolveClaudeSettings(env: Readonly<Record<string, string | undefined>>): ClaudeSettings {
  const parsed = ClaudeEnv.safeParse(env);
  if (!parsed.success)
    throw new ClaudeAgentError(
      'llm_not_configured',
      `claude agent settings invalid: ${describeZodError(parsed.error)}`,
    );
  const e = parsed.data;
  const apiKey = e.LLM_API_KEY ?? e.ZAI_API_KEY ?? e.ANTHROPIC_API_KEY;
  if (!apiKey)
    throw new ClaudeAgentError(
      'llm_not_configured',
      'no LLM API key: set LLM_API_KEY (or ZAI_API_KEY / ANTHROPIC_API_KEY) for AGENT=claude, or use AGENT=builtin',
    );
  const baseUrl = e.LLM_BASE_URL ?? e.ZAI_BASE_URL;
  const host = baseUrl ? hostOf(baseUrl) : 'api.anthropic.com';
  if (host === null)
    throw new ClaudeAgentError(
      'llm_not_configured',
      `LLM_BASE_URL must be an http(s) URL, got "${baseUrl!.slice(0, 80)}"`,
    );
  const anthropic = /(^|\.)anthropic\.com(:\d+)?$/.test(host);
  return {
    baseUrl,
    apiKey,
    keyHeader: e.LLM_AUTH_HEADER ?? (anthropic || apiKey.startsWith('sk-ant-api') ? 'x-api-key' : 'bearer'),
    model: e.MODEL,
    smallModel: e.SMALL_MODEL ?? e.MODEL,
    maxTurns: e.MAX_TURNS,
    maxRetries: e.LLM_MAX_RETRIES,
    timeoutMs: e.LLM_TIMEOUT_MS,
    buildFallback: e.BUILD_FALLBACK,
    bin: e.CLAUDE_BIN ?? findClaudeBin(),
    runAs: e.CLAUDE_RUN_AS,
    egressSocket: e.EGRESS_SOCKET,
  };
}

function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) && u.host ? u.host : null;
  } catch {
    return null;
  }
}

/** The repository's installed CLI if present, else `claude` on PATH (the worker image installs it globally). */
function findClaudeBin(): string {
  const local = path.join(ROOT_DIR, 'node_modules', '.bin', 'claude');
  return existsSync(local) ? local : 'claude';
}
