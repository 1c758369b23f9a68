// Turning "a dockerode instance or a socket path" into a client, and asking
// whether the engine answers without hanging on a dead socket.
import Docker from 'dockerode';
import { withTimeout } from '../timeout.ts';

export type DockerLike = Docker | string | undefined;

/** A dockerode client: the instance given, one on the socket path given, else dockerode's default (DOCKER_HOST or /var/run/docker.sock). */
export function toDocker(docker: DockerLike): Docker {
  if (docker instanceof Docker) return docker;
  if (typeof docker === 'string') return new Docker({ socketPath: docker });
  return new Docker();
}

/** True when the engine answers a ping within `ms`. */
export async function engineAnswers(docker: Docker, ms = 2000): Promise<boolean> {
  try {
    await withTimeout(docker.ping(), ms, 'docker ping');
    return true;
  } catch {
    return false;
  }
}

/** True when `image` exists locally (the runtime never pulls: no registry is assumed). */
export async function imageExists(docker: Docker, image: string, ms = 5000): Promise<boolean> {
  try {
    await withTimeout(docker.getImage(image).inspect(), ms, 'docker image inspect');
    return true;
  } catch {
    return false;
  }
}
