// The egress gateway: one container per installation (and engine), from WORKER_IMAGE,
// hardened like a phase container, running worker/egress-gateway.ts. It is the only
// container on WORKER_NETWORK (an outbound bridge); claude phase containers have
// network `none` and reach it through a unix socket in a host directory they get
// read-only, so a phase has no route anywhere (host, private ranges, metadata,
// other containers) and its key proxy tunnels to the model endpoint through here.
// ensureEgressGateway is idempotent and cheap when the gateway runs: it creates,
// starts or recreates it (missing, stopped, or configured differently) and waits
// for its ready line.
import { createHash } from 'node:crypto';
import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { withTimeout } from '../timeout.ts';
import { DockerPathError, engineMessage, isConflict, isNotFound, missingImageHint, tolerateGone } from './errors.ts';
import { LABEL, type Role } from './labels.ts';
import { demuxLines } from './lines.ts';
import { ensureNetwork } from './networks.ts';
import { makeWritableBy } from './ownership.ts';
import { WORKER_GID, WORKER_UID } from './worker-spec.ts';

/** Where the socket directory appears in the gateway and in every claude phase container. */
export const EGRESS_SOCKET_DIR = '/run/egress';
export const EGRESS_SOCKET = `${EGRESS_SOCKET_DIR}/gateway.sock`;
/** The label holding a digest of the gateway's configuration: a different one means recreate. */
export const EGRESS_CONFIG_LABEL = 'gamepocgen.egress-config';
export const GATEWAY_COMMAND = ['node', '/app/worker/egress-gateway.ts'];

export interface EgressGatewayOptions {
  image: string;
  /** The container's name (one per installation: `<prefix>egress-gateway`). */
  name: string;
  /** The outbound bridge network (WORKER_NETWORK); created when missing. */
  network: string;
  /** Model endpoints the gateway tunnels to, as host:port (lib/llm/providers.ts modelEndpoints). */
  allow: readonly string[];
  /** The socket directory as this process sees it, and as the Docker host sees it (bind source). */
  socketDir: string;
  hostSocketDir: string;
  /** Extra labels (the installation's instance label, a test run's label). */
  labels?: Record<string, string>;
  command?: string[];
  /** How long to wait for the gateway's ready line (default 60 s: a container start is slow on vfs). */
  readyTimeoutMs?: number;
}

export function gatewayContainerSpec(o: EgressGatewayOptions): Docker.ContainerCreateOptions {
  const allow = [...new Set(o.allow)].sort();
  const command = o.command ?? GATEWAY_COMMAND;
  const digest = createHash('sha256')
    .update(JSON.stringify([o.image, o.network, allow, o.hostSocketDir, command]))
    .digest('hex')
    .slice(0, 16);
  return {
    name: o.name,
    Image: o.image,
    Cmd: command,
    Env: [`EGRESS_SOCKET=${EGRESS_SOCKET}`, `EGRESS_ALLOW=${allow.join(',')}`],
    User: `${WORKER_UID}:${WORKER_GID}`,
    Labels: { ...o.labels, [LABEL.role]: 'egress-gateway' satisfies Role, [EGRESS_CONFIG_LABEL]: digest },
    HostConfig: {
      Binds: [`${o.hostSocketDir}:${EGRESS_SOCKET_DIR}:rw`],
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=16m,mode=1777' },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Privileged: false,
      Memory: 256 * 1024 ** 2,
      MemorySwap: 256 * 1024 ** 2,
      NanoCpus: 500_000_000,
      PidsLimit: 64,
      IpcMode: 'private',
      NetworkMode: o.network,
      // Back after a crash or an engine restart; the runtime also re-checks before every claude phase.
      RestartPolicy: { Name: 'unless-stopped' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } },
    },
  };
}

export type GatewayState = 'running' | 'started' | 'created' | 'recreated';

/** Makes sure the gateway runs with this configuration and is listening; returns what it had to do and the container id. */
export async function ensureEgressGateway(
  docker: Docker,
  o: EgressGatewayOptions,
  known?: string,
  attempt = 0,
): Promise<{ state: GatewayState; id: string }> {
  if (!o.allow.length)
    throw new DockerPathError(
      'egress_not_configured',
      'the egress gateway has no model endpoint to allow: configure LLM_BASE_URL (or a provider) for the claude agent',
    );
  const spec = gatewayContainerSpec(o);
  const existing = await docker
    .getContainer(o.name)
    .inspect()
    .catch((e) => (isNotFound(e) ? null : Promise.reject(fail('inspect', o, e))));
  const current = existing?.Config.Labels?.[EGRESS_CONFIG_LABEL] === spec.Labels![EGRESS_CONFIG_LABEL];
  if (existing && current && existing.State.Running) {
    // A gateway another process started: its socket says it listens (its ready line may have rotated out of the log).
    if (existing.Id !== known && !(await isSocket(path.join(o.socketDir, path.basename(EGRESS_SOCKET)))))
      await waitReady(docker, existing.Id, o);
    return { state: 'running', id: existing.Id };
  }
  if (existing && current) {
    try {
      await docker.getContainer(existing.Id).start();
      await waitReady(docker, existing.Id, o);
      return { state: 'started', id: existing.Id };
    } catch {
      // fall through: a gateway that will not start is replaced
    }
  }
  if (existing) await tolerateGone(() => docker.getContainer(existing.Id).remove({ force: true }));
  await mkdir(o.socketDir, { recursive: true });
  await makeWritableBy(o.socketDir, WORKER_UID, WORKER_GID);
  await ensureNetwork(docker, o.network, { interContainer: false, labels: { 'gamepocgen.network': 'egress' } });
  let container: Docker.Container;
  try {
    container = await docker.createContainer(spec);
  } catch (e) {
    // Another runner of this installation created it a moment ago: use theirs.
    if (isConflict(e) && attempt < 3) return ensureEgressGateway(docker, o, known, attempt + 1);
    const hint = missingImageHint(e, o.image);
    throw fail('create', o, e, hint);
  }
  try {
    await container.start();
  } catch (e) {
    throw fail('start', o, e);
  }
  await waitReady(docker, container.id, o);
  return { state: existing ? 'recreated' : 'created', id: container.id };
}

/** Follows the gateway's log until its ready line (history included); its exit first is an error naming its last lines. */
async function waitReady(docker: Docker, id: string, o: EgressGatewayOptions): Promise<void> {
  const container = docker.getContainer(id);
  // Only this run's lines: a restarted gateway's log still holds its previous ready line.
  const startedAt = await container.inspect().then(
    (i) => Math.floor(Date.parse(i.State.StartedAt) / 1000) || 0,
    (e) => Promise.reject(fail('inspect', o, e)),
  );
  const stream = (await container
    .logs({ follow: true, stdout: true, stderr: true, since: startedAt })
    .catch((e) => Promise.reject(fail('logs', o, e)))) as NodeJS.ReadableStream & { destroy?: () => void };
  const tail: string[] = [];
  const ready = new Promise<boolean>((resolve) => {
    void demuxLines(docker, stream, (text) => {
      if (text.includes('"event":"egress_gateway_ready"')) resolve(true);
      else if (tail.push(text.slice(0, 300)) > 5) tail.shift();
    }).then(() => resolve(false));
  });
  try {
    const ok = await withTimeout(ready, o.readyTimeoutMs ?? 60_000, `the egress gateway ${o.name}`);
    if (!ok)
      throw new DockerPathError(
        'egress_gateway_failed',
        `the egress gateway ${o.name} exited before it was ready${tail.length ? `: ${tail.join(' | ')}` : ''}; see docker logs ${o.name}`,
      );
  } catch (e) {
    if (e instanceof DockerPathError) throw e;
    throw new DockerPathError('egress_gateway_failed', `${(e as Error).message}; see docker logs ${o.name}`);
  } finally {
    stream.destroy?.();
  }
}

const isSocket = (p: string) =>
  lstat(p).then(
    (s) => s.isSocket(),
    () => false,
  );

function fail(what: string, o: EgressGatewayOptions, e: unknown, hint = ''): DockerPathError {
  return new DockerPathError(
    'egress_gateway_failed',
    `cannot ${what} the egress gateway ${o.name} from ${o.image}: ${engineMessage(e)}${hint}`,
    { cause: e },
  );
}

/** A runtime's handle on its gateway: concurrent claude phases share one ensure call; the last good id skips the ready wait. */
export function egressGatewayKeeper(docker: Docker, o: EgressGatewayOptions): () => Promise<GatewayState> {
  let id: string | undefined;
  let inflight: Promise<GatewayState> | null = null;
  return () => {
    inflight ??= ensureEgressGateway(docker, o, id)
      .then((r) => {
        id = r.id;
        return r.state;
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };
}
