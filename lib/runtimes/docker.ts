// The docker runtime: one hardened container per phase, running the same
// worker/entrypoint.ts with the same env contract as the local runtime.
// Output is streamed (attach before start, so no line is missed), completion
// comes from container.wait() (no polling), and a phase that overruns its
// timeout (plus a grace for the worker's own clean timeout exit) is killed.
// Secrets never enter the container's Env (visible to `docker inspect` and to
// anything in the container via /proc): they are written to its stdin.
import type Docker from 'dockerode';
import { toDocker, engineAnswers, imageExists, type DockerLike } from '../docker/client.ts';
import path from 'node:path';
import { withTimeout } from '../timeout.ts';
import { DockerPathError, engineMessage, missingImageHint, tolerateGone } from '../docker/errors.ts';
import { demuxLines } from '../docker/lines.ts';
import { EGRESS_SOCKET, EGRESS_SOCKET_DIR, egressGatewayKeeper } from '../docker/egress-gateway.ts';
import { makeWritableBy } from '../docker/ownership.ts';
import { hostPathFor } from '../docker/paths.ts';
import {
  CONTAINER_HOME,
  CONTAINER_WORKSPACE,
  WORKER_GID,
  WORKER_UID,
  workerContainerSpec,
  workerName,
  type WorkerSpecInput,
} from '../docker/worker-spec.ts';
import { contractEnv, SECRETS_FLAG, secretsLine, secretValues, splitSecretEnv } from '../worker-protocol/env.ts';
import { parseWorkerLine } from '../worker-protocol/lines.ts';
import { CANCELLED_ERROR, type PhaseRunOutcome, type PhaseRunRequest, type Runtime } from './types.ts';

export interface DockerRuntimeOptions {
  /** A dockerode instance, or a socket path; default: dockerode's default (DOCKER_HOST or /var/run/docker.sock). */
  docker?: DockerLike;
  /** WORKER_IMAGE; never pulled. */
  image: string;
  /** The workspaces' parent directory as this process sees it (config.workspaceDir). */
  workspaceRoot: string;
  /** The same directory as the Docker host sees it (HOST_WORKSPACE_PATH); default: workspaceRoot. */
  hostWorkspaceRoot?: string;
  /** The agent when the request's env does not name one. */
  agent?: 'builtin' | 'claude';
  /**
   * WORKER_NETWORK: the egress gateway's outbound network (created on first use). Phase containers
   * themselves always get network `none`; a claude phase reaches the model only through the gateway.
   */
  network?: string;
  /** The model endpoints (host:port) the egress gateway lets claude phases reach (lib/llm/providers.ts modelEndpoints). */
  egressAllow?: readonly string[];
  /** What the container runs; default the image's worker entrypoint. */
  command?: string[];
  /** framework/ and prompts/ as the container sees them (baked into the image). */
  frameworkDir?: string;
  promptsDir?: string;
  /** Extra read-only binds, host path → container path (e.g. a development framework/). */
  readOnlyMounts?: Record<string, string>;
  namePrefix?: string;
  /** Extra labels on every worker container (tests tag their run with one). */
  labels?: Record<string, string>;
  /** Seconds past TIMEOUT_SECONDS before the runtime kills (the worker exits 124 by itself first). */
  killGraceSeconds?: number;
  limits?: WorkerSpecInput['limits'];
  /** Remove each container once its outcome and logs are in hand (default true; the reaper handles leftovers). */
  removeContainers?: boolean;
  /** Return from runPhase only after the container is removed (default false: removal finishes in the background). */
  awaitRemoval?: boolean;
  /** Values to redact from worker lines beyond the secrets found in the request env. */
  secrets?: string[];
  /** The clock (epoch ms or a Date); used for the deadline label. */
  now?: () => number | Date;
}

export const DEFAULT_WORKER_COMMAND = ['node', '/app/worker/entrypoint.ts'];

export { dockerRuntimeCheck, VERSION_LABEL } from '../docker/client.ts';

/** RUNTIME=auto: true when the engine answers and the worker image exists locally. */
export async function dockerAvailable(docker: DockerLike, image: string): Promise<boolean> {
  const client = toDocker(docker);
  return (await engineAnswers(client)) && (await imageExists(client, image));
}

export function createDockerRuntime(opts: DockerRuntimeOptions): Runtime & { readonly docker: Docker } {
  const docker = toDocker(opts.docker);
  const now = () => Number(opts.now ? opts.now() : Date.now());
  const grace = opts.killGraceSeconds ?? 10;
  const egress = opts.network ?? 'gamepocgen-egress';
  const socketDir = path.join(opts.workspaceRoot, '.egress');
  const hostSocketDir = hostPathFor(socketDir, { localRoot: opts.workspaceRoot, hostRoot: opts.hostWorkspaceRoot });
  const gateway = egressGatewayKeeper(docker, {
    image: opts.image,
    name: `${opts.namePrefix ?? 'gamepocgen-'}egress-gateway`,
    network: egress,
    allow: opts.egressAllow ?? [],
    socketDir,
    hostSocketDir,
    labels: opts.labels,
  });
  const inflight = new Set<Docker.Container>();
  const removals = new Set<Promise<void>>();

  async function runPhase(request: PhaseRunRequest): Promise<PhaseRunOutcome> {
    const t0 = performance.now();
    const hostWorkspace = hostPathFor(request.workspaceDir, {
      localRoot: opts.workspaceRoot,
      hostRoot: opts.hostWorkspaceRoot,
    });
    await makeWritableBy(request.workspaceDir, WORKER_UID, WORKER_GID);
    const requested = request.env.AGENT;
    const agent = requested === 'claude' || requested === 'builtin' ? requested : (opts.agent ?? 'builtin');
    // No phase container has a network: the builtin agent is offline by construction, and the claude
    // agent's key proxy reaches the model endpoint only through the egress gateway's socket (read-only bind).
    if (agent === 'claude') await gateway();
    const secrets = [...secretValues(request.env), ...(opts.secrets ?? [])];
    const split = splitSecretEnv(request.env);
    const stdinSecrets = Object.keys(split.secrets).length ? split.secrets : null;
    const env: Record<string, string> = {
      ...split.plain,
      ...(stdinSecrets ? { [SECRETS_FLAG]: '1' } : {}),
      ...contractEnv({ ...request, workspaceDir: CONTAINER_WORKSPACE, agent }),
      FRAMEWORK_DIR: opts.frameworkDir ?? '/app/framework',
      PROMPTS_DIR: opts.promptsDir ?? '/app/prompts',
      HOME: CONTAINER_HOME,
      ...(agent === 'claude' ? { EGRESS_SOCKET } : {}),
    };
    const spec = workerContainerSpec({
      image: opts.image,
      name: workerName(opts.namePrefix ?? 'gamepocgen-', request.jobId, request.phase),
      command: opts.command ?? DEFAULT_WORKER_COMMAND,
      env,
      jobId: request.jobId,
      phase: request.phase,
      deadline: Math.floor(now() / 1000) + request.timeoutSeconds + 2 * grace,
      hostWorkspace,
      readOnlyMounts:
        agent === 'claude' ? { ...opts.readOnlyMounts, [hostSocketDir]: EGRESS_SOCKET_DIR } : opts.readOnlyMounts,
      network: 'none',
      labels: opts.labels,
      stdin: !!stdinSecrets,
      limits: opts.limits,
    });

    let container: Docker.Container;
    try {
      container = await docker.createContainer(spec);
    } catch (e) {
      const hint = missingImageHint(e, opts.image);
      throw new DockerPathError(
        'docker_create_failed',
        `cannot create the phase ${request.phase} container from ${opts.image}: ${engineMessage(e)}${hint}`,
        { cause: e },
      );
    }
    inflight.add(container);
    let timer: NodeJS.Timeout | undefined;
    try {
      let lastError: string | null = null;
      const stderrTail: string[] = [];
      // With secrets: a hijacked (two-way) attach, so the same connection carries the stdin line.
      const stream = await container.attach({
        stream: true,
        stdout: true,
        stderr: true,
        ...(stdinSecrets ? { stdin: true, hijack: true } : {}),
      });
      const drained = demuxLines(docker, stream, (text, from) => {
        const line = parseWorkerLine(text, from, secrets);
        if (!line) return;
        if (line.kind === 'error') lastError = line.message;
        if (from === 'stderr' && stderrTail.push(line.message) > 5) stderrTail.shift();
        try {
          request.onLine(line);
        } catch {
          // a failing sink must not kill the phase; the caller logs its own errors
        }
      });
      try {
        await container.start();
      } catch (e) {
        throw new DockerPathError(
          'docker_start_failed',
          `cannot start the phase ${request.phase} container: ${engineMessage(e)}`,
          { cause: e },
        );
      }
      if (stdinSecrets) {
        // Half-close after the line: with StdinOnce the worker's stdin then ends, while its output keeps streaming.
        const duplex = stream as NodeJS.ReadWriteStream;
        duplex.on('error', () => {}); // a worker that exits first; its exit code tells the story
        duplex.end(secretsLine(stdinSecrets));
      }
      let timedOut = false;
      // The job was cancelled (lib/studio/cancel-watch.ts): the container goes now.
      let cancelled = false;
      const onCancel = () => {
        cancelled = true;
        void tolerateGone(() => container.kill()).catch(() => {});
      };
      if (request.cancelSignal?.aborted) onCancel();
      else request.cancelSignal?.addEventListener('abort', onCancel, { once: true });
      timer = setTimeout(
        () => {
          timedOut = true;
          void tolerateGone(() => container.kill()).catch(() => {});
        },
        (request.timeoutSeconds + grace) * 1000,
      );
      // The runner is stopping past its grace: the container goes now (the caller returns the phase to the queue).
      const onAbort = () => void tolerateGone(() => container.kill()).catch(() => {});
      request.signal?.addEventListener('abort', onAbort, { once: true });
      if (request.signal?.aborted) onAbort();
      let exitCode: number | null = null;
      let waitError: string | null = null;
      try {
        const result = (await container.wait()) as { StatusCode?: number };
        exitCode = typeof result.StatusCode === 'number' ? result.StatusCode : null;
      } catch (e) {
        waitError = `lost the phase ${request.phase} container while waiting: ${engineMessage(e)}`;
      }
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      request.cancelSignal?.removeEventListener('abort', onCancel);
      const status: PhaseRunOutcome['status'] = cancelled
        ? 'failed'
        : timedOut
          ? 'timeout'
          : exitCode === 0
            ? 'completed'
            : exitCode === 124
              ? 'timeout'
              : 'failed';
      // The attach stream ends right after exit (don't hang on a daemon that forgets to close it);
      // a failure may be an OOM kill, which only inspect tells.
      const [, state] = await Promise.all([
        withTimeout(drained, 5000, 'log stream').catch(() => {}),
        status === 'failed' && !waitError
          ? container.inspect().then(
              (i) => i.State,
              () => null,
            )
          : null,
      ]);
      let error: string | null = null;
      if (cancelled) error = CANCELLED_ERROR;
      else if (timedOut)
        error = `phase ${request.phase} exceeded its ${request.timeoutSeconds}s timeout; the container was killed`;
      else if (waitError) error = waitError;
      else if (status !== 'completed') {
        error = state?.OOMKilled
          ? `the worker ran out of memory (limit ${Math.round((spec.HostConfig?.Memory ?? 0) / 1024 ** 2)} MiB)`
          : (lastError ??
            `worker exited with code ${exitCode}${stderrTail.length ? `: ${stderrTail.join(' | ')}` : ''}`);
      }
      // Killed, but not by our timer, our abort or the memory limit: someone outside did it.
      const signalled = exitCode === 137 || exitCode === 143;
      const interrupted =
        status === 'failed' && !state?.OOMKilled && !request.signal?.aborted && (waitError || signalled)
          ? (waitError ??
            `the phase ${request.phase} container was killed from outside (exit ${exitCode}: ${exitCode === 137 ? 'SIGKILL' : 'SIGTERM'}, e.g. docker kill/stop or an engine restart)`)
          : undefined;
      return {
        status,
        exitCode,
        error,
        durationMs: Math.round(performance.now() - t0),
        ...(interrupted ? { interrupted } : {}),
      };
    } finally {
      clearTimeout(timer);
      inflight.delete(container);
      if (opts.removeContainers ?? true) {
        // The outcome and every line are in hand: removal (slow on some storage drivers) need not
        // delay the next step. close() waits for pending removals; the reaper catches any left.
        const removal = tolerateGone(() => container.remove({ force: true, v: true })).then(
          () => {},
          () => {},
        );
        removals.add(removal);
        void removal.finally(() => removals.delete(removal));
        if (opts.awaitRemoval) await removal;
      }
    }
  }

  return {
    name: 'docker',
    docker,
    runPhase,
    describe: () =>
      `docker (image ${opts.image}; phases on network none; claude agent via the egress gateway on ${egress} to ${(opts.egressAllow ?? []).join(', ') || 'no endpoint'})`,
    /** Kills and removes containers of phases still running (a forced shutdown; their phases are retried) and finishes pending removals. */
    async close() {
      await Promise.all(
        [...inflight].map((c) => tolerateGone(() => c.remove({ force: true, v: true })).catch(() => {})),
      );
      await Promise.all([...removals]);
    },
  };
}
