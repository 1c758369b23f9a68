// The docker runtime against a real engine, with the stand-in worker
// (test/fixtures/docker/fake-worker.mjs) choosing its behaviour by FAKE_MODE.
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerRuntime, dockerAvailable, type DockerRuntimeOptions } from '../../lib/runtimes/docker.ts';
import type { PhaseRunRequest } from '../../lib/runtimes/types.ts';
import type { WorkerLine } from '../../lib/worker-protocol/lines.ts';
import { containersOf, probeEngine, startRun, WORKER_TEST_IMAGE, type TestRun } from './helpers.ts';

const engine = await probeEngine();
const FAKE = ['node', '/app/test/fixtures/docker/fake-worker.mjs'];

describe.skipIf(!engine.available)('docker runtime (real engine)', () => {
  const { docker } = engine;
  let run: TestRun;
  let root: string;

  beforeAll(async () => {
    run = await startRun(docker, 'runtime');
    root = path.join(run.tmp, 'workspaces');
    await mkdir(root);
  });
  afterAll(async () => run?.cleanup());

  const runtime = (extra: Partial<DockerRuntimeOptions> = {}) =>
    createDockerRuntime({
      docker,
      image: WORKER_TEST_IMAGE,
      workspaceRoot: root,
      command: FAKE,
      labels: run.labels,
      namePrefix: `${run.id}-`,
      killGraceSeconds: 1,
      ...extra,
    });

  let jobSeq = 100;
  async function request(mode: string, extra: Partial<PhaseRunRequest> = {}) {
    const jobId = jobSeq++;
    const workspaceDir = path.join(root, `job-${jobId}`);
    await mkdir(workspaceDir);
    const lines: WorkerLine[] = [];
    const req: PhaseRunRequest = {
      jobId,
      phase: 1,
      gameName: 'test-game',
      workspaceDir,
      timeoutSeconds: 30,
      env: { FAKE_MODE: mode },
      onLine: (l) => lines.push(l),
      ...extra,
    };
    return { req, lines, workspaceDir, jobId };
  }

  it('runs a phase as uid 1001 in a hardened container, streaming its lines; docker inspect proves the hardening', async () => {
    const rt = runtime({ removeContainers: false });
    const { req, lines, workspaceDir, jobId } = await request('ok', {
      timeoutSeconds: 30,
      env: { FAKE_MODE: 'ok', LLM_API_KEY: 'sk-never-logged-1234' },
    });
    const before = Math.floor(Date.now() / 1000);
    const outcome = await rt.runPhase(req);
    expect(outcome).toMatchObject({ status: 'completed', exitCode: 0, error: null });
    // JSON lines pass through with their data; a plain line and a stderr line are kept too.
    expect(lines.find((l) => l.kind === 'tool')).toEqual({
      kind: 'tool',
      message: 'Write idea.json',
      data: { file: 'idea.json' },
    });
    expect(lines).toContainEqual({ kind: 'log', message: 'a plain line' });
    expect(lines).toContainEqual({ kind: 'log', message: 'a line on stderr', data: { stream: 'stderr' } });
    // (stdout and stderr are separate pipes: their relative order is not guaranteed, so find lines by content)
    expect(lines.find((l) => l.message.endsWith('starting'))!.data).toEqual({ uid: 1001, gid: 1001 });
    const done = lines.find((l) => l.message === 'done')!;
    expect(done.data).toEqual({ interfaces: ['lo'], home: '/home/claude' }); // builtin agent: network none
    // The worker wrote into the host workspace, as uid 1001.
    expect(JSON.parse(await readFile(path.join(workspaceDir, 'idea.json'), 'utf8'))).toEqual({
      from: 'fake-worker',
      phase: '1',
    });
    expect((await stat(path.join(workspaceDir, 'status', '1.json'))).uid).toBe(1001);

    const [listed] = await containersOf(docker, run, [`gamepocgen.job=${jobId}`]);
    const info = await docker.getContainer(listed.Id).inspect();
    expect(info.Config.User).toBe('1001:1001');
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.CapAdd ?? []).toEqual([]);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
    expect(info.HostConfig.Memory).toBe(2 * 1024 ** 3);
    expect(info.HostConfig.NanoCpus).toBe(1e9);
    expect(info.HostConfig.PidsLimit).toBeGreaterThan(0);
    expect(info.HostConfig.PidsLimit).toBeLessThanOrEqual(1024);
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(Object.keys(info.HostConfig.Tmpfs ?? {}).sort()).toEqual(['/home/claude', '/tmp']);
    // The workspace is the only bind, and the only writable one; never the Docker socket.
    expect(info.Mounts.map((m) => ({ src: m.Source, dst: m.Destination, rw: m.RW, type: m.Type }))).toEqual([
      { src: workspaceDir, dst: '/workspace', rw: true, type: 'bind' },
    ]);
    expect(JSON.stringify(info.Mounts)).not.toContain('docker.sock');
    expect(info.Config.Labels).toMatchObject({
      'gamepocgen.job': String(jobId),
      'gamepocgen.phase': '1',
      'gamepocgen.role': 'worker',
    });
    const deadline = Number(info.Config.Labels['gamepocgen.deadline']);
    expect(deadline).toBeGreaterThanOrEqual(before + 30);
    expect(deadline).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 30 + 2 * 1 + 1);
    expect(info.Config.Env).toEqual(
      expect.arrayContaining([
        'PHASE=1',
        `JOB_ID=${jobId}`,
        'WORKSPACE_DIR=/workspace',
        'TIMEOUT_SECONDS=30',
        'AGENT=builtin',
        'SECRETS_ON_STDIN=1',
      ]),
    );
    // The key went to stdin: nothing in the container's config (docker inspect, /proc inside) holds it.
    expect(info.Config.Env.filter((e: string) => e.startsWith('LLM_API_KEY='))).toEqual([]);
    expect(JSON.stringify(info)).not.toContain('sk-never-logged-1234');
    expect(info.Config).toMatchObject({ OpenStdin: true, StdinOnce: true });
  });

  it('a worker that tries to write outside its workspace fails (read-only rootfs, nothing leaks to the host)', async () => {
    const { req, lines, workspaceDir } = await request('probe');
    const outcome = await runtime().runPhase(req);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('every write outside the workspace failed');
    const probe = lines.find((l) => l.message === 'probe')!.data as {
      results: Array<{ path: string; ok: boolean; code?: string }>;
      inside: { ok: boolean };
    };
    expect(probe.results).toHaveLength(5);
    for (const r of probe.results) expect(r, r.path).toMatchObject({ ok: false, code: 'EROFS' });
    expect(probe.inside.ok).toBe(true);
    expect(existsSync(path.join(workspaceDir, 'inside.txt'))).toBe(true);
    expect(existsSync(path.join(root, 'escape.txt'))).toBe(false);
  });

  it('kills a phase that sleeps past its timeout and reports timeout; the container is gone', async () => {
    const { req, jobId } = await request('sleep', { timeoutSeconds: 1 });
    const rt = runtime();
    const outcome = await rt.runPhase(req);
    expect(outcome.status).toBe('timeout');
    expect(outcome.exitCode).toBe(137); // SIGKILL from the runtime
    expect(outcome.error).toMatch(/exceeded its 1s timeout; the container was killed/);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(2000); // timeout + 1s grace
    expect(outcome.durationMs).toBeLessThan(15_000);
    // Removal finishes in the background; close() waits for it.
    await rt.close?.();
    expect(await containersOf(docker, run, [`gamepocgen.job=${jobId}`])).toEqual([]);
  });

  it('maps exit 124 (the worker timing itself out) to timeout and other codes to failed with the last error line', async () => {
    const rt = runtime();
    const t = await request('honor-timeout', { timeoutSeconds: 1 });
    expect(await rt.runPhase(t.req)).toMatchObject({ status: 'timeout', exitCode: 124, error: 'phase timed out' });
    const f = await request('fail');
    expect(await rt.runPhase(f.req)).toMatchObject({
      status: 'failed',
      exitCode: 3,
      error: 'the agent gave up: no idea',
    });
    const c = await request('crash');
    const crashed = await rt.runPhase(c.req);
    expect(crashed).toMatchObject({ status: 'failed', exitCode: 7 });
    expect(crashed.error).toContain('worker exited with code 7: TypeError: boom');
  });

  it('hands secrets to the worker on stdin, not in its env, and redacts them from every streamed line', async () => {
    const secret = 'sk-live-abcdef123456';
    const { req, lines } = await request('secret', { env: { FAKE_MODE: 'secret', LLM_API_KEY: secret } });
    expect((await runtime().runPhase(req)).status).toBe('completed');
    expect(lines.find((l) => l.message === 'secret arrived')?.data).toEqual({
      viaStdin: true,
      inEnv: false,
      length: secret.length,
    });
    expect(lines.map((l) => l.message)).toEqual(['secret arrived', 'my key is [redacted]', 'plain [redacted]']);
    expect(JSON.stringify(lines)).not.toContain(secret);
  });

  it('gives the claude agent no network either: only the egress gateway socket (read-only), never a bridge', async () => {
    const network = `${run.id}-egress`;
    run.networks.push(network);
    // Any endpoint will do: this phase's fake worker never calls it (test/docker/egress.test.ts does).
    const rt = runtime({ network, egressAllow: ['127.0.0.1:9'], removeContainers: false });
    const { req, lines, jobId } = await request('ok', { env: { FAKE_MODE: 'ok', AGENT: 'claude' } });
    expect((await rt.runPhase(req)).status).toBe('completed');
    expect((lines.find((l) => l.message === 'done')!.data as { interfaces: string[] }).interfaces).toEqual(['lo']);
    const [listed] = await containersOf(docker, run, [`gamepocgen.job=${jobId}`]);
    const info = await docker.getContainer(listed.Id).inspect();
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(info.Mounts.filter((m) => m.Destination === '/run/egress').map((m) => m.RW)).toEqual([false]);
    // The outbound bridge is the gateway's alone.
    const net = await docker.getNetwork(network).inspect();
    expect(Object.values(net.Containers ?? {}).map((c) => c.Name)).toEqual([`${run.id}-egress-gateway`]);
    expect(net.Options?.['com.docker.network.bridge.enable_icc']).toBe('false');
  });

  it('binds the host path when the app sees the workspace root under another path (HOST_WORKSPACE_PATH)', async () => {
    // The app's view: <tmp>/app-view → the host's real directory <tmp>/host-view (as a compose volume would).
    const hostView = path.join(run.tmp, 'host-view');
    const appView = path.join(run.tmp, 'app-view');
    await mkdir(path.join(hostView, 'job-7'), { recursive: true });
    await symlink(hostView, appView);
    const rt = runtime({ workspaceRoot: appView, hostWorkspaceRoot: hostView, removeContainers: false });
    const outcome = await rt.runPhase({
      jobId: 7,
      phase: 2,
      gameName: 'g',
      workspaceDir: path.join(appView, 'job-7'),
      timeoutSeconds: 30,
      env: { FAKE_MODE: 'ok' },
      onLine: () => {},
    });
    expect(outcome.status).toBe('completed');
    const [listed] = await containersOf(docker, run, ['gamepocgen.job=7']);
    const info = await docker.getContainer(listed.Id).inspect();
    expect(info.Mounts[0].Source).toBe(path.join(hostView, 'job-7'));
    expect(existsSync(path.join(hostView, 'job-7', 'status', '2.json'))).toBe(true);
    // A workspace outside the configured root is refused before any container exists.
    await expect(rt.runPhase({ ...(await request('ok')).req })).rejects.toMatchObject({ code: 'path_outside_root' });
  });

  it('runs the real worker/entrypoint.ts in the image: a missing input.json fails with a readable reason', async () => {
    const rt = runtime({ command: undefined });
    // With a key: the entrypoint reads it from stdin first (a missing line would fail with exit 2 instead).
    const { req, lines, workspaceDir } = await request('unused', { env: { LLM_API_KEY: 'sk-entrypoint-stdin-5678' } });
    const outcome = await rt.runPhase(req);
    expect(outcome.status).toBe('failed');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error).toMatch(/^input\.json unreadable: /);
    expect(lines.at(-1)).toMatchObject({ kind: 'error' });
    const status = JSON.parse(await readFile(path.join(workspaceDir, 'status', '1.json'), 'utf8'));
    expect(status).toMatchObject({ phase: 1, status: 'failed', agent: 'builtin' });
  });

  it('dockerAvailable: true for a present image, false for a missing image or a dead socket', async () => {
    expect(await dockerAvailable(docker, WORKER_TEST_IMAGE)).toBe(true);
    expect(await dockerAvailable(docker, 'gamepocgen-no-such-image:nope')).toBe(false);
    expect(await dockerAvailable(path.join(run.tmp, 'no.sock'), WORKER_TEST_IMAGE)).toBe(false);
  });

  it('refuses a missing image with an actionable error code', async () => {
    const rt = runtime({ image: 'gamepocgen-no-such-image:nope' });
    await expect(rt.runPhase((await request('ok')).req)).rejects.toMatchObject({
      code: 'docker_create_failed',
      message: expect.stringContaining('docker build -f Dockerfile.worker'),
    });
  });

  it('hands root-owned workspace content to uid 1001 before the container starts', async () => {
    const { req, workspaceDir } = await request('ok');
    await writeFile(path.join(workspaceDir, 'input.json'), '{}');
    expect((await runtime().runPhase(req)).status).toBe('completed');
    expect((await stat(path.join(workspaceDir, 'input.json'))).uid).toBe(1001);
  });
});
