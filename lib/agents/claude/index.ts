// The LLM agent: one phase = one run of the Claude Code CLI with our rendered
// prompt, then the worker's own validation; invalid output gets exactly one
// corrective turn (same session, the problems fed back), and an invalid build
// can fall back to the builtin agent (BUILD_FALLBACK=builtin). Endpoint errors
// are retried by the CLI itself and then fail the phase naming the HTTP status.
// The CLI talks to the endpoint through a key proxy in this process
// (key-proxy.ts), so the key never reaches the CLI or anything it starts.
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { phaseName } from '../../artifacts.ts';
import { DEFAULT_BUDGETS } from '../../budgets.ts';
import { BUILD_PHASE, writesDist } from '../../phases.ts';
import { renderCorrectivePrompt, renderPhasePrompt } from '../../prompts.ts';
import { redact } from '../../redact.ts';
import type { Agent, AgentContext, AgentResult, Usage } from '../types.ts';
import { ANTHROPIC_DEFAULT_BASE_URL } from '../../llm/providers.ts';
import { agentPromptContext } from '../prompt-context.ts';
import { writeStarter } from '../starter.ts';
import { runCli } from './cli.ts';
import { resolveClaudeSettings, type ClaudeSettings } from './config.ts';
import { ClaudeAgentError } from './errors.ts';
import { startKeyProxy, type KeyProxy } from './key-proxy.ts';
import { writePlaytestShim } from './playtest-shim.ts';
import { cliArgs, cliEnv, userSettings } from './policy.ts';
import { grantWorkspace, makeHome, resolveRunAs, type RunAs } from './run-as.ts';
import { scrubSecrets } from './scrub.ts';
import { StreamTranslator, addUsage, truncate, usageOf, type CliResult } from './stream.ts';

export { ClaudeAgentError } from './errors.ts';

export const claudeAgent: Agent = {
  name: 'claude',
  runPhase: (ctx) => runClaudePhase(ctx),
};

interface Run {
  sessionId: string | null;
  result: CliResult | null;
  usage: Usage;
}

export async function runClaudePhase(ctx: AgentContext): Promise<AgentResult> {
  const settings = resolveClaudeSettings(ctx.env);
  const secrets = secretForms([settings.apiKey]);
  const emit = redactingEmit(ctx.emit, secrets);
  const runAs = await resolveRunAs(settings.runAs);
  if (ctx.phase === BUILD_PHASE) await placeStarter(ctx, emit);
  await grantWorkspace(ctx.workspaceDir, runAs);
  const home = await makeHome(runAs, userSettings(ctx.phase, ctx.frameworkDir));
  // On a timeout the worker exits without unwinding this function: remove the HOME (session transcripts) on the way out.
  const removeHomeSync = () => {
    try {
      rmSync(home, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // best effort: it lives in the (container's) temp dir
    }
  };
  process.once('exit', removeHomeSync);
  const shimDir = writesDist(ctx.phase) ? await writePlaytestShim(home, runAs) : null;
  if (writesDist(ctx.phase) && !shimDir)
    emit({
      kind: 'log',
      message: 'no `gamepocgen playtest` in this installation (bin/ is not shipped): the agent cannot play its game',
    });
  const promptCtx = await agentPromptContext(ctx, {
    turns: settings.maxTurns,
    seconds: Number(ctx.env.TIMEOUT_SECONDS) || DEFAULT_BUDGETS[ctx.phase].seconds,
  });
  let usage: Usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  // One proxy (and token) per phase, closed in the finally below (an abort ends runCli, so it unwinds there too).
  const proxy = await startKeyProxy({
    upstream: settings.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL,
    apiKey: settings.apiKey,
    keyHeader: settings.keyHeader,
    via: settings.egressSocket,
  }).catch((e: unknown) => {
    process.removeListener('exit', removeHomeSync);
    removeHomeSync();
    throw e;
  });
  const once = async (prompt: string, resume?: string) => {
    const run = await runOnce(
      ctx,
      settings,
      proxy,
      runAs,
      { home, binDirs: shimDir ? [shimDir] : [] },
      emit,
      prompt,
      resume,
    );
    usage = addUsage(usage, run.usage);
    for (const file of await scrubSecrets(ctx.workspaceDir, [settings.apiKey]))
      emit({
        kind: 'error',
        message: `${file} contained the LLM API key; replaced it with [redacted]`,
        data: { file },
      });
    failIfEndpointError(run, settings, usage, proxy.lastUpstreamError());
    return run;
  };
  try {
    const prompt = await renderPhasePrompt(promptCtx);
    emit({
      kind: 'log',
      message: `claude agent: phase ${ctx.phase} (${phaseName(ctx.phase)}), model ${settings.model}, max ${settings.maxTurns} turns, prompt ${prompt.length} chars${runAs ? `, running as ${runAs.name}` : ''}`,
    });
    const first = await once(prompt);
    let problems = await ctx.validateOutputs();
    if (problems.length) {
      emit({
        kind: 'log',
        message: truncate(`output invalid, one corrective turn: ${problems.join('; ')}`, 600),
        data: { problems },
      });
      const corrective = await renderCorrectivePrompt(promptCtx, problems);
      // Resume keeps the model's context; without a session id, restate the task.
      await (first.sessionId ? once(corrective, first.sessionId) : once(`${prompt}\n\n${corrective}`));
      problems = await ctx.validateOutputs();
    }
    if (!problems.length) return { usage };
    if (ctx.phase === BUILD_PHASE && settings.buildFallback === 'builtin')
      return await fallbackBuild(ctx, emit, problems, usage);
    throw new ClaudeAgentError(
      'invalid_output',
      `output still invalid after one corrective turn: ${problems.join('; ')}`,
      usage,
    );
  } catch (e) {
    if (e instanceof ClaudeAgentError && !e.usage) e.usage = usage;
    // The worker writes this message to the status file: it must not carry the key either.
    if (e instanceof Error) e.message = redact(e.message, secrets);
    throw e;
  } finally {
    emit({
      kind: 'usage',
      message: `phase ${ctx.phase}: ${usage.inputTokens} input + ${usage.outputTokens} output tokens, $${(usage.costUsd ?? 0).toFixed(4)}`,
      data: { ...usage },
    });
    process.removeListener('exit', removeHomeSync);
    await proxy.close();
    await rm(home, { recursive: true, force: true });
  }
}

/** The build starts from a working game (lib/agents/starter.ts); without one the prompt's from-scratch path applies. */
async function placeStarter(ctx: AgentContext, emit: AgentContext['emit']): Promise<void> {
  try {
    const starter = await writeStarter(ctx.workspaceDir, ctx.frameworkDir, ctx.input.idea ?? '');
    if (starter)
      emit({
        kind: 'log',
        message: `starter: dist/ holds the ${starter.kit} game configured from the design (${starter.files.size} files)`,
        data: { kit: starter.kit, files: [...starter.files.keys()] },
      });
  } catch (e) {
    emit({
      kind: 'log',
      message: truncate(`no starter (${(e as Error).message}): the build starts from an empty dist/`, 600),
    });
  }
}

async function runOnce(
  ctx: AgentContext,
  settings: ClaudeSettings,
  proxy: KeyProxy,
  runAs: RunAs | null,
  { home, binDirs }: { home: string; binDirs: string[] },
  emit: AgentContext['emit'],
  prompt: string,
  resume?: string,
): Promise<Run> {
  const translator = new StreamTranslator(emit, ctx.workspaceDir);
  const exit = await runCli({
    bin: settings.bin,
    args: cliArgs({ phase: ctx.phase, settings, frameworkDir: ctx.frameworkDir, resume }),
    env: cliEnv(
      settings,
      { baseUrl: proxy.url, token: proxy.token },
      home,
      ctx.env.PATH,
      path.dirname(process.execPath),
      binDirs,
    ),
    cwd: ctx.workspaceDir,
    prompt,
    runAs,
    signal: ctx.signal,
    translator,
  });
  const result = translator.result;
  if (!result) {
    const tail = redact(exit.stderr, [settings.apiKey]).trim().split('\n').slice(-5).join(' | ');
    throw new ClaudeAgentError(
      'cli_failed',
      `Claude CLI exited (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}) without a result${tail ? `: ${truncate(tail, 500)}` : ''}`,
    );
  }
  const u = usageOf(result);
  emit({
    kind: 'log',
    message: `claude run finished: ${result.is_error ? `error (${result.terminal_reason ?? result.subtype ?? 'unknown'})` : (result.subtype ?? 'done')}, ${result.num_turns ?? 0} turns, ${Math.round((result.duration_ms ?? 0) / 100) / 10} s`,
    data: { ...u, turns: result.num_turns, resumed: !!resume },
  });
  return { sessionId: translator.sessionId ?? result.session_id ?? null, result, usage: u };
}

/** Where the proxy forwards to when no LLM_BASE_URL is set: Anthropic's own API, as the CLI would. */

/** API failures end the phase with a reason that names the endpoint's answer; other CLI errors too. Max-turns is left to validation. */
function failIfEndpointError(run: Run, settings: ClaudeSettings, usage: Usage, upstreamError: string | null) {
  const r = run.result!;
  if (!r.is_error || r.subtype === 'error_max_turns' || r.terminal_reason === 'max_turns') return;
  const where = settings.baseUrl ? new URL(settings.baseUrl).host : 'api.anthropic.com';
  const detail = truncate(r.result ?? '', 300);
  if (r.api_error_status) {
    throw new ClaudeAgentError(
      'llm_endpoint_error',
      `LLM endpoint ${where} answered HTTP ${r.api_error_status}${r.api_error_type ? ` (${r.api_error_type})` : ''} after ${retries(settings)}: ${detail}`,
      usage,
    );
  }
  if (r.terminal_reason === 'api_error' || r.api_error) {
    // The CLI only saw the proxy drop its connection; the proxy knows why the endpoint failed.
    const cause = upstreamError ? ` (${truncate(upstreamError, 200)})` : '';
    throw new ClaudeAgentError(
      'llm_unreachable',
      `LLM endpoint ${where} unreachable after ${retries(settings)}: ${detail}${cause}`,
      usage,
    );
  }
  throw new ClaudeAgentError(
    'cli_failed',
    `Claude CLI run failed (${r.subtype ?? 'error'}${r.terminal_reason ? `, ${r.terminal_reason}` : ''}): ${detail}`,
    usage,
  );
}

const retries = (s: ClaudeSettings) => `${s.maxRetries} ${s.maxRetries === 1 ? 'retry' : 'retries'}`;

/** BUILD_FALLBACK=builtin: build the plan with the builtin kits, on a clean dist/. */
async function fallbackBuild(
  ctx: AgentContext,
  emit: AgentContext['emit'],
  problems: string[],
  usage: Usage,
): Promise<AgentResult> {
  emit({
    kind: 'log',
    message: truncate(
      `LLM build still invalid after the corrective turn; BUILD_FALLBACK=builtin: building the plan with the builtin agent instead (${problems.join('; ')})`,
      600,
    ),
    data: { fallback: 'builtin', problems },
  });
  await rm(path.join(ctx.workspaceDir, 'dist'), { recursive: true, force: true });
  const { builtinAgent } = await import('../builtin/index.ts');
  const result = await builtinAgent.runPhase(ctx);
  return { usage: addUsage(usage, result.usage ?? {}) };
}

/** A secret as it may appear in text: raw, and JSON-escaped (inside serialized events). */
function secretForms(secrets: string[]): string[] {
  return secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
}

/** Every event passes through here: the key never leaves the agent. */
function redactingEmit(emit: AgentContext['emit'], forms: string[]): AgentContext['emit'] {
  return (event) => {
    const json = JSON.stringify(event);
    if (!forms.some((s) => json.includes(s))) return emit(event);
    try {
      emit(JSON.parse(redact(json, forms)));
    } catch {
      emit({ kind: event.kind, message: redact(event.message, forms) });
    }
  };
}
