// Networks the Docker path needs: the workers' egress network (claude agent)
// and the Traefik network the game containers join. Created on first use so a
// plain `docker compose up` or a test run needs no manual `docker network create`.
import type Docker from 'dockerode';
import { DockerPathError, engineMessage, isConflict, isNotFound } from './errors.ts';

export interface NetworkOptions {
  /** Internal networks have no route out (tests use them); egress networks must not be internal. */
  internal?: boolean;
  /** false: containers on this network cannot reach each other (workers must not talk to workers). */
  interContainer?: boolean;
  labels?: Record<string, string>;
}

/** Makes sure a bridge network called `name` exists; tolerant of a concurrent creator. */
export async function ensureNetwork(docker: Docker, name: string, opts: NetworkOptions = {}): Promise<void> {
  if (name === 'none' || name === 'host' || name === 'bridge') return;
  try {
    await docker.getNetwork(name).inspect();
    return;
  } catch (e) {
    if (!isNotFound(e))
      throw new DockerPathError('docker_network_failed', `cannot inspect network ${name}: ${engineMessage(e)}`, {
        cause: e,
      });
  }
  try {
    await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Internal: opts.internal ?? false,
      Labels: { 'gamepocgen.managed': 'true', ...opts.labels },
      Options: opts.interContainer === false ? { 'com.docker.network.bridge.enable_icc': 'false' } : {},
    });
  } catch (e) {
    // Another process created it between our inspect and create: fine.
    if (isConflict(e)) return;
    const again = await docker
      .getNetwork(name)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    if (again) return;
    throw new DockerPathError(
      'docker_network_failed',
      `cannot create network ${name}: ${engineMessage(e)}; create it with \`docker network create ${name}\``,
      { cause: e },
    );
  }
}

/** Removes a network, ignoring "already gone" and "still in use" (best-effort cleanup). */
export async function removeNetwork(docker: Docker, name: string): Promise<void> {
  await docker
    .getNetwork(name)
    .remove()
    .catch(() => {});
}
