// Connects the container reaper (lib/reaper/containers.ts) to the job records:
// overdue workers fail their phase as `timeout`, exited workers' logs become job
// events, and game containers are checked against the slot table.
import type { WithClient } from '../phase-runner.ts';
import type { TaskDeps } from '../task-deps.ts';
import { addEvent } from '../events.ts';
import { slotOwner } from '../slots.ts';

export async function reapDockerResources(deps: TaskDeps, withClient: WithClient): Promise<string | null> {
  const { reapContainers } = await import('./containers.ts');
  const Dockerode = (await import('dockerode')).default;
  const report = await reapContainers({
    docker: new Dockerode(),
    now: deps.now,
    slotOwner: (slot: number) => withClient((c) => slotOwner(c, slot)),
    storeLogs: (jobId: number, phase: number | null, lines: string[]) =>
      withClient(async (c) => {
        for (const line of lines) await addEvent(c, { jobId, kind: 'log', phase, message: line, data: { source: 'reaper' } }, deps.secrets);
      }),
  });
  const parts = Object.entries(report as unknown as Record<string, unknown[]>)
    .filter(([, v]) => Array.isArray(v) && v.length)
    .map(([k, v]) => `${k}: ${v.length}`);
  return parts.length ? parts.join(', ') : null;
}
