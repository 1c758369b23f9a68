// Shared set-up for the tests that need a real Docker engine. With CI set, an
// engine that does not answer is a failure (never a silent skip); without CI
// the suites skip and say why. Every run tags what it creates with a unique
// label and removes it afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { engineAnswers } from '../../lib/docker/client.ts';
import { removeNetwork } from '../../lib/docker/networks.ts';
import { ensureTestImages, STATIC_TEST_IMAGE, WORKER_TEST_IMAGE } from '../../support/docker-images.ts';

export { STATIC_TEST_IMAGE, WORKER_TEST_IMAGE };
export const RUN_LABEL = 'gamepocgen.test-run';

export interface Engine {
  available: boolean;
  reason: string;
  docker: Docker;
}

/** Asks the engine once per file. Throws under CI when it is unreachable. */
export async function probeEngine(): Promise<Engine> {
  const docker = new Docker();
  const available = await engineAnswers(docker, 3000);
  const reason = available
    ? ''
    : `the Docker engine does not answer at ${process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'} (run .ci/setup-docker.sh)`;
  if (!available && process.env.CI) throw new Error(`docker tests cannot run under CI: ${reason}`);
  if (!available) console.warn(`[test/docker] SKIPPED: ${reason}`);
  return { available, reason, docker };
}

export interface TestRun {
  id: string;
  labels: Record<string, string>;
  tmp: string;
  networks: string[];
  cleanup(): Promise<void>;
}

/** A unique id, its label, a scratch dir; cleanup removes every container carrying the label, the networks and the dir. */
export async function startRun(docker: Docker, name: string): Promise<TestRun> {
  await ensureTestImages({ log: (l) => console.log(`[test/docker] ${l}`) });
  const id = `${name}-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const labels = { [RUN_LABEL]: id };
  const tmp = await mkdtemp(path.join(os.tmpdir(), `gpg-${name}-`));
  const run: TestRun = {
    id,
    labels,
    tmp,
    networks: [],
    async cleanup() {
      const left = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${id}`] } });
      await Promise.all(
        left.map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => {}),
        ),
      );
      for (const n of run.networks) await removeNetwork(docker, n);
      await rm(tmp, { recursive: true, force: true });
    },
  };
  return run;
}

export async function containersOf(docker: Docker, run: TestRun, extra: string[] = []) {
  return docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${run.id}`, ...extra] } });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET over loopback only; returns status and body (never throws on HTTP errors). */
export async function fetchText(url: string): Promise<{ status: number; body: string }> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`tests reach containers over 127.0.0.1 only, not ${url}`);
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text() };
}

/** Retries `fn` until it returns truthy or `ms` pass (a container's server takes a moment to listen). */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until)
      throw new Error(`condition not met within ${ms} ms${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(100);
  }
}
