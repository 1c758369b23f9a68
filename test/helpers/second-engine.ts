// A second Docker engine on this machine, for the multi-host tests: its own dockerd (vfs, its own
// bridge, no iptables) with its own data root, exec root, pid file and socket under a temp dir,
// with the given images copied in from the machine's engine (`docker save | docker -H … load`:
// no registry). stop() ends that dockerd (only it: by its own pid), deletes the host bridges of the
// networks it made and removes its directory.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { engineAnswers } from '../../lib/docker/client.ts';

export interface SecondEngine {
  /** DOCKER_HOST for a runner on this engine (unix://…/docker.sock). */
  host: string;
  docker: Docker;
  /** How long dockerd took to answer, and the image copy (ms): reported, never asserted. */
  timings: { startMs: number; loadMs: number };
  stop(): Promise<void>;
}

const DOCKERD = '/usr/sbin/dockerd';

/** Why a second engine cannot start here, or null when it can (root and dockerd are needed). */
export function secondEngineUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'a second dockerd needs root';
  if (!existsSync(DOCKERD)) return `no ${DOCKERD} (apt-get install docker.io)`;
  return null;
}

/** `docker save <images> | docker -H <host> load`, failing with docker's own words. */
async function copyImages(images: string[], host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['save', ...images], { stdio: ['ignore', 'pipe', 'pipe'] });
    const load = spawn('docker', ['-H', host, 'load'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    save.stderr.on('data', (d) => (errors += d));
    load.stderr.on('data', (d) => (errors += d));
    save.stdout.pipe(load.stdin);
    save.on('error', reject);
    load.on('error', reject);
    load.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`copying ${images.join(', ')} to ${host} failed: ${errors.trim()}`)),
    );
  });
}

const ip = (...args: string[]) => promisify(execFile)('ip', args);
const deleteLink = (name: string) =>
  ip('link', 'del', name).then(
    () => undefined,
    () => undefined,
  );

/**
 * The host bridges (`br-<id>`) of the networks this engine made. A stopped dockerd leaves them (with
 * their addresses and routes) on the machine, and once its data root is gone nothing owns them: one
 * left holding 172.17.0.0/16 (most likely made while docker0 was missing) took the replies of every
 * container on the first engine's docker0 once that was re-created, so `docker build` there could no
 * longer resolve the npm registry (EAI_AGAIN).
 */
async function networkBridges(docker: Docker): Promise<string[]> {
  const answer = docker.listNetworks().catch(() => []);
  const networks = await Promise.race([answer, new Promise<[]>((r) => setTimeout(() => r([]), 10_000).unref())]);
  return networks
    .filter((n) => n.Driver === 'bridge' && !['bridge', 'host', 'none'].includes(n.Name))
    .map((n) => n.Options?.['com.docker.network.bridge.name'] ?? `br-${n.Id.slice(0, 12)}`);
}

/**
 * A bridge of the engine's own. `--bridge=none` would be simpler, but dockerd then deletes the
 * machine's `docker0` at start-up (it removes "the default bridge interface"), which breaks every
 * later `docker run` on the first engine that uses the default network.
 */
async function ownBridge(): Promise<{ name: string; remove(): Promise<void> }> {
  const name = `gpge2${randomBytes(3).toString('hex')}`;
  await ip('link', 'add', name, 'type', 'bridge');
  await ip('addr', 'add', `10.213.${randomBytes(1)[0]}.1/24`, 'dev', name);
  await ip('link', 'set', name, 'up');
  return {
    name,
    remove: () => deleteLink(name),
  };
}

export async function startSecondEngine(images: string[]): Promise<SecondEngine> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-engine2-'));
  const bridge = await ownBridge();
  const socket = path.join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const started = Date.now();
  const dockerd = spawn(
    DOCKERD,
    [
      '--storage-driver=vfs',
      `--host=${host}`,
      `--data-root=${path.join(dir, 'data')}`,
      `--exec-root=${path.join(dir, 'exec')}`,
      `--pidfile=${path.join(dir, 'docker.pid')}`,
      // Its own engine beside the machine's: its own bridge and no iptables rules to clash with the first one's.
      `--bridge=${bridge.name}`,
      '--iptables=false',
      '--ip-masq=false',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  dockerd.stderr.on('data', (d) => (log = (log + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => dockerd.once('close', () => resolve()));
  const docker = new Docker({ socketPath: socket });
  const stop = async () => {
    const bridges = await networkBridges(docker);
    if (dockerd.exitCode === null && dockerd.signalCode === null) {
      dockerd.kill('SIGTERM');
      const killer = setTimeout(() => dockerd.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
    await bridge.remove();
    for (const name of bridges) await deleteLink(name);
  };
  try {
    for (let i = 0; !(existsSync(socket) && (await engineAnswers(docker, 1000))); i++) {
      if (dockerd.exitCode !== null || i > 120) throw new Error(`the second dockerd did not start: ${log.trim()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const startMs = Date.now() - started;
    if (images.length > 0) await copyImages(images, host);
    return { host, docker, timings: { startMs, loadMs: Date.now() - started - startMs }, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
