// The egress gateway against a real engine: claude phase containers have no network
// (no default route, only `lo`) and reach the model endpoint only through the gateway's
// socket; the gateway tunnels to the model endpoint (control) and refuses another port on
// the same host with 403 (the must-fail fixture); the real worker entrypoint and the real
// Claude Code CLI complete a phase against the scripted model server through it; the
// gateway is created, restarted and recreated by ensureEgressGateway, left alone by the
// reaper and removed by down-containers. Nothing here connects outside this machine:
// every server listens on the outbound bridge's host address.
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EGRESS_SOCKET, ensureEgressGateway, type EgressGatewayOptions } from '../../lib/docker/egress-gateway.ts';
import { ensureNetwork } from '../../lib/docker/networks.ts';
import { removeInstanceContainers } from '../../lib/docker/teardown.ts';
import { reapContainers } from '../../lib/reaper/containers.ts';
import { createDockerRuntime, type DockerRuntimeOptions } from '../../lib/runtimes/docker.ts';
import type { PhaseRunRequest } from '../../lib/runtimes/types.ts';
import type { WorkerLine } from '../../lib/worker-protocol/lines.ts';
import { buildWorkerImage } from '../../support/docker-images.ts';
import { startModelServer, type ModelServer } from '../fixtures/model-server.ts';
import { happy } from '../fixtures/scenarios/index.ts';
import { CLAUDE_BIN, HAVE_CLAUDE, INPUT } from '../claude/helpers.ts';
import { containersOf, probeEngine, startRun, WORKER_TEST_IMAGE, type TestRun } from './helpers.ts';

const exec = promisify(execFile);
const engine = await probeEngine();
const FAKE = ['node', '/app/test/fixtures/docker/fake-worker.mjs'];
const KEY = 'sk-egress-docker-31337-NEVER-LOGGED';

describe.skipIf(!engine.available)('egress gateway (real engine)', () => {
  const { docker } = engine;
  let run: TestRun;
  let root: string;
  let network: string;
  let hostIp: string;
  let image: string;
  let model: ModelServer;
  let other: net.Server;
  let otherConnections = 0;
  const port = (s: { address(): unknown }) => (s.address() as net.AddressInfo).port;

  beforeAll(async () => {
    run = await startRun(docker, 'egress');
    root = path.join(run.tmp, 'workspaces');
    await mkdir(root);
    // The shared test image is rebuilt by whichever worktree's tests run next: pin this run's build.
    const { hash } = await buildWorkerImage();
    const { stdout } = await exec('docker', [
      'image',
      'inspect',
      WORKER_TEST_IMAGE,
      '--format',
      '{{index .Config.Labels "gamepocgen.inputs-hash"}}',
    ]);
    expect(stdout.trim()).toBe(hash);
    image = `gamepocgen-worker:${run.id}`;
    await exec('docker', ['tag', WORKER_TEST_IMAGE, image]);
    network = `${run.id}-out`;
    run.networks.push(network);
    await ensureNetwork(docker, network, { interContainer: false });
    hostIp = (await docker.getNetwork(network).inspect()).IPAM?.Config?.[0]?.Gateway ?? '';
    expect(hostIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    model = await startModelServer({ scenario: happy, host: hostIp });
    other = net.createServer((s) => {
      otherConnections++;
      s.destroy();
    });
    await new Promise<void>((r) => other.listen(0, hostIp, r));
  }, 600_000);
  afterAll(async () => {
    await model?.close();
    await new Promise((r) => other?.close(r));
    await run?.cleanup();
    if (image) await exec('docker', ['rmi', image]).catch(() => {});
  });

  const modelEndpoint = () => `${hostIp}:${new URL(model.url).port}`;
  const runtime = (extra: Partial<DockerRuntimeOptions> = {}) =>
    createDockerRuntime({
      docker,
      image,
      workspaceRoot: root,
      command: FAKE,
      labels: run.labels,
      namePrefix: `${run.id}-`,
      network,
      egressAllow: [modelEndpoint()],
      killGraceSeconds: 1,
      ...extra,
    });

  let jobSeq = 300;
  async function request(env: Record<string, string>, timeoutSeconds = 60) {
    const jobId = jobSeq++;
    const workspaceDir = path.join(root, `job-${jobId}`);
    await mkdir(workspaceDir);
    const lines: WorkerLine[] = [];
    const req: PhaseRunRequest = {
      jobId,
      phase: 1,
      gameName: 'egress-game',
      workspaceDir,
      timeoutSeconds,
      env,
      onLine: (l) => lines.push(l),
    };
    return { req, lines, workspaceDir, jobId };
  }

  it('a claude phase container has no default route and only lo; through the gateway the model endpoint answers 200, another port on the same host 403', async () => {
    const allowed = modelEndpoint();
    const otherTarget = `${hostIp}:${port(other)}`;
    const { req, lines, jobId } = await request({
      AGENT: 'claude',
      FAKE_MODE: 'egress-probe',
      FAKE_TARGETS: [allowed, otherTarget, '169.254.169.254:80'].join(','),
    });
    const outcome = await runtime({ removeContainers: false }).runPhase(req);
    expect(outcome, JSON.stringify(lines)).toMatchObject({ status: 'completed' });
    const probe = lines.find((l) => l.message === 'egress')!.data as {
      interfaces: string[];
      routes: string[];
      socketDir: { ok: boolean; code?: string };
      answers: Record<string, string>;
    };
    expect(probe.interfaces).toEqual(['lo']);
    expect(probe.routes).toEqual([]); // /proc/net/route: the header only, no default route
    expect(probe.socketDir).toMatchObject({ ok: false, code: 'EROFS' }); // the socket's directory is read-only
    expect(probe.answers).toEqual({
      [allowed]: 'HTTP/1.1 200 Connection Established',
      [otherTarget]: 'HTTP/1.1 403 Forbidden',
      '169.254.169.254:80': 'HTTP/1.1 403 Forbidden',
    });
    expect(otherConnections).toBe(0);

    const [listed] = await containersOf(docker, run, [`gamepocgen.job=${jobId}`]);
    const info = await docker.getContainer(listed.Id).inspect();
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(info.Config.Env).toContain(`EGRESS_SOCKET=${EGRESS_SOCKET}`);
    expect(info.Mounts.find((m) => m.Destination === '/run/egress')).toMatchObject({
      Source: path.join(root, '.egress'),
      RW: false,
    });
    // The gateway logged the refusals (and nothing of the request beyond the CONNECT target).
    const gw = docker.getContainer(`${run.id}-egress-gateway`);
    const log = ((await gw.logs({ stdout: true, stderr: true })) as Buffer).toString('utf8');
    expect(log).toContain(
      `"event":"egress_refused","status":403,"reason":"${otherTarget} is not the configured model endpoint"`,
    );
    expect(log).toContain('"target":"169.254.169.254:80"');
  });

  it.skipIf(!HAVE_CLAUDE)(
    'the real worker entrypoint and Claude Code CLI complete phase 1 against the model server through the gateway',
    async () => {
      const before = model.requests.length;
      const { req, lines, workspaceDir } = await request(
        {
          AGENT: 'claude',
          LLM_BASE_URL: model.url,
          LLM_API_KEY: KEY,
          MODEL: 'glm-4.6',
          MAX_TURNS: '10',
          LLM_MAX_RETRIES: '1',
          CLAUDE_BIN: '/opt/claude/claude',
        },
        240,
      );
      await writeFile(path.join(workspaceDir, 'input.json'), JSON.stringify({ ...INPUT, jobId: req.jobId }));
      // The test image carries no CLI: the host's binary (and the one library node does not need) go in read-only.
      const mounts = {
        [realpathSync(CLAUDE_BIN)]: '/opt/claude/claude',
        [realpathSync('/lib/x86_64-linux-gnu/librt.so.1')]: '/lib/x86_64-linux-gnu/librt.so.1',
      };
      const rt = runtime({ command: undefined, readOnlyMounts: mounts });
      const outcome = await rt.runPhase(req);
      expect(outcome, JSON.stringify(lines.slice(-8))).toMatchObject({ status: 'completed', exitCode: 0 });
      expect(JSON.parse(await readFile(path.join(workspaceDir, 'idea.json'), 'utf8'))).toHaveProperty('title');
      // The CLI's requests reached the model server with the real key (swapped in by the key proxy) ...
      const seen = model.requests.slice(before).filter((r) => r.turn);
      expect(seen.length).toBeGreaterThan(0);
      // ... and the key appears in nothing the phase printed.
      expect(JSON.stringify(lines)).not.toContain(KEY);

      // Must-fail: the same phase with a gateway that allows only another port never reaches the model.
      const denied = await request({ ...req.env, LLM_MAX_RETRIES: '0' }, 240);
      await writeFile(path.join(denied.workspaceDir, 'input.json'), JSON.stringify({ ...INPUT, jobId: denied.jobId }));
      const seenBefore = model.requests.length;
      const refused = await runtime({
        command: undefined,
        readOnlyMounts: mounts,
        egressAllow: [`${hostIp}:${port(other)}`],
      }).runPhase(denied.req);
      expect(refused.status).toBe('failed');
      expect(refused.error).toContain(`egress gateway refused CONNECT ${modelEndpoint()}: HTTP 403`);
      expect(model.requests.length).toBe(seenBefore);
    },
    300_000,
  );

  it('ensureEgressGateway creates a hardened gateway, keeps it, restarts it, recreates it when removed or reconfigured; the reaper leaves it, down-containers removes it', async () => {
    const instance = `${run.id}-inst`;
    const o: EgressGatewayOptions = {
      image,
      name: `${run.id}-gw2`,
      network,
      allow: [modelEndpoint()],
      socketDir: path.join(root, '.egress2'),
      hostSocketDir: path.join(root, '.egress2'),
      labels: { ...run.labels, 'gamepocgen.instance': instance },
    };
    const first = await ensureEgressGateway(docker, o);
    expect(first.state).toBe('created');
    expect((await ensureEgressGateway(docker, o, first.id)).state).toBe('running');
    const info = await docker.getContainer(first.id).inspect();
    expect(info.Config.User).toBe('1001:1001');
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.Memory).toBeGreaterThan(0);
    expect(info.HostConfig.PidsLimit).toBeGreaterThan(0);
    expect(info.HostConfig.NetworkMode).toBe(network);
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([network]);
    expect(JSON.stringify(info.Mounts)).not.toContain('docker.sock');
    expect(info.Config.Labels).toMatchObject({ 'gamepocgen.role': 'egress-gateway', 'gamepocgen.instance': instance });
    expect(info.Config.Env).toContain(`EGRESS_ALLOW=${modelEndpoint()}`);

    await docker.getContainer(first.id).stop({ t: 1 });
    expect(await ensureEgressGateway(docker, o, first.id)).toEqual({ state: 'started', id: first.id });
    await docker.getContainer(first.id).remove({ force: true });
    const again = await ensureEgressGateway(docker, o, first.id);
    expect(again.state).toBe('created');
    const changed = await ensureEgressGateway(docker, { ...o, allow: [...o.allow, 'api.z.ai:443'] }, again.id);
    expect(changed.state).toBe('recreated');

    // The reaper handles workers and games only: the gateway of its own instance stays.
    const report = await reapContainers({
      docker,
      labels: { 'gamepocgen.instance': instance },
      slotOwner: async () => null,
    });
    expect(report.actions).toEqual([]);
    expect((await docker.getContainer(changed.id).inspect()).State.Running).toBe(true);
    // down-containers removes everything of the instance, the gateway included.
    expect(await removeInstanceContainers(docker, instance)).toEqual([`${run.id}-gw2`]);
  }, 600_000);
});
