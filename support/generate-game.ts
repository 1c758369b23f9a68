// Test and bench support: runs the builtin agent through phases 1–4 in a scratch workspace,
// exactly as the worker would (one runPhase per phase), and returns the files.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JobInput, type Genre, type PhaseNumber } from '../lib/artifacts.ts';
import { builtinAgent } from '../lib/agents/builtin/index.ts';
import type { WorkerLine } from '../lib/worker-protocol/lines.ts';
import { validatePhaseOutputs } from '../lib/phase-outputs.ts';
import { readTree, type FileMap } from '../lib/workspace.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const FRAMEWORK_DIR = path.join(ROOT, 'framework');

export interface Generated {
  dir: string;
  files: FileMap;
  events: WorkerLine[];
  cleanup(): Promise<void>;
}

export async function generateGame(opts: {
  idea: string | null;
  seed?: number;
  genre?: Genre | null;
  existingTitles?: string[];
  phases?: PhaseNumber[];
}): Promise<Generated> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-builtin-'));
  const input = JobInput.parse({
    jobId: 1,
    idea: opts.idea,
    genre: opts.genre ?? null,
    seed: opts.seed ?? 1,
    existingTitles: opts.existingTitles ?? [],
  });
  const events: WorkerLine[] = [];
  for (const phase of opts.phases ?? ([1, 2, 3, 4] as PhaseNumber[])) {
    await builtinAgent.runPhase({
      phase,
      jobId: 1,
      gameName: 'test',
      workspaceDir: dir,
      frameworkDir: FRAMEWORK_DIR,
      promptsDir: path.join(ROOT, 'prompts'),
      input,
      signal: new AbortController().signal,
      emit: (e) => events.push(e),
      validateOutputs: async () => validatePhaseOutputs(phase, await readTree(dir)),
      env: {},
    });
    const problems = validatePhaseOutputs(phase, await readTree(dir));
    if (problems.length) throw new Error(`phase ${phase} outputs invalid: ${problems.join('; ')}`);
  }
  return { dir, files: await readTree(dir), events, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
