// The docker deployer against a real engine, with the busybox stand-in for
// nginx, reached only over ports published on 127.0.0.1.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerDeployer, type DockerDeployer } from '../../lib/deployers/docker.ts';
import { BUSYBOX_PROFILE, gameContainerSpec, NGINX_PROFILE, profileForImage } from '../../lib/docker/game-spec.ts';
import { GAME_CSP } from '../../lib/game-serving.ts';
import {
  containersOf,
  eventually,
  fetchText,
  probeEngine,
  startRun,
  STATIC_TEST_IMAGE,
  type TestRun,
} from './helpers.ts';

const engine = await probeEngine();

describe('game server profiles (no engine needed)', () => {
  it('picks nginx and the busybox stand-in by image name and refuses an unknown server', () => {
    expect(profileForImage('nginx:alpine')).toBe(NGINX_PROFILE);
    expect(profileForImage('docker.io/library/nginx:1.27-alpine')).toBe(NGINX_PROFILE);
    expect(profileForImage('gamepocgen-static:test')).toBe(BUSYBOX_PROFILE);
    expect(profileForImage('httpd:2')).toBeNull();
    expect(() => createDockerDeployer({ image: 'httpd:2', network: 'n', domain: 'd', deployDir: '/tmp' })).toThrow(
      expect.objectContaining({ code: 'unknown_game_server_image' }),
    );
  });
});

describe.skipIf(!engine.available)('docker deployer (real engine)', () => {
  const { docker } = engine;
  let run: TestRun;
  let deployer: DockerDeployer;
  let network: string;
  let prefix: string;

  async function gameDir(name: string, body: string, extra: Record<string, string> = {}) {
    const dir = path.join(run.tmp, 'src', name);
    await mkdir(path.join(dir, 'js'), { recursive: true });
    await writeFile(path.join(dir, 'index.html'), body);
    for (const [rel, text] of Object.entries(extra)) await writeFile(path.join(dir, rel), text, { mode: 0o600 });
    return dir;
  }

  beforeAll(async () => {
    run = await startRun(docker, 'deploy');
    network = `${run.id}-traefik`;
    run.networks.push(network);
    prefix = `${run.id.replace(/[^a-z0-9]/g, '')}g`;
    deployer = createDockerDeployer({
      docker,
      image: STATIC_TEST_IMAGE,
      network,
      domain: 'games.example.test',
      deployDir: path.join(run.tmp, 'deploy'),
      namePrefix: prefix,
      publishLoopback: true,
      labels: run.labels,
      handoverMs: 200,
    });
  });
  afterAll(async () => run?.cleanup());

  it('publishes slot 3: the game is served over 127.0.0.1 and the URL names the slot', async () => {
    const src = await gameDir('v1', '<h1>version one</h1>', { 'js/game.js': 'console.log(1)' });
    const { url } = await deployer.publish({ slot: 3, jobId: 41, sourceDir: src });
    expect(url).toBe(`https://${prefix}3.games.example.test/`);
    expect(deployer.urlFor(3)).toBe(url);
    const local = await deployer.localUrl(3);
    expect(local).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await eventually(async () => {
      const r = await fetchText(local!);
      return r.status === 200 ? r : null;
    });
    expect(page.body).toBe('<h1>version one</h1>');
    // A file the worker left 0600 is still readable by the server's user.
    expect(await fetchText(`${local}js/game.js`)).toEqual({ status: 200, body: 'console.log(1)' });
    expect(await readlink(path.join(deployer.slotDir(3), 'current'))).toMatch(/^releases\/job41-/);
  });

  it('labels the slot container for Traefik v3, key by key, and hardens it', async () => {
    const info = await docker.getContainer(`${prefix}3`).inspect();
    const name = `${prefix}3`;
    const traefik = Object.fromEntries(Object.entries(info.Config.Labels).filter(([k]) => k.startsWith('traefik.')));
    expect(traefik).toEqual({
      'traefik.enable': 'true',
      [`traefik.http.routers.${name}.rule`]: `Host(\`${name}.games.example.test\`)`,
      [`traefik.http.routers.${name}.entrypoints`]: 'websecure',
      [`traefik.http.routers.${name}.tls`]: 'true',
      [`traefik.http.routers.${name}.tls.certresolver`]: 'letsencrypt',
      [`traefik.http.routers.${name}.service`]: name,
      [`traefik.http.routers.${name}.middlewares`]: `${name}-csp`,
      [`traefik.http.middlewares.${name}-csp.headers.contentSecurityPolicy`]: GAME_CSP,
      [`traefik.http.services.${name}.loadbalancer.server.port`]: '8080',
      'traefik.docker.network': network,
    });
    expect(GAME_CSP).toContain("connect-src 'none'");
    expect(info.Config.Labels).toMatchObject({
      'gamepocgen.role': 'game',
      'gamepocgen.slot': '3',
      'gamepocgen.job': '41',
    });
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(info.HostConfig.NetworkMode).toBe(network);
    expect(info.Config.User).toBe('1001:1001');
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
    expect(info.Mounts.map((m) => ({ dst: m.Destination, rw: m.RW, src: m.Source }))).toEqual([
      { dst: '/srv', rw: false, src: deployer.slotDir(3) },
    ]);
    // Published on loopback only.
    const bindings = info.HostConfig.PortBindings?.['8080/tcp'];
    expect(bindings).toEqual([{ HostIp: '127.0.0.1', HostPort: '' }]);
    expect(info.NetworkSettings.Ports['8080/tcp']?.every((b) => b.HostIp === '127.0.0.1')).toBe(true);
  });

  it('redeploying the same job swaps files atomically: every fetch during the swap sees one whole version', async () => {
    const before = (await docker.getContainer(`${prefix}3`).inspect()).Id;
    const local = (await deployer.localUrl(3))!;
    const big = (v: string) => `<h1>${v}</h1>` + `<!-- ${v} -->`.repeat(20_000); // ~260 KB: a copy takes a while
    await deployer.publish({ slot: 3, jobId: 41, sourceDir: await gameDir('big1', big('A')) });
    const seen = new Map<string, number>();
    let stop = false;
    const poller = (async () => {
      while (!stop) {
        const r = await fetchText(local);
        const key =
          r.status !== 200
            ? `status ${r.status}`
            : r.body === big('A')
              ? 'A'
              : r.body === big('B')
                ? 'B'
                : `torn (${r.body.length} bytes)`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    })();
    await eventually(async () => (seen.get('A') ?? 0) >= 3);
    await deployer.publish({ slot: 3, jobId: 41, sourceDir: await gameDir('big2', big('B')) });
    await eventually(async () => (seen.get('B') ?? 0) >= 3);
    stop = true;
    await poller;
    expect([...seen.keys()].sort()).toEqual(['A', 'B']);
    // Same job: the same container kept serving (no restart, same port).
    expect((await docker.getContainer(`${prefix}3`).inspect()).Id).toBe(before);
    expect(await deployer.localUrl(3)).toBe(local);
    // Only the live release and the previous one are kept.
    expect((await readdir(path.join(deployer.slotDir(3), 'releases'))).length).toBe(2);
  });

  it('a slot that changes hands gets a successor container labelled for the new job; one container per slot remains', async () => {
    // A successor a crashed publish left behind, still serving: it must not survive the next swap.
    const stray = await docker.createContainer(
      gameContainerSpec({
        containerName: `${prefix}3-next-stray`,
        routeName: `${prefix}3`,
        image: STATIC_TEST_IMAGE,
        profile: BUSYBOX_PROFILE,
        hostSlotDir: deployer.slotDir(3),
        slot: 3,
        jobId: 41,
        domain: 'games.example.test',
        network,
        labels: run.labels,
      }),
    );
    await stray.start();
    await deployer.publish({ slot: 3, jobId: 42, sourceDir: await gameDir('v3', '<h1>job 42</h1>') });
    const slot3 = await containersOf(docker, run, ['gamepocgen.slot=3']);
    expect(slot3).toHaveLength(1);
    expect(slot3[0].Names).toEqual([`/${prefix}3`]);
    expect(slot3[0].Labels['gamepocgen.job']).toBe('42');
    const local = (await deployer.localUrl(3))!;
    const page = await eventually(async () => {
      const r = await fetchText(local).catch(() => null);
      return r?.status === 200 ? r : null;
    });
    expect(page.body).toBe('<h1>job 42</h1>');
  });

  it('refuses a source without index.html and leaves the slot serving', async () => {
    const empty = path.join(run.tmp, 'src', 'empty');
    await mkdir(empty, { recursive: true });
    await expect(deployer.publish({ slot: 3, jobId: 43, sourceDir: empty })).rejects.toMatchObject({
      code: 'deploy_source_invalid',
    });
    expect((await fetchText((await deployer.localUrl(3))!)).body).toBe('<h1>job 42</h1>');
  });

  it('unpublish removes the slot container and its files', async () => {
    await deployer.publish({ slot: 5, jobId: 50, sourceDir: await gameDir('v5', 'five') });
    expect(await containersOf(docker, run, ['gamepocgen.slot=5'])).toHaveLength(1);
    await deployer.unpublish(5);
    expect(await containersOf(docker, run, ['gamepocgen.slot=5'])).toEqual([]);
    expect(existsSync(deployer.slotDir(5))).toBe(false);
    expect(await deployer.localUrl(5)).toBeNull();
    await deployer.unpublish(5); // idempotent
  });
});
