// `gamepocgen down-containers`: removes every container this installation started outside
// compose (game slots, phases), so `docker compose down` can remove the networks they were on.
// Only this installation's (gamepocgen.instance label); the games come back from their stored
// releases when the stack starts again (lib/slot-reconcile.ts).
import type Docker from 'dockerode';
import { tolerateGone } from './errors.ts';
import { LABEL } from './labels.ts';

export async function removeInstanceContainers(docker: Docker, instanceId: string): Promise<string[]> {
  const listed = await docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${instanceId}`] } });
  const removed: string[] = [];
  for (const c of listed) {
    if (await tolerateGone(() => docker.getContainer(c.Id).remove({ force: true })))
      removed.push(c.Names[0]?.slice(1) ?? c.Id);
  }
  return removed;
}
