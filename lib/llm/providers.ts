// Provider specs for comparing models (`POST /api/generate {compare: ["zai:glm-4.6",
// "anthropic:claude-sonnet-4-5"]}`): each spec becomes the agent env of the jobs
// that run on it, so one worker image serves every provider and the key for a
// provider is only handed to that provider's jobs. Neutral ground: orchestration
// (phase runner, generate, the HTTP handlers) reads it, and no agent's internals.
import { z } from 'zod';

/** A provider (compare, --provider) whose settings the operator has not given. */
export class ProviderConfigError extends Error {
  readonly code = 'llm_not_configured';
}

export const PROVIDERS = ['zai', 'anthropic', 'llm'] as const;
/** z.ai's Anthropic-compatible endpoint (what its Claude Code guide configures). */
export const ZAI_DEFAULT_BASE_URL = 'https://api.z.ai/api/anthropic';

export const ProviderSpec = z
  .string()
  .trim()
  .regex(
    /^(zai|anthropic|llm):[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/,
    'must be "<provider>:<model>" with provider zai, anthropic or llm (e.g. "zai:glm-4.6")',
  )
  .transform((s) => {
    const at = s.indexOf(':');
    return { provider: s.slice(0, at) as (typeof PROVIDERS)[number], model: s.slice(at + 1), spec: s };
  });
export type ProviderSpec = z.output<typeof ProviderSpec>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The worker env overrides for `spec` (LLM_BASE_URL, LLM_API_KEY, LLM_AUTH_HEADER, MODEL),
 * from the operator's env. Throws llm_not_configured naming the missing variable.
 */
export function providerEnv(spec: ProviderSpec, env: Env): Record<string, string> {
  const need = (value: string | undefined, name: string) => {
    if (!value)
      throw new ProviderConfigError(
        `provider "${spec.spec}" needs ${name}: set it, or choose a provider whose key is set`,
      );
    return value;
  };
  const out: Record<string, string> = { MODEL: spec.model };
  switch (spec.provider) {
    case 'zai':
      out.LLM_BASE_URL = env.ZAI_BASE_URL ?? ZAI_DEFAULT_BASE_URL;
      out.LLM_API_KEY = need(env.ZAI_API_KEY, 'ZAI_API_KEY');
      out.LLM_AUTH_HEADER = 'bearer';
      break;
    // Always an endpoint of the provider's own: these overrides are spread over the operator's agent env,
    // whose LLM_BASE_URL may be another provider's (ZAI_BASE_URL), which would then receive this key.
    case 'anthropic':
      out.LLM_BASE_URL = env.ANTHROPIC_BASE_URL ?? ANTHROPIC_DEFAULT_BASE_URL;
      out.LLM_API_KEY = need(env.ANTHROPIC_API_KEY, 'ANTHROPIC_API_KEY');
      out.LLM_AUTH_HEADER = 'x-api-key';
      break;
    case 'llm':
      out.LLM_BASE_URL = env.LLM_BASE_URL ?? ANTHROPIC_DEFAULT_BASE_URL;
      out.LLM_API_KEY = need(env.LLM_API_KEY, 'LLM_API_KEY');
      break;
  }
  return out;
}

/** The model the gallery's picker offers for Anthropic when the operator's MODEL is not a Claude one. */
export const ANTHROPIC_DEFAULT_MODEL = 'claude-sonnet-4-5';

/**
 * The providers whose settings the operator gave, as specs a job can run on (the gallery's
 * agent/provider picker): z.ai and a generic endpoint with the operator's MODEL, Anthropic
 * with MODEL when it names a Claude model, else ANTHROPIC_DEFAULT_MODEL.
 */
export function configuredProviders(env: Env, model: string): ProviderSpec[] {
  const out: ProviderSpec[] = [];
  for (const provider of PROVIDERS) {
    const m = provider === 'anthropic' && !model.startsWith('claude') ? ANTHROPIC_DEFAULT_MODEL : model;
    const spec = ProviderSpec.safeParse(`${provider}:${m}`);
    if (!spec.success) continue;
    try {
      providerEnv(spec.data, env);
      out.push(spec.data);
    } catch {
      // not configured: not offered
    }
  }
  return out;
}

/** Where a claude phase's key proxy sends requests when no base URL is configured (as the CLI itself would). */
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** `host:port` of an http(s) URL (the scheme's port when none is given); null for anything else. */
export function endpointOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return null;
  }
}

/**
 * Every model endpoint a claude phase of this installation may call, as `host:port`: the
 * default endpoint (LLM_BASE_URL, else ZAI_BASE_URL, else Anthropic's API) and each compare
 * provider whose settings are given. The egress gateway allows these and nothing else.
 */
export function modelEndpoints(env: Env): string[] {
  const urls = [env.LLM_BASE_URL || env.ZAI_BASE_URL || ANTHROPIC_DEFAULT_BASE_URL];
  for (const provider of PROVIDERS) {
    try {
      urls.push(
        providerEnv({ provider, model: 'any', spec: `${provider}:any` }, env).LLM_BASE_URL ??
          ANTHROPIC_DEFAULT_BASE_URL,
      );
    } catch {
      // not configured: not reachable
    }
  }
  return [...new Set(urls.map(endpointOf).filter((e): e is string => e !== null))].sort();
}
