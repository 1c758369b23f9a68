// The create-options of one worker container: a pure function, so the
// hardening is readable in one place and testable without an engine.
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { LABEL } from './labels.ts';

export const WORKER_UID = 1001;
export const WORKER_GID = 1001;
/** Where the job's workspace appears inside the container (WORKSPACE_DIR). */
export const CONTAINER_WORKSPACE = '/workspace';
export const CONTAINER_HOME = '/home/claude';
export const WORKER_LIMITS = {
  memoryBytes: 2 * 1024 ** 3,
  nanoCpus: 1_000_000_000,
  pids: 512,
} as const;

export interface WorkerSpecInput {
  image: string;
  name: string;
  command: string[];
  env: Record<string, string>;
  jobId: number;
  phase: number;
  /** Epoch seconds; the reaper kills the container after it. */
  deadline: number;
  /** Host path of the job's workspace (the only writable bind). */
  hostWorkspace: string;
  /** Extra read-only binds: host path → container path (framework/, prompts/ in development). */
  readOnlyMounts?: Record<string, string>;
  /** 'none' for the offline builtin agent; the egress network for an LLM agent. */
  network: string;
  labels?: Record<string, string>;
  /** The runtime writes the secrets to the worker's stdin (once, then closes it). */
  stdin?: boolean;
  limits?: Partial<{ memoryBytes: number; nanoCpus: number; pids: number }>;
}

/** A container name Docker accepts: `<prefix>job<id>-p<phase>-<random>`. */
export function workerName(prefix: string, jobId: number, phase: number): string {
  return `${prefix}job${jobId}-p${phase}-${randomBytes(3).toString('hex')}`;
}

export function workerContainerSpec(input: WorkerSpecInput): Docker.ContainerCreateOptions {
  const limits = { ...WORKER_LIMITS, ...input.limits };
  const binds = [
    `${input.hostWorkspace}:${CONTAINER_WORKSPACE}:rw`,
    ...Object.entries(input.readOnlyMounts ?? {}).map(([host, inside]) => `${host}:${inside}:ro`),
  ];
  return {
    name: input.name,
    Image: input.image,
    Cmd: input.command,
    // Env is visible to `docker inspect` (and /proc inside): secrets are never in it, they go to stdin.
    Env: Object.entries(input.env).map(([k, v]) => `${k}=${v}`),
    User: `${WORKER_UID}:${WORKER_GID}`,
    Tty: false,
    OpenStdin: !!input.stdin,
    // Docker closes the worker's stdin when the runtime's attach ends: the secrets line is all it gets.
    StdinOnce: !!input.stdin,
    AttachStdin: !!input.stdin,
    AttachStdout: true,
    AttachStderr: true,
    Labels: {
      ...input.labels,
      [LABEL.role]: 'worker',
      [LABEL.job]: String(input.jobId),
      [LABEL.phase]: String(input.phase),
      [LABEL.deadline]: String(input.deadline),
    },
    HostConfig: {
      Binds: binds,
      ReadonlyRootfs: true,
      // The agent needs scratch space and a home (npm/claude caches), but none of it persists.
      Tmpfs: {
        '/tmp': 'rw,nosuid,nodev,size=512m,mode=1777',
        [CONTAINER_HOME]: `rw,nosuid,nodev,size=256m,uid=${WORKER_UID},gid=${WORKER_GID},mode=0700`,
      },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Privileged: false,
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes, // no swap on top of the memory limit
      NanoCpus: limits.nanoCpus,
      PidsLimit: limits.pids,
      IpcMode: 'private',
      NetworkMode: input.network,
      // json-file so the reaper can read an orphan's logs whatever the daemon default is; capped.
      LogConfig: { Type: 'json-file', Config: { 'max-size': '20m', 'max-file': '1' } },
      AutoRemove: false,
    },
  };
}
