// Turns the CLI's `--output-format stream-json --verbose` lines into job events:
// what the agent does (tool calls with their target), says (truncated), what
// goes wrong (API errors, retries, refused tools) and what it costs. Field names
// are those of Claude Code 2.1.328; unknown line types are ignored, so a newer
// CLI degrades to fewer events rather than a failed phase.
import path from 'node:path';
import type { AgentContext, Usage } from '../types.ts';

const TEXT_LIMIT = 300;
const TARGET_LIMIT = 160;

/** The CLI's final `result` line (the fields we use). */
export interface CliResult {
  subtype?: string;
  is_error?: boolean;
  result?: string;
  session_id?: string;
  num_turns?: number;
  duration_ms?: number;
  total_cost_usd?: number;
  terminal_reason?: string;
  api_error_status?: number | null;
  api_error_type?: string;
  api_error?: string;
  usage?: {
    input_tokens?: number;
    output_tokens?: number;
    cache_creation_input_tokens?: number;
    cache_read_input_tokens?: number;
  };
  model_usage_since_last_result?: Record<string, { costUSD?: number }>;
}

type Json = Record<string, any>;

export class StreamTranslator {
  sessionId: string | null = null;
  result: CliResult | null = null;
  /** HTTP statuses of failed API attempts the CLI reported (retries included). */
  readonly apiErrors: (number | null)[] = [];
  private readonly tools = new Map<string, string>();
  private readonly denied = new Set<string>();
  private readonly emit: AgentContext['emit'];
  private readonly workspaceDir: string;

  constructor(emit: AgentContext['emit'], workspaceDir: string) {
    this.emit = emit;
    this.workspaceDir = workspaceDir;
  }

  handleLine(line: string): void {
    if (!line.trim()) return;
    let msg: Json;
    try {
      msg = JSON.parse(line);
    } catch {
      this.emit({ kind: 'log', message: `claude: ${truncate(line, TEXT_LIMIT)}` });
      return;
    }
    if (typeof msg.session_id === 'string') this.sessionId = msg.session_id;
    if (msg.type === 'system') this.onSystem(msg);
    else if (msg.type === 'assistant') this.onAssistant(msg);
    else if (msg.type === 'user') this.onUser(msg);
    else if (msg.type === 'result') this.result = msg as CliResult;
  }

  private onSystem(msg: Json) {
    if (msg.subtype === 'init') {
      this.emit({
        kind: 'log',
        message:
          `claude ${msg.claude_code_version ?? ''} started: model ${msg.model}, tools ${(msg.tools ?? []).join(', ')}, permissions ${msg.permissionMode}`.replace(
            /\s+/g,
            ' ',
          ),
        data: { sessionId: msg.session_id, model: msg.model, tools: msg.tools },
      });
    } else if (msg.subtype === 'api_retry') {
      this.apiErrors.push(msg.error_status ?? null);
      const what = msg.error_status ? `HTTP ${msg.error_status}` : (msg.error ?? 'connection error');
      this.emit({
        kind: 'log',
        message: `LLM endpoint error (${what}); retry ${msg.attempt} of ${msg.max_retries} in ${Math.round((msg.retry_delay_ms ?? 0) / 100) / 10} s`,
        data: {
          status: msg.error_status ?? null,
          attempt: msg.attempt,
          maxRetries: msg.max_retries,
          delayMs: msg.retry_delay_ms,
        },
      });
    } else if (msg.subtype === 'permission_denied') {
      if (msg.tool_use_id) this.denied.add(msg.tool_use_id);
      const target = this.tools.get(msg.tool_use_id) ?? '';
      this.emit({
        kind: 'error',
        message: `refused: ${msg.tool_name} ${target}${msg.decision_reason ? ` (${msg.decision_reason})` : ''}`.trim(),
        data: { tool: msg.tool_name, target, reason: msg.decision_reason ?? msg.message },
      });
    }
  }

  private onAssistant(msg: Json) {
    const content: Json[] = Array.isArray(msg.message?.content) ? msg.message.content : [];
    for (const block of content) {
      if (block.type === 'text' && typeof block.text === 'string' && block.text.trim()) {
        if (msg.is_api_error_message || msg.error)
          this.emit({
            kind: 'error',
            message: truncate(block.text, TEXT_LIMIT),
            data: { status: msg.api_error_status ?? null },
          });
        else this.emit({ kind: 'assistant', message: truncate(block.text, TEXT_LIMIT) });
      } else if (block.type === 'tool_use') {
        const target = this.targetOf(block.name, block.input ?? {});
        this.tools.set(block.id, target);
        this.emit({ kind: 'tool', message: `${block.name} ${target}`.trim(), data: { tool: block.name, target } });
      }
    }
  }

  private onUser(msg: Json) {
    const content: Json[] = Array.isArray(msg.message?.content) ? msg.message.content : [];
    for (const block of content) {
      if (block.type !== 'tool_result' || !block.is_error || this.denied.has(block.tool_use_id)) continue;
      const text = typeof block.content === 'string' ? block.content : JSON.stringify(block.content ?? '');
      this.emit({
        kind: 'log',
        message: `tool error (${this.tools.get(block.tool_use_id) ?? block.tool_use_id}): ${truncate(text, TEXT_LIMIT)}`,
      });
    }
  }

  /** A file tool's path relative to the workspace (absolute when outside), a command, or a pattern. */
  private targetOf(tool: string, input: Json): string {
    const file = input.file_path ?? input.notebook_path ?? input.path;
    if (typeof file === 'string') {
      const rel = path.relative(this.workspaceDir, file);
      return truncate(rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file, TARGET_LIMIT);
    }
    if (tool === 'Bash' && typeof input.command === 'string')
      return truncate(input.command.replace(/\s+/g, ' '), TARGET_LIMIT);
    if (typeof input.pattern === 'string') return truncate(input.pattern, TARGET_LIMIT);
    return '';
  }
}

/** Tokens (cached input included) and cost of one CLI run. On --resume the CLI's total_cost_usd is cumulative, so prefer the per-run figure. */
export function usageOf(result: CliResult | null): Usage {
  if (!result) return {};
  const u = result.usage ?? {};
  const perRun = result.model_usage_since_last_result
    ? Object.values(result.model_usage_since_last_result).reduce((n, m) => n + (m.costUSD ?? 0), 0)
    : undefined;
  return {
    inputTokens: (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0),
    outputTokens: u.output_tokens ?? 0,
    costUsd: perRun ?? result.total_cost_usd ?? 0,
  };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: (a.inputTokens ?? 0) + (b.inputTokens ?? 0),
    outputTokens: (a.outputTokens ?? 0) + (b.outputTokens ?? 0),
    costUsd: Math.round(((a.costUsd ?? 0) + (b.costUsd ?? 0)) * 1e6) / 1e6,
  };
}

export function truncate(text: string, limit: number): string {
  const t = text.trim();
  return t.length > limit ? t.slice(0, limit - 1) + '…' : t;
}
