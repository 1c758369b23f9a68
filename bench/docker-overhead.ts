// Container-phase overhead: what one phase costs on the docker runtime
// (create → attach → start → wait → logs delivered; removal then runs in the
// background) against `docker run --rm` of the same image, command and mounts,
// measured in rotation in the same run so all see the same engine state. The
// like-for-like cycle that also waits for removal is reported beside it.
// Target: the runtime's median within 1.2× of `docker run --rm`'s.
// Run directly: npx node bench/docker-overhead.ts [--iterations N]
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { createDockerRuntime } from '../lib/runtimes/docker.ts';
import type { WorkerLine } from '../lib/worker-protocol/lines.ts';
import { ensureTestImages, WORKER_TEST_IMAGE } from '../support/docker-images.ts';

const run = promisify(execFile);
const COMMAND = ['node', '/app/test/fixtures/docker/fake-worker.mjs'];
/** The runtime's container settings (lib/docker/worker-spec.ts) as CLI flags, so both sides start the same container. */
const HARDENING = [
  '--network',
  'none',
  '--user',
  '1001:1001',
  '--read-only',
  '--tmpfs',
  '/tmp:rw,nosuid,nodev,size=512m,mode=1777',
  '--tmpfs',
  '/home/claude:rw,nosuid,nodev,size=256m,uid=1001,gid=1001,mode=0700',
  '--cap-drop',
  'ALL',
  '--security-opt',
  'no-new-privileges:true',
  '--memory',
  '2g',
  '--memory-swap',
  '2g',
  '--cpus',
  '1',
  '--pids-limit',
  '512',
  '--ipc',
  'private',
  '--log-driver',
  'json-file',
  '--log-opt',
  'max-size=20m',
  '--log-opt',
  'max-file=1',
];

export interface Figures {
  medianMs: number;
  meanMs: number;
  p90Ms: number;
  minMs: number;
}

export interface DockerOverheadResult {
  image: string;
  iterations: number;
  /** runPhase until the outcome and every log line are delivered (removal continues in the background). */
  runtime: Figures;
  /** The same, waiting for the container's removal too (awaitRemoval). */
  runtimeWithRemoval: Figures;
  dockerRunRm: Figures;
  /** runtime median / docker run --rm median. */
  ratio: number;
  /** runtimeWithRemoval median / docker run --rm median: the like-for-like cycle. */
  ratioWithRemoval: number;
  target: number;
  withinTarget: boolean;
}

function figures(samples: number[]): Figures {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    medianMs: round(at(0.5)),
    meanMs: round(s.reduce((a, b) => a + b, 0) / s.length),
    p90Ms: round(at(0.9)),
    minMs: round(s[0]),
  };
}

export async function measureDockerOverhead(
  opts: { docker?: Docker; image?: string; iterations?: number; log?: (line: string) => void } = {},
): Promise<DockerOverheadResult> {
  const docker = opts.docker ?? new Docker();
  const iterations = opts.iterations ?? 15;
  const log = opts.log ?? (() => {});
  let image = opts.image;
  if (!image) {
    await ensureTestImages({ log });
    image = WORKER_TEST_IMAGE;
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'gpg-bench-docker-'));
  const base = {
    docker,
    image,
    workspaceRoot: root,
    command: COMMAND,
    namePrefix: 'gpg-bench-',
    labels: { 'gamepocgen.bench': 'docker-overhead' },
  };
  const runtime = createDockerRuntime(base);
  const runtimeAwaiting = createDockerRuntime({ ...base, awaitRemoval: true });
  const viaRuntime: number[] = [];
  const viaRuntimeRemoved: number[] = [];
  const viaCli: number[] = [];
  try {
    let job = 1;
    const phase = async (rt = runtime) => {
      const ws = path.join(root, `job-${job}`);
      await mkdir(ws);
      const stored: WorkerLine[] = [];
      const t0 = performance.now();
      const outcome = await rt.runPhase({
        jobId: job++,
        phase: 1,
        gameName: 'bench',
        workspaceDir: ws,
        timeoutSeconds: 60,
        env: { FAKE_MODE: 'quick' },
        onLine: (l) => stored.push(l),
      });
      const ms = performance.now() - t0;
      if (outcome.status !== 'completed' || stored.length !== 1)
        throw new Error(`bench phase failed: ${JSON.stringify(outcome)} lines=${stored.length}`);
      return ms;
    };
    const dockerRun = async () => {
      const ws = path.join(root, `cli-${job++}`);
      await mkdir(ws);
      const t0 = performance.now();
      const { stdout } = await run('docker', [
        'run',
        '--rm',
        ...HARDENING,
        '-v',
        `${ws}:/workspace:rw`,
        '-e',
        'FAKE_MODE=quick',
        '-e',
        'WORKSPACE_DIR=/workspace',
        image,
        ...COMMAND,
      ]);
      const ms = performance.now() - t0;
      if (!stdout.includes('"quick"')) throw new Error(`docker run printed ${stdout}`);
      return ms;
    };
    // Warm-up: first create of an image on vfs pays one-off costs.
    await phase();
    await dockerRun();
    const steps = [
      async () => viaRuntime.push(await phase()),
      async () => viaRuntimeRemoved.push(await phase(runtimeAwaiting)),
      async () => viaCli.push(await dockerRun()),
    ];
    for (let i = 0; i < iterations; i++) {
      // Rotate the order so no side always runs on a freshly-idle engine.
      for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]();
      await runtime.close?.(); // settle background removals outside the timed sections
      log(
        `iteration ${i + 1}/${iterations}: runtime ${viaRuntime.at(-1)!.toFixed(0)} ms, with removal ${viaRuntimeRemoved.at(-1)!.toFixed(0)} ms, docker run --rm ${viaCli.at(-1)!.toFixed(0)} ms`,
      );
    }
  } finally {
    await runtime.close?.();
    await rm(root, { recursive: true, force: true });
  }
  const rt = figures(viaRuntime);
  const rtRemoved = figures(viaRuntimeRemoved);
  const cli = figures(viaCli);
  const ratio = Math.round((rt.medianMs / cli.medianMs) * 100) / 100;
  const ratioWithRemoval = Math.round((rtRemoved.medianMs / cli.medianMs) * 100) / 100;
  return {
    image,
    iterations,
    runtime: rt,
    runtimeWithRemoval: rtRemoved,
    dockerRunRm: cli,
    ratio,
    ratioWithRemoval,
    target: 1.2,
    withinTarget: ratio <= 1.2,
  };
}

if (import.meta.main) {
  const i = process.argv.indexOf('--iterations');
  const result = await measureDockerOverhead({
    iterations: i > 0 ? Number(process.argv[i + 1]) : undefined,
    log: (l) => console.error(`[docker-overhead] ${l}`),
  });
  console.log(JSON.stringify(result, null, 2));
  process.exitCode = result.withinTarget ? 0 : 1;
}
