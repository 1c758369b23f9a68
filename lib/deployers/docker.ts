// The docker deployer: slot N is served by a static-server container
// `gamedemoN` routed by Traefik. Files are switched atomically by a symlink in
// the slot directory (lib/deployers/releases.ts), so a redeploy of the same
// container never stops serving. When the slot changes hands (its job label
// must change, and labels are immutable) the successor container is started
// before the predecessor is removed; Traefik merges identical router labels
// across containers, so the route always has a live server.
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { toDocker, type DockerLike } from '../docker/client.ts';
import { DockerPathError, engineMessage, isNotFound, tolerateGone } from '../docker/errors.ts';
import { gameContainerSpec, profileForImage, type GameSpecInput, type ServerProfile } from '../docker/game-spec.ts';
import { LABEL, roleFilter } from '../docker/labels.ts';
import { ensureNetwork } from '../docker/networks.ts';
import { hostPathFor } from '../docker/paths.ts';
import { publishRelease, pruneReleases } from './releases.ts';
import { SLOT_PREFIX, slotName } from '../slot-names.ts';
import type { Deployer, PublishRequest } from './types.ts';

export interface DockerDeployerOptions {
  docker?: DockerLike;
  /** GAME_SERVER_IMAGE (never pulled here). */
  image: string;
  /** DOCKER_NETWORK: the network Traefik watches. Created if missing. */
  network: string;
  /** DOMAIN: slot N is served at <prefix>N.<domain>. */
  domain: string;
  /** Slot directories' parent as this process sees it (config.deployDir). */
  deployDir: string;
  /** The same directory as the Docker host sees it (HOST_DEPLOY_DIR); default deployDir. */
  hostDeployDir?: string;
  /** Container, router and host name prefix (default `gamedemo`); tests use a unique one. */
  namePrefix?: string;
  /** This installation's id (lib/instance.ts): container and router names become `gamedemoN-<id>`. */
  instanceId?: string;
  /** How the image serves the slot; default picked from the image name (nginx, the busybox test image). */
  profile?: ServerProfile;
  /** Scheme of the public URL (default https: Traefik terminates TLS). */
  scheme?: 'https' | 'http';
  /** Publish the server port on 127.0.0.1:<random> (tests; a host without Traefik). */
  publishLoopback?: boolean;
  labels?: Record<string, string>;
  traefik?: GameSpecInput['traefik'];
  /** How long the successor serves alongside the predecessor before it is removed (Traefik's provider throttle is 2s). */
  handoverMs?: number;
  now?: () => number | Date;
}

export type DockerDeployer = Deployer & {
  readonly docker: Docker;
  /** The label filters that pick out this deployer's containers (the slot watcher uses them). */
  readonly labels: Record<string, string>;
  containerName(slot: number): string;
  slotDir(slot: number): string;
  /** `http://127.0.0.1:<port>/` when publishLoopback is on and the slot's container runs; else null. */
  localUrl(slot: number): Promise<string | null>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createDockerDeployer(opts: DockerDeployerOptions): DockerDeployer {
  const docker = toDocker(opts.docker);
  const prefix = opts.namePrefix ?? SLOT_PREFIX;
  const scheme = opts.scheme ?? 'https';
  const now = () => Number(opts.now ? opts.now() : Date.now());
  const profile = opts.profile ?? profileForImage(opts.image);
  if (!profile) {
    throw new DockerPathError(
      'unknown_game_server_image',
      `don't know how ${opts.image} serves files; pass a ServerProfile (port, mountPath, currentLink) or use nginx:alpine`,
    );
  }
  const serverProfile: ServerProfile = profile;
  // The public host is `gamedemoN.<domain>`; the container (and its Traefik router) carries the instance id,
  // so two installations on one engine never inspect, replace or remove each other's slot containers.
  const hostName = (slot: number) => slotName(slot, prefix);
  const containerName = (slot: number) => (opts.instanceId ? `${hostName(slot)}-${opts.instanceId}` : hostName(slot));
  const slotDir = (slot: number) => path.join(opts.deployDir, hostName(slot));
  const urlFor = (slot: number) => `${scheme}://${hostName(slot)}.${opts.domain}/`;

  function checkSlot(slot: number) {
    if (!Number.isInteger(slot) || slot < 0 || slot > 999)
      throw new DockerPathError('invalid_slot', `slot must be an integer 0-999, got ${slot}`);
  }

  async function inspectByName(name: string): Promise<Docker.ContainerInspectInfo | null> {
    try {
      return await docker.getContainer(name).inspect();
    } catch (e) {
      if (isNotFound(e)) return null;
      throw new DockerPathError('docker_inspect_failed', `cannot inspect ${name}: ${engineMessage(e)}`, { cause: e });
    }
  }

  /** Makes `gamedemoN` a running container labelled for `jobId`; replaces it (successor first) when it is not. */
  async function ensureContainer(slot: number, jobId: number): Promise<void> {
    const name = containerName(slot);
    const hostSlotDir = hostPathFor(slotDir(slot), { localRoot: opts.deployDir, hostRoot: opts.hostDeployDir });
    const spec = gameContainerSpec({
      containerName: name,
      routeName: name,
      hostName: hostName(slot),
      image: opts.image,
      profile: serverProfile,
      hostSlotDir,
      slot,
      jobId,
      domain: opts.domain,
      network: opts.network,
      publishLoopback: opts.publishLoopback,
      labels: opts.labels,
      traefik: opts.traefik,
    });
    const existing = await inspectByName(name);
    const bind = spec.HostConfig?.Binds?.[0];
    if (
      existing?.State.Running &&
      existing.Config.Labels?.[LABEL.job] === String(jobId) &&
      existing.Config.Image === opts.image &&
      existing.HostConfig.Binds?.[0] === bind
    ) {
      return; // same job, same server: the symlink swap already switched what it serves
    }
    await ensureNetwork(docker, opts.network);
    const successor = await docker
      .createContainer({ ...spec, name: `${name}-next-${randomBytes(3).toString('hex')}` })
      .catch((e) => {
        const hint = isNotFound(e) ? `; pull or build ${opts.image} first` : '';
        throw new DockerPathError(
          'deploy_create_failed',
          `cannot create the slot ${slot} server from ${opts.image}: ${engineMessage(e)}${hint}`,
          { cause: e },
        );
      });
    try {
      await successor.start();
    } catch (e) {
      await tolerateGone(() => successor.remove({ force: true })).catch(() => {});
      throw new DockerPathError('deploy_start_failed', `cannot start the slot ${slot} server: ${engineMessage(e)}`, {
        cause: e,
      });
    }
    if (existing) {
      if (existing.State.Running) await sleep(opts.handoverMs ?? 3000);
      await tolerateGone(() => docker.getContainer(existing.Id).remove({ force: true }));
    }
    try {
      await successor.rename({ name });
    } catch (e) {
      // Someone re-created the name meanwhile (a concurrent publish to this slot): that one wins.
      await tolerateGone(() => successor.remove({ force: true })).catch(() => {});
      throw new DockerPathError(
        'deploy_conflict',
        `slot ${slot} was redeployed concurrently: ${engineMessage(e)}; retry the deploy`,
        { cause: e },
      );
    }
    // A successor a crashed publish left behind would keep serving beside this one: drop it.
    for (const c of await slotContainers(slot)) {
      if (c.Id !== successor.id && c.Names.some((n) => n.startsWith(`/${name}-next-`)))
        await tolerateGone(() => docker.getContainer(c.Id).remove({ force: true }));
    }
  }

  /** Every container of this slot: `gamedemoN` and any `gamedemoN-next-*` successor. */
  async function slotContainers(slot: number): Promise<Docker.ContainerInfo[]> {
    const name = containerName(slot);
    const listed = await docker.listContainers({
      all: true,
      filters: roleFilter('game', { ...opts.labels, [LABEL.slot]: String(slot) }),
    });
    return listed.filter((c) => c.Names.some((n) => n === `/${name}` || n.startsWith(`/${name}-next-`)));
  }

  async function publish(request: PublishRequest): Promise<{ url: string }> {
    checkSlot(request.slot);
    const dir = slotDir(request.slot);
    const release = await publishRelease(dir, serverProfile.currentLink, request.sourceDir, request.jobId);
    await ensureContainer(request.slot, request.jobId);
    await pruneReleases(dir, [release.id, release.previous], now());
    return { url: urlFor(request.slot) };
  }

  async function unpublish(slot: number): Promise<void> {
    checkSlot(slot);
    // Every container of this slot, including a successor a crashed publish left behind.
    await Promise.all(
      (await slotContainers(slot)).map((c) => tolerateGone(() => docker.getContainer(c.Id).remove({ force: true }))),
    );
    await rm(slotDir(slot), { recursive: true, force: true });
  }

  async function check(slot: number, jobId: number): Promise<string | null> {
    const name = containerName(slot);
    const info = await inspectByName(name);
    if (!info) return `its container ${name} is missing`;
    if (info.Config.Labels?.[LABEL.job] !== String(jobId))
      return `its container ${name} serves job ${info.Config.Labels?.[LABEL.job] ?? 'none'}`;
    if (!info.State.Running) return `its container ${name} is ${info.State.Status}`;
    const index = await stat(path.join(slotDir(slot), serverProfile.currentLink, 'index.html')).catch(() => null);
    return index?.isFile() ? null : 'its files are missing';
  }

  async function localUrl(slot: number): Promise<string | null> {
    const info = await inspectByName(containerName(slot));
    const binding = info?.State.Running ? info.NetworkSettings.Ports?.[`${serverProfile.port}/tcp`]?.[0] : undefined;
    return binding?.HostPort ? `http://127.0.0.1:${binding.HostPort}/` : null;
  }

  return {
    name: 'docker',
    docker,
    labels: { ...opts.labels },
    publish,
    unpublish,
    urlFor,
    internalUrl: (slot) => `http://${containerName(slot)}${serverProfile.port === 80 ? '' : `:${serverProfile.port}`}/`,
    containerName,
    slotDir,
    localUrl,
    check,
    describe: () =>
      `docker (${opts.image} per slot on network ${opts.network}, ${scheme}://${prefix}N.${opts.domain}/)`,
  };
}
