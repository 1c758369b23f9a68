// The task registry: every graphile-worker task identifier and the zod schema
// of its payload. tasks/<name>.ts validates with these, enqueue() takes them
// typed, and bin/task-list.ts wires one task file per name.
import { z } from 'zod';
import { PhaseNumber } from '../artifacts.ts';

export const RunPhasePayload = z.object({
  jobId: z.number().int().positive(),
  phase: PhaseNumber,
  /** Phase 5 only: which repair of the loop this is (1, 2, …); done once that many repairs completed. */
  repair: z.number().int().min(1).max(20).optional(),
});
export type RunPhasePayload = z.infer<typeof RunPhasePayload>;
export const JobIdPayload = z.object({ jobId: z.number().int().positive() });
/**
 * With `rollbackTo`, republishes an earlier play-tested version (already judged, so no play-test follows);
 * with `force` (a restored version, lib/studio/), deploys dist/ even when no newer build exists.
 */
export const DeployPayload = JobIdPayload.extend({
  rollbackTo: z.number().int().min(1).max(20).optional(),
  force: z.boolean().optional(),
});
export const RemoveGamePayload = z.object({ jobId: z.number().int().positive(), slot: z.number().int().min(0) });

export const TASKS = {
  /** One phase of one job (lib/phase-runner.ts). */
  'run-phase': RunPhasePayload,
  /** Publishes a built job to a slot, or a version the repair loop rolled back to (lib/deploy.ts). */
  'deploy-game': DeployPayload,
  /** Plays a deployed game headless and drives the repair loop (lib/playtest/). */
  'playtest-game': JobIdPayload,
  /** Stops serving a removed game's slot. */
  'remove-game': RemoveGamePayload,
  /** Crontab, every minute: dead runners, stale containers (payload ignored). */
  'reap-containers': z.unknown(),
  /** Restores slots that are not served (lib/slot-reconcile.ts); queued by a reaper pass on an extra worker host. */
  'reconcile-slots': z.unknown(),
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskPayload<T extends TaskName> = z.infer<(typeof TASKS)[T]>;

/**
 * The steps about a served game. They act on the games engine and the slot directories it bind-mounts (and a
 * play-test reaches the game where that host serves it), so only runners with SERVE_GAMES take them; any runner
 * takes the rest (docs/deploy.md, "Scaling out").
 */
export const GAMES_HOST_TASKS: readonly TaskName[] = ['deploy-game', 'remove-game', 'playtest-game', 'reconcile-slots'];

/** Whether a runner with this SERVE_GAMES setting takes `task`. */
export const takesTask = (task: string, serveGames: boolean): boolean =>
  serveGames || !(GAMES_HOST_TASKS as readonly string[]).includes(task);
