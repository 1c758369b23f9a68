// Agent lookup. Imported lazily so the builtin path never loads LLM code.
// AGENT_MODULE plugs in an agent of the operator's own (a module whose default
// export, or `agent` export, implements Agent) — the tests use it for agents that
// misbehave on purpose.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Agent } from './types.ts';

export async function loadAgent(name: 'builtin' | 'claude', modulePath?: string): Promise<Agent> {
  if (modulePath) {
    const mod = await import(pathToFileURL(path.resolve(modulePath)).href);
    const agent = (mod.agent ?? mod.default) as Agent | undefined;
    if (!agent || typeof agent.runPhase !== 'function')
      throw new Error(`AGENT_MODULE ${modulePath} exports no agent (expected \`export const agent\` with runPhase)`);
    return agent;
  }
  if (name === 'claude') return (await import('./claude/index.ts')).claudeAgent;
  return (await import('./builtin/index.ts')).builtinAgent;
}
