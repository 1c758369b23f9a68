// Agent lookup by name. Imported lazily so the builtin path never loads LLM code.
import type { Agent } from './types.ts';

export async function loadAgent(name: 'builtin' | 'claude'): Promise<Agent> {
  if (name === 'claude') return (await import('./claude/index.ts')).claudeAgent;
  return (await import('./builtin/index.ts')).builtinAgent;
}
