// What an LLM agent renders a phase's prompt from (lib/prompts.ts): the job's input,
// the play-test evidence a repair works from, the lessons of earlier games (build and
// repair) and the phase's budget. Shared so every agent that renders prompts — and the
// tests that capture them — see exactly what the claude agent sends.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PhaseBudget } from '../budgets.ts';
import { REPAIR_PHASE } from '../phases.ts';
import type { PromptContext } from '../prompts.ts';
import type { AgentContext } from './types.ts';

export async function agentPromptContext(ctx: AgentContext, budget: PhaseBudget): Promise<PromptContext> {
  return {
    phase: ctx.phase,
    workspaceDir: ctx.workspaceDir,
    frameworkDir: ctx.frameworkDir,
    promptsDir: ctx.promptsDir,
    input: ctx.input,
    playtest: ctx.phase === REPAIR_PHASE ? await readPlaytest(ctx.workspaceDir) : undefined,
    lessons: ctx.input.lessons,
    budget,
  };
}

async function readPlaytest(workspaceDir: string): Promise<unknown> {
  try {
    const text = await readFile(path.join(workspaceDir, 'playtest.json'), 'utf8');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  } catch {
    return null;
  }
}
