// Errors the Claude agent throws: each carries a stable code and a message that
// says what to do. The worker puts the message in status/<phase>.json, so it is
// what an operator reads in the job's failure reason.
import type { Usage } from '../types.ts';

export type ClaudeErrorCode =
  | 'llm_not_configured'
  | 'cli_not_found'
  | 'cli_failed'
  | 'llm_endpoint_error'
  | 'llm_unreachable'
  | 'invalid_output'
  | 'workspace_inaccessible'
  | 'aborted';

export class ClaudeAgentError extends Error {
  readonly code: ClaudeErrorCode;
  /** Tokens and cost spent before the failure (the phase's usage event carries the same numbers). */
  usage?: Usage;
  constructor(code: ClaudeErrorCode, message: string, usage?: Usage) {
    super(message);
    this.name = 'ClaudeAgentError';
    this.code = code;
    if (usage) this.usage = usage;
  }
}
