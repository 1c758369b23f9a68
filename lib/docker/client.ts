// Turning "a dockerode instance or a socket path" into a client, and asking
// whether the engine answers (and has a worker image for this version) without hanging on a dead socket.
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

/** The label a worker image carries for the version it was built for (Dockerfile.worker). */
export const VERSION_LABEL = 'gamepocgen.version';

/**
 * Whether the docker runtime can run phases here: the engine answers, the image exists, and it was built
 * for `version` (its gamepocgen.version label). `reason` says why, either way.
 */
export async function dockerRuntimeCheck(
  docker: DockerLike,
  image: string,
  version: string,
): Promise<{ code: 'ok' | 'no_engine' | 'no_image' | 'wrong_version'; reason: string }> {
  const client = toDocker(docker);
  if (!(await engineAnswers(client)))
    return {
      code: 'no_engine',
      reason: `the Docker engine does not answer (${process.env.DOCKER_HOST ?? '/var/run/docker.sock'})`,
    };
  const info = await withTimeout(client.getImage(image).inspect(), 5000, 'docker image inspect').catch(() => null);
  if (!info)
    return {
      code: 'no_image',
      reason: `image ${image} does not exist (docker build -f Dockerfile.worker -t ${image} .)`,
    };
  const built = info.Config?.Labels?.[VERSION_LABEL];
  if (built !== version)
    return {
      code: 'wrong_version',
      reason: `image ${image} was built for ${built ? `version ${built}` : 'no version (no gamepocgen.version label)'}, not ${version}; rebuild it`,
    };
  return { code: 'ok', reason: `the engine answers and image ${image} was built for version ${version}` };
}
