// Connects the container reaper (lib/reaper/containers.ts) to the job records:
// orphaned workers' output becomes job events before removal, game containers
// are checked against the slot table, and each action is reported in the job log.
// (A worker orphaned by a dead runner is re-run: lib/reaper/jobs.ts returns its job to the queue.)
import type { WithClient } from '../db.ts';
import type { TaskDeps } from '../task-deps.ts';
import { instanceLabels } from '../docker/labels.ts';
import { addEvent } from '../events.ts';
import { workerLineEvent } from '../runtimes/worker-lines.ts';
import { slotOwner } from '../slots.ts';

export async function reapDockerResources(deps: TaskDeps, withClient: WithClient): Promise<string | null> {
  const { reapContainers } = await import('./containers.ts');
  const Dockerode = (await import('dockerode')).default;
  const report = await reapContainers({
    docker: new Dockerode(),
    // Only this installation's containers: another one on the same engine is not ours to reap.
    labels: instanceLabels(deps.instanceId),
    now: deps.now,
    secrets: deps.secrets,
    slotOwner: (slot) => withClient((c) => slotOwner(c, slot)),
    storeLogs: (logs) =>
      withClient(async (c) => {
        if (logs.jobId === null) return;
        for (const line of logs.lines) {
          await addEvent(c, workerLineEvent(logs.jobId, logs.phase, line, { source: logs.name }), deps.secrets);
        }
      }),
  });
  for (const a of report.actions) {
    if (a.jobId === null) continue;
    const what = 'role' in a && a.role === 'playtest' ? 'play-test container' : 'worker';
    const message =
      a.action === 'killed-overdue'
        ? `reaper killed ${what} ${a.name}: past its deadline`
        : a.action === 'removed-worker'
          ? `reaper removed exited ${what} ${a.name} (exit ${a.exitCode}${a.role === 'worker' ? `, ${a.logLines} log lines stored` : ''})`
          : `reaper removed game container ${a.name}: slot ${a.slot} now belongs to ${a.slotOwner ?? 'nobody'}`;
    await withClient((c) =>
      addEvent(c, {
        jobId: a.jobId!,
        kind: 'log',
        phase: 'phase' in a ? a.phase : null,
        message,
        data: { source: 'reaper' },
      }),
    );
  }
  const errors = report.errors.map((e) => `${e.name}: ${e.message}`);
  return report.actions.length || errors.length
    ? `${report.actions.length} container action(s)${errors.length ? `; errors: ${errors.join('; ')}` : ''}`
    : null;
}
