// The worker's env contract, shared by the local and docker runtimes.
import path from 'node:path';
import { z } from 'zod';
import { PhaseNumber } from '../lib/artifacts.ts';
import { ROOT_DIR } from '../lib/config.ts';

export const WorkerEnv = z.object({
  PHASE: z.coerce.number().pipe(PhaseNumber),
  JOB_ID: z.coerce.number().int().positive(),
  GAME_NAME: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase slug'),
  WORKSPACE_DIR: z.string().refine((p) => path.isAbsolute(p), 'must be an absolute path'),
  TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400),
  AGENT: z.enum(['builtin', 'claude']).default('builtin'),
  FRAMEWORK_DIR: z.string().default(path.join(ROOT_DIR, 'framework')),
  PROMPTS_DIR: z.string().default(path.join(ROOT_DIR, 'prompts')),
  AGENT_MODULE: z.string().min(1).optional(),
});
export type WorkerEnv = z.infer<typeof WorkerEnv>;

/** Exit codes the runtimes interpret. */
export const EXIT = { completed: 0, failed: 1, badEnv: 2, timeout: 124 } as const;

