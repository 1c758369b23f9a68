// How the Claude Code CLI is invoked for a phase: tools, permissions, settings
// and env. Verified against @anthropic-ai/claude-code 2.1.328 (docs/llm.md):
//  - `--tools` limits the tools the model is offered at all; `--permission-mode
//    acceptEdits` lets file edits inside the working directory through without a
//    prompt, and in -p mode anything that would prompt (e.g. a Write outside the
//    workspace) is refused ("Path is outside allowed working directories").
//  - File tools are never put in `--allowedTools` / `permissions.allow`: an allow
//    rule for `Write` lifts the working-directory confinement (a Write outside
//    the workspace then succeeds; test/claude/scenarios.test.ts guards this).
//  - We never use --dangerously-skip-permissions: the build phase gets Bash via
//    `--allowedTools Bash`, and the container around the worker is its sandbox.
//  - `--setting-sources user` + CLAUDE_CODE_DISABLE_CLAUDE_MDS: the workspace holds
//    LLM output from earlier phases, so a `.claude/settings.json` (hooks!) or a
//    CLAUDE.md written there must never configure or instruct a later run.
import path from 'node:path';
import type { PhaseNumber } from '../../artifacts.ts';
import { readsFramework, writesDist } from '../../phases.ts';
import type { ClaudeSettings } from './config.ts';

/** Phases 1–3: read and write files, nothing else. */
export const FILE_TOOLS = ['Read', 'Write', 'Edit', 'Glob', 'Grep'] as const;
/** Phases that write dist/ (build, repair): the full working set, shell included (inside the worker's sandbox). */
export const BUILD_TOOLS = [...FILE_TOOLS, 'Bash'] as const;

export function toolsFor(phase: PhaseNumber): readonly string[] {
  return writesDist(phase) ? BUILD_TOOLS : FILE_TOOLS;
}

/** Tools pre-approved beyond acceptEdits: only the shell, and only where it is offered. */
export function preApprovedFor(phase: PhaseNumber): string[] {
  return writesDist(phase) ? ['Bash'] : [];
}

export interface CliInvocation {
  phase: PhaseNumber;
  settings: ClaudeSettings;
  frameworkDir: string;
  /** Continue this session (the corrective turn) instead of starting a new one. */
  resume?: string;
}

/** The CLI's argv (the prompt goes to stdin: no argv length limit, nothing of it in `ps`). */
export function cliArgs(inv: CliInvocation): string[] {
  const tools = toolsFor(inv.phase).join(',');
  const approved = preApprovedFor(inv.phase);
  const args = [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--model',
    inv.settings.model,
    '--max-turns',
    String(inv.settings.maxTurns),
    '--tools',
    tools,
    ...(approved.length ? ['--allowedTools', approved.join(',')] : []),
    '--permission-mode',
    'acceptEdits',
    '--setting-sources',
    'user',
    '--strict-mcp-config',
    '--disable-slash-commands',
  ];
  // From the plan phase on, the agent reads framework/ (outside the workspace).
  if (readsFramework(inv.phase)) args.push('--add-dir', inv.frameworkDir);
  if (inv.resume) args.push('--resume', inv.resume);
  return args;
}

/** `~/.claude/settings.json` for the CLI's private HOME: the same policy again, as defence in depth. */
export function userSettings(phase: PhaseNumber, frameworkDir: string): Record<string, unknown> {
  return {
    permissions: {
      defaultMode: 'acceptEdits',
      allow: preApprovedFor(phase),
      // The framework copy is read-only for the agent; it edits dist/framework/ instead.
      deny: ['WebFetch', 'WebSearch', `Edit(/${path.resolve(frameworkDir)}/**)`],
    },
    includeCoAuthoredBy: false,
    cleanupPeriodDays: 1,
    autoUpdates: false,
  };
}

/** Where the CLI sends its requests: the worker's key proxy (key-proxy.ts) and its throwaway token. */
export interface CliEndpoint {
  baseUrl: string;
  token: string;
}

/**
 * The CLI's entire environment. Built from scratch, not inherited, so nothing of
 * the worker's env leaks in. It never holds the real key: only the key proxy's
 * loopback URL and a throwaway per-phase token (never argv, never a file).
 */
export function cliEnv(
  s: ClaudeSettings,
  endpoint: CliEndpoint,
  home: string,
  basePath: string | undefined,
  nodeDir: string,
  /** Directories first on PATH: the `gamepocgen` shim (playtest-shim.ts). */
  binDirs: string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {
    HOME: home,
    PATH: [...binDirs, nodeDir, basePath || '/usr/local/bin:/usr/bin:/bin'].join(':'),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    ANTHROPIC_MODEL: s.model,
    ANTHROPIC_SMALL_FAST_MODEL: s.smallModel,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: s.smallModel,
    ANTHROPIC_DEFAULT_SONNET_MODEL: s.model,
    ANTHROPIC_DEFAULT_OPUS_MODEL: s.model,
    CLAUDE_CODE_MAX_RETRIES: String(s.maxRetries),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_DISABLE_CLAUDE_MDS: '1',
    CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
  };
  env.ANTHROPIC_BASE_URL = endpoint.baseUrl;
  if (s.timeoutMs) env.API_TIMEOUT_MS = String(s.timeoutMs);
  // The same variable as the real key would use, so the CLI behaves as it would against the endpoint.
  if (s.keyHeader === 'bearer') env.ANTHROPIC_AUTH_TOKEN = endpoint.token;
  else env.ANTHROPIC_API_KEY = endpoint.token;
  return env;
}
