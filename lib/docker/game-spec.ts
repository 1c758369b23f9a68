// The create-options of a game slot container: a static server with the
// slot's directory mounted read-only and Traefik v3 labels routing
// Host(`gamedemoN.<domain>`) over TLS from the `letsencrypt` resolver.
import type Docker from 'dockerode';
import { GAME_CSP } from '../game-serving.ts';
import { LABEL } from './labels.ts';

/**
 * How a static-server image finds the slot's files. The slot directory holds
 * `releases/<id>/` and a symlink `<currentLink>` → the live release, swapped
 * with rename(2); the server must resolve that link per request.
 */
export interface ServerProfile {
  /** The port the server listens on inside the container. */
  port: number;
  /** Where the slot directory is mounted (read-only). */
  mountPath: string;
  /** The symlink name inside the slot directory that the server's document root resolves through. */
  currentLink: string;
  user?: string;
  cmd?: string[];
  /** Capabilities the image cannot drop (everything else is dropped). */
  capAdd?: string[];
  /** Writable scratch the image needs under a read-only rootfs. */
  tmpfs?: Record<string, string>;
}

/**
 * nginx:alpine with its stock config (root /usr/share/nginx/html): mounting the
 * slot at /usr/share/nginx makes `html` the switchable symlink, and nginx opens
 * paths per request, so the swap is seen at once. The master needs to switch to
 * the `nginx` user and bind :80, hence the few capabilities it keeps.
 */
export const NGINX_PROFILE: ServerProfile = {
  port: 80,
  mountPath: '/usr/share/nginx',
  currentLink: 'html',
  capAdd: ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE'],
  tmpfs: {
    '/var/cache/nginx': 'rw,nosuid,nodev,size=64m',
    '/var/run': 'rw,nosuid,nodev,size=1m',
    '/tmp': 'rw,nosuid,nodev,size=64m',
  },
};

/**
 * The busybox test image (support/docker-images.ts): `nc -ll` execs
 * `httpd -i -h /srv/current` per connection, as uid 1001 with no capabilities.
 */
export const BUSYBOX_PROFILE: ServerProfile = {
  port: 8080,
  mountPath: '/srv',
  currentLink: 'current',
  user: '1001:1001',
};

export function profileForImage(image: string): ServerProfile | null {
  const repo = image.split('@')[0].split(':')[0];
  if (/(^|\/)nginx$/.test(repo)) return NGINX_PROFILE;
  if (/(^|\/)gamepocgen-static$/.test(repo)) return BUSYBOX_PROFILE;
  return null;
}

export interface TraefikLabelInput {
  /** Router, service and middleware name: the container name (`gamedemoN`, or `gamedemoN-<instance>`). */
  name: string;
  /** The host's first label (`gamedemoN`); default `name`. */
  host?: string;
  domain: string;
  port: number;
  network: string;
  entrypoint?: string;
  certResolver?: string;
  csp?: string | null;
}

/** Traefik v3 docker-provider labels for one slot (https://doc.traefik.io/traefik/routing/providers/docker/). */
export function traefikLabels(input: TraefikLabelInput): Record<string, string> {
  const r = `traefik.http.routers.${input.name}`;
  const labels: Record<string, string> = {
    'traefik.enable': 'true',
    [`${r}.rule`]: `Host(\`${input.host ?? input.name}.${input.domain}\`)`,
    [`${r}.entrypoints`]: input.entrypoint ?? 'websecure',
    [`${r}.tls`]: 'true',
    [`${r}.tls.certresolver`]: input.certResolver ?? 'letsencrypt',
    [`${r}.service`]: input.name,
    [`traefik.http.services.${input.name}.loadbalancer.server.port`]: String(input.port),
    'traefik.docker.network': input.network,
  };
  const csp = input.csp === undefined ? GAME_CSP : input.csp;
  if (csp) {
    labels[`traefik.http.middlewares.${input.name}-csp.headers.contentSecurityPolicy`] = csp;
    labels[`${r}.middlewares`] = `${input.name}-csp`;
  }
  return labels;
}

export interface GameSpecInput {
  containerName: string;
  /** The router/host name (`gamedemoN`); the container may carry a temporary name during a swap. */
  routeName: string;
  /** The public host's first label (`gamedemoN`); default routeName. */
  hostName?: string;
  image: string;
  profile: ServerProfile;
  hostSlotDir: string;
  slot: number;
  jobId: number;
  domain: string;
  network: string;
  /** Publish the server port on 127.0.0.1:<random> (tests and single-host setups without Traefik). */
  publishLoopback?: boolean;
  labels?: Record<string, string>;
  traefik?: Partial<Pick<TraefikLabelInput, 'entrypoint' | 'certResolver' | 'csp'>>;
}

export function gameContainerSpec(input: GameSpecInput): Docker.ContainerCreateOptions {
  const { profile } = input;
  const portKey = `${profile.port}/tcp`;
  return {
    name: input.containerName,
    Image: input.image,
    ...(profile.cmd ? { Cmd: profile.cmd } : {}),
    ...(profile.user ? { User: profile.user } : {}),
    ExposedPorts: { [portKey]: {} },
    Labels: {
      ...input.labels,
      ...traefikLabels({
        name: input.routeName,
        host: input.hostName,
        domain: input.domain,
        port: profile.port,
        network: input.network,
        ...input.traefik,
      }),
      [LABEL.role]: 'game',
      [LABEL.slot]: String(input.slot),
      [LABEL.job]: String(input.jobId),
    },
    HostConfig: {
      Binds: [`${input.hostSlotDir}:${profile.mountPath}:ro`],
      NetworkMode: input.network,
      RestartPolicy: { Name: 'unless-stopped' },
      ReadonlyRootfs: true,
      Tmpfs: profile.tmpfs ?? {},
      CapDrop: ['ALL'],
      ...(profile.capAdd?.length ? { CapAdd: profile.capAdd } : {}),
      SecurityOpt: ['no-new-privileges:true'],
      Memory: 256 * 1024 ** 2,
      MemorySwap: 256 * 1024 ** 2,
      NanoCpus: 500_000_000,
      PidsLimit: 128,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '1' } },
      ...(input.publishLoopback ? { PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
    },
  };
}
