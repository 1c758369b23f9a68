// A whole job on the production path, minus Postgres: the four phases of the
// builtin agent each in its own container running the real worker/entrypoint.ts,
// then the build deployed to a slot container and fetched over 127.0.0.1.
// (The Postgres-driven version of this, through tasks/, is the spine's suite.)
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Design, Idea, Plan, type PhaseNumber } from '../../lib/artifacts.ts';
import { createDockerDeployer } from '../../lib/deployers/docker.ts';
import { createDockerRuntime } from '../../lib/runtimes/docker.ts';
import type { WorkerLine } from '../../lib/worker-protocol/lines.ts';
import {
  containersOf,
  eventually,
  fetchText,
  probeEngine,
  startRun,
  STATIC_TEST_IMAGE,
  WORKER_TEST_IMAGE,
  type TestRun,
} from './helpers.ts';

const engine = await probeEngine();
const hasBuiltin = existsSync(path.resolve(import.meta.dirname, '../../lib/agents/builtin/index.ts'));
if (!hasBuiltin) console.warn('[test/docker] full job skipped: lib/agents/builtin is not there yet');

describe.skipIf(!engine.available || !hasBuiltin)('a full job on the docker runtime and docker deploy', () => {
  const { docker } = engine;
  let run: TestRun;
  beforeAll(async () => {
    run = await startRun(docker, 'fulljob');
  });
  afterAll(async () => run?.cleanup());

  it('runs idea → design → plan → build in four containers and serves the game from its slot container', async () => {
    const root = path.join(run.tmp, 'workspaces');
    const ws = path.join(root, 'job-77');
    await mkdir(ws, { recursive: true });
    await writeFile(
      path.join(ws, 'input.json'),
      JSON.stringify({
        jobId: 77,
        idea: 'a cozy fishing roguelite',
        genre: null,
        seed: 1234,
        existingTitles: [],
        feedback: null,
      }),
    );
    const runtime = createDockerRuntime({
      docker,
      image: WORKER_TEST_IMAGE,
      workspaceRoot: root,
      labels: run.labels,
      namePrefix: `${run.id}-`,
      removeContainers: false,
    });
    const seenContainers = new Set<string>();
    for (const phase of [1, 2, 3, 4] as PhaseNumber[]) {
      const lines: WorkerLine[] = [];
      const outcome = await runtime.runPhase({
        jobId: 77,
        phase,
        gameName: 'cozy-fishing',
        workspaceDir: ws,
        timeoutSeconds: 120,
        env: { AGENT: 'builtin' },
        onLine: (l) => lines.push(l),
      });
      expect(outcome, `phase ${phase}: ${JSON.stringify(lines.slice(-3))}`).toMatchObject({
        status: 'completed',
        exitCode: 0,
        error: null,
      });
      expect(lines.length).toBeGreaterThan(0);
      const status = JSON.parse(await readFile(path.join(ws, 'status', `${phase}.json`), 'utf8'));
      expect(status).toMatchObject({ phase, status: 'completed', agent: 'builtin' });
      const mine = await containersOf(docker, run, ['gamepocgen.job=77', `gamepocgen.phase=${phase}`]);
      expect(mine).toHaveLength(1);
      seenContainers.add(mine[0].Id);
    }
    expect(seenContainers.size).toBe(4); // one container per phase
    Idea.parse(JSON.parse(await readFile(path.join(ws, 'idea.json'), 'utf8')));
    Design.parse(JSON.parse(await readFile(path.join(ws, 'design.json'), 'utf8')));
    Plan.parse(JSON.parse(await readFile(path.join(ws, 'plan.json'), 'utf8')));
    const indexHtml = await readFile(path.join(ws, 'dist', 'index.html'), 'utf8');

    const network = `${run.id}-traefik`;
    run.networks.push(network);
    const deployer = createDockerDeployer({
      docker,
      image: STATIC_TEST_IMAGE,
      network,
      domain: 'example.test',
      deployDir: path.join(run.tmp, 'deploy'),
      namePrefix: `${run.id.replace(/[^a-z0-9]/g, '')}s`,
      publishLoopback: true,
      labels: run.labels,
    });
    const { url } = await deployer.publish({ slot: 0, jobId: 77, sourceDir: path.join(ws, 'dist') });
    expect(url).toMatch(/^https:\/\/[a-z0-9]+s0\.example\.test\/$/);
    const local = (await deployer.localUrl(0))!;
    const page = await eventually(async () => {
      const r = await fetchText(local).catch(() => null);
      return r?.status === 200 ? r : null;
    });
    expect(page.body).toBe(indexHtml);
    // Every script the page loads by relative path is served too.
    const scripts = [...indexHtml.matchAll(/<script[^>]+src="([^"]+)"/g)]
      .map((m) => m[1])
      .filter((s) => !/^[a-z]+:/.test(s));
    for (const src of scripts) expect((await fetchText(new URL(src, local).href)).status, src).toBe(200);
  }, 300_000);
});
