// Provider specs for model comparison, and how each provider's key reaches the
// endpoint through the real CLI (bearer for z.ai-style endpoints, x-api-key for Anthropic).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveClaudeSettings } from '../../lib/agents/claude/config.ts';
import {
  ANTHROPIC_DEFAULT_BASE_URL,
  ProviderSpec,
  ZAI_DEFAULT_BASE_URL,
  providerEnv,
} from '../../lib/llm/providers.ts';
import { startModelServer, type MessagesBody, type ModelServer } from '../fixtures/model-server.ts';
import { happy } from '../fixtures/scenarios/index.ts';
import { HAVE_CLAUDE, cleanupTempDirs, makeWorkspace, runAgentPhase } from './helpers.ts';

describe('provider specs', () => {
  it('parses "<provider>:<model>" and rejects anything else', () => {
    expect(ProviderSpec.parse('zai:glm-4.6')).toEqual({ provider: 'zai', model: 'glm-4.6', spec: 'zai:glm-4.6' });
    expect(ProviderSpec.parse('anthropic:claude-sonnet-4-5')).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
    });
    for (const bad of ['glm-4.6', 'openai:gpt', 'zai:', 'zai: glm', 'zai:glm;rm -rf /', `zai:${'x'.repeat(101)}`])
      expect(ProviderSpec.safeParse(bad).success, bad).toBe(false);
  });

  it('maps each provider to the worker env, naming a missing key', () => {
    const env = {
      ZAI_API_KEY: 'zk-1234567890',
      ANTHROPIC_API_KEY: 'sk-ant-api03-abc',
      LLM_BASE_URL: 'http://llm.local',
      LLM_API_KEY: 'lk-1234567890',
    };
    expect(providerEnv(ProviderSpec.parse('zai:glm-4.6'), env)).toEqual({
      MODEL: 'glm-4.6',
      LLM_BASE_URL: ZAI_DEFAULT_BASE_URL,
      LLM_API_KEY: 'zk-1234567890',
      LLM_AUTH_HEADER: 'bearer',
    });
    // The Anthropic key goes to Anthropic even when the operator's LLM_BASE_URL points elsewhere:
    // this env is merged over theirs, so leaving LLM_BASE_URL out would send the key to their endpoint.
    expect(providerEnv(ProviderSpec.parse('anthropic:claude-x'), env)).toEqual({
      MODEL: 'claude-x',
      LLM_BASE_URL: ANTHROPIC_DEFAULT_BASE_URL,
      LLM_API_KEY: 'sk-ant-api03-abc',
      LLM_AUTH_HEADER: 'x-api-key',
    });
    // Every provider names its own endpoint: spread over an operator env pointing at z.ai, the Anthropic
    // and generic keys still go to their own endpoints, never to z.ai.
    const operator = { LLM_BASE_URL: ZAI_DEFAULT_BASE_URL, LLM_API_KEY: 'zk-1234567890' };
    const { LLM_BASE_URL: _omit, ...noGenericUrl } = env;
    expect({ ...operator, ...providerEnv(ProviderSpec.parse('anthropic:claude-x'), env) }.LLM_BASE_URL).toBe(
      ANTHROPIC_DEFAULT_BASE_URL,
    );
    expect({ ...operator, ...providerEnv(ProviderSpec.parse('llm:qwen'), noGenericUrl) }.LLM_BASE_URL).toBe(
      ANTHROPIC_DEFAULT_BASE_URL,
    );
    expect(providerEnv(ProviderSpec.parse('llm:qwen'), env)).toEqual({
      MODEL: 'qwen',
      LLM_BASE_URL: 'http://llm.local',
      LLM_API_KEY: 'lk-1234567890',
    });
    expect(() => providerEnv(ProviderSpec.parse('anthropic:claude-x'), {})).toThrowError(
      expect.objectContaining({ code: 'llm_not_configured', message: expect.stringContaining('ANTHROPIC_API_KEY') }),
    );
  });

  it('settings: ZAI_* are accepted names, Anthropic keys go as x-api-key, bad URLs are refused', () => {
    expect(
      resolveClaudeSettings({ ZAI_BASE_URL: 'https://api.z.ai/api/anthropic', ZAI_API_KEY: 'zk-1' }),
    ).toMatchObject({
      baseUrl: 'https://api.z.ai/api/anthropic',
      apiKey: 'zk-1',
      keyHeader: 'bearer',
      model: 'glm-4.6',
    });
    expect(resolveClaudeSettings({ LLM_BASE_URL: 'http://a', LLM_API_KEY: 'k1', ZAI_API_KEY: 'k2' }).apiKey).toBe('k1');
    expect(resolveClaudeSettings({ ANTHROPIC_API_KEY: 'sk-ant-api03-x' }).keyHeader).toBe('x-api-key');
    expect(
      resolveClaudeSettings({ LLM_BASE_URL: 'http://proxy', LLM_API_KEY: 'k', LLM_AUTH_HEADER: 'x-api-key' }).keyHeader,
    ).toBe('x-api-key');
    expect(() => resolveClaudeSettings({ LLM_BASE_URL: 'ftp://x', LLM_API_KEY: 'k' })).toThrowError(
      expect.objectContaining({ code: 'llm_not_configured' }),
    );
    expect(() => resolveClaudeSettings({})).toThrowError(/LLM_API_KEY/);
  });
});

describe.skipIf(!HAVE_CLAUDE)('provider env through the real CLI', () => {
  let server: ModelServer | undefined;
  afterEach(() => server?.close());
  afterAll(cleanupTempDirs);

  it.each([
    [
      'zai:glm-4.6',
      'ZAI',
      (url: string) => ({ ZAI_BASE_URL: url, ZAI_API_KEY: 'zk-test-0123456789' }),
      { authorization: 'Bearer zk-test-0123456789' },
    ],
    [
      'anthropic:claude-test-1',
      'ANTHROPIC',
      (url: string) => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: 'sk-ant-api03-test-0123' }),
      { 'x-api-key': 'sk-ant-api03-test-0123' },
    ],
  ])('%s: the model and the key header arrive as the provider expects', async (spec, _, operatorEnv, expected) => {
    server = await startModelServer({ scenario: happy });
    const env = providerEnv(ProviderSpec.parse(spec), operatorEnv(server.url));
    const run = await runAgentPhase({ phase: 1, workspaceDir: await makeWorkspace(), baseUrl: env.LLM_BASE_URL!, env });
    expect(run.error).toBeUndefined();
    const first = server.messageRequests()[0]!;
    expect(first.headers).toMatchObject(expected);
    expect('x-api-key' in expected ? first.headers.authorization : first.headers['x-api-key']).toBeUndefined();
    expect((first.body as MessagesBody).model).toBe(ProviderSpec.parse(spec).model);
  });
});
