// The task registry: every graphile-worker task identifier and the zod schema
// of its payload. tasks/<name>.ts validates with these, enqueue() takes them
// typed, and bin/task-list.ts wires one task file per name.
import { z } from 'zod';
import { PhaseNumber } from '../artifacts.ts';

export const RunPhasePayload = z.object({ jobId: z.number().int().positive(), phase: PhaseNumber });
export type RunPhasePayload = z.infer<typeof RunPhasePayload>;
export const JobIdPayload = z.object({ jobId: z.number().int().positive() });
/** `force` (a restored version, "put on a slot"): deploy dist/ even when no newer build exists. */
export const DeployPayload = JobIdPayload.extend({ force: z.boolean().optional() });
export const RemoveGamePayload = z.object({ jobId: z.number().int().positive(), slot: z.number().int().min(0) });

export const TASKS = {
  /** One phase of one job (lib/phase-runner.ts). */
  'run-phase': RunPhasePayload,
  /** Publishes a built job to a slot (lib/deploy.ts). */
  'deploy-game': DeployPayload,
  /** Plays a deployed game headless and may queue the repair (lib/playtest/). */
  'playtest-game': JobIdPayload,
  /** Stops serving a removed game's slot. */
  'remove-game': RemoveGamePayload,
  /** Crontab, every minute: dead runners, stale containers (payload ignored). */
  'reap-containers': z.unknown(),
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskPayload<T extends TaskName> = z.infer<(typeof TASKS)[T]>;
