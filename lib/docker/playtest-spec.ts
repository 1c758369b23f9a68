// The create-options of a play-test container: the phase container's hardening
// (workerContainerSpec: uid 1001, read-only rootfs, tmpfs, CapDrop ALL,
// no-new-privileges, memory/CPU/pids limits, private IPC, capped json-file logs)
// with what Chromium needs on top, and no bind mount at all: the verdict comes
// back on stdout, so the container needs nothing of the host's and can run on
// whichever engine serves the game. A pure function, compared field by field
// with a phase container's in test/docker/playtest-container.test.ts.
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { LABEL } from './labels.ts';
import { CONTAINER_HOME, WORKER_GID, WORKER_LIMITS, WORKER_UID, workerContainerSpec } from './worker-spec.ts';

/**
 * Sized by measuring (`docker stats` during a play-test of test/fixtures/playtest-games/good-freeform in
 * gamepocgen-playtest:test, 2026-12): Chromium peaked at 125 pids (the limit counts threads: browser,
 * zygote, renderer, network and storage processes) and ≈ 360 MiB. The phase's limits (512 pids, 2 GiB,
 * 1 CPU) cover that with room for a game's web workers and a big canvas, so they stay the same; only
 * /dev/shm grows: Docker's default is 64 MiB, and Chromium passes every frame and screenshot through
 * shared memory and crashes the tab ("Aw, Snap") when a large canvas exhausts it. The 2 GiB memory
 * limit includes /dev/shm and the tmpfs pages written (the profile in /tmp).
 */
export const PLAYTEST_LIMITS = WORKER_LIMITS;
export const PLAYTEST_SHM_BYTES = 256 * 1024 ** 2;

export interface PlaytestSpecInput {
  image: string;
  name: string;
  command: string[];
  jobId: number;
  /** Epoch seconds; the reaper kills the container after it. */
  deadline: number;
  /** The network the game's slot container is on (the deployer's): how it reaches the URL a player opens. */
  network: string;
  labels?: Record<string, string>;
  limits?: Partial<typeof PLAYTEST_LIMITS>;
}

/** `<prefix>job<id>-playtest-<random>`. */
export function playtestName(prefix: string, jobId: number): string {
  return `${prefix}job${jobId}-playtest-${randomBytes(3).toString('hex')}`;
}

export function playtestContainerSpec(input: PlaytestSpecInput): Docker.ContainerCreateOptions {
  const base = workerContainerSpec({
    image: input.image,
    name: input.name,
    command: input.command,
    // From scratch: the browser runs an untrusted game and holds nothing of ours.
    env: { HOME: CONTAINER_HOME, PATH: '/usr/local/bin:/usr/bin:/bin' },
    jobId: input.jobId,
    phase: 0,
    deadline: input.deadline,
    hostWorkspace: '',
    network: input.network,
    limits: { ...PLAYTEST_LIMITS, ...input.limits },
  });
  const { [LABEL.phase]: _phase, ...labels } = base.Labels ?? {};
  return {
    ...base,
    Labels: { ...input.labels, ...labels, [LABEL.role]: 'playtest' },
    HostConfig: {
      ...base.HostConfig,
      // No workspace: nothing of the host is mounted (and never the Docker socket).
      Binds: [],
      Tmpfs: {
        // Chromium's profile (playwright's --user-data-dir) and its caches.
        '/tmp': 'rw,nosuid,nodev,size=512m,mode=1777',
        [CONTAINER_HOME]: `rw,nosuid,nodev,size=128m,uid=${WORKER_UID},gid=${WORKER_GID},mode=0700`,
      },
      ShmSize: PLAYTEST_SHM_BYTES,
    },
  };
}
