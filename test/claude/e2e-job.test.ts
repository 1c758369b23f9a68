// A whole job with AGENT=claude: the real service (API + task runner + local
// runtime + local deployer, real Postgres) drives the real Claude Code CLI
// against the scripted model server through all four phases; the game deploys
// to a slot and plays in Chromium; the key is nowhere the service keeps or shows.
import { readdir, readlink } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../browser/harness.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { startModelServer, type ModelServer } from '../fixtures/model-server.ts';
import { HAPPY_FILES, happy } from '../fixtures/scenarios/index.ts';
import { IDEA } from '../fixtures/scenarios/artifacts.ts';
import { API_KEY, HAVE_CLAUDE, cleanupTempDirs, tempDir } from './helpers.ts';

/** Chromium is required in CI (chromiumAvailable throws there); locally its absence skips the play check. */
const HAVE_CHROMIUM = chromiumAvailable();

type Event = { kind: string; message: string; phase: number | null; data: Record<string, unknown> | null };
type JobBody = {
  job: {
    status: string;
    slot: number;
    url: string;
    title: string;
    error: string | null;
    usage: Record<string, number>;
    phases: { phase: number; status: string; usage: Record<string, number> }[];
    artifacts: { path: string }[];
  };
};

describe.skipIf(!HAVE_CLAUDE)('a whole job with AGENT=claude and the scripted model (real CLI, real service)', () => {
  let server: ModelServer;
  let h: Harness;
  let jobId: number;
  let job: JobBody['job'];
  let events: Event[];
  let workspaceRoot: string;

  beforeAll(async () => {
    server = await startModelServer({ scenario: happy });
    // Workspaces under a world-traversable dir: as root, the CLI runs as an unprivileged user.
    workspaceRoot = await tempDir('e2e');
    h = await createHarness({
      AGENT: 'claude',
      RUNTIME: 'local',
      ALLOW_UNSANDBOXED: '1',
      LLM_BASE_URL: server.url,
      LLM_API_KEY: API_KEY,
      MODEL: 'glm-4.6',
      MAX_TURNS: '10',
      PHASE_TIMEOUT_SECONDS: '60',
      WORKSPACE_ROOT: workspaceRoot,
    });
    const res = await h.api('/api/generate', {
      method: 'POST',
      headers: { authorization: `Bearer ${h.service.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idea: 'a lantern that breaks fog bricks', seed: 3 }),
    });
    expect(res.status).toBe(201);
    jobId = ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
    const done = await h.waitForJob(jobId, ['deployed', 'failed'], 90_000);
    expect(done.error).toBeNull();
    job = ((await (await h.api(`/api/jobs/${jobId}`)).json()) as JobBody).job;
    events = ((await (await h.api(`/api/jobs/${jobId}/logs`)).json()) as { events: Event[] }).events;
  }, 150_000);
  afterAll(async () => {
    await h?.close();
    await server?.close();
    await cleanupTempDirs();
  });

  it('completes all four phases with the artifacts the CLI wrote, and deploys', () => {
    expect(job.status).toBe('deployed');
    expect(job.title).toBe(IDEA.title);
    expect(job.phases.map((p) => [p.phase, p.status])).toEqual([
      [1, 'completed'],
      [2, 'completed'],
      [3, 'completed'],
      [4, 'completed'],
    ]);
    const paths = job.artifacts.map((a) => a.path);
    for (const p of HAPPY_FILES) expect(paths).toContain(p);
    // Every phase went through the model server, with its own prompt.
    expect([...new Set(server.messageRequests().map((r) => r.turn!.phase))]).toEqual([1, 2, 3, 4]);
  });

  it("records the CLI's tool calls, text and usage as job events, and sums usage on the job", () => {
    const writes = events
      .filter((e) => e.kind === 'tool' && e.data?.tool === 'Write')
      .map((e) => [e.phase, e.data?.target]);
    expect(writes).toEqual([
      [1, 'idea.json'],
      [1, 'idea.md'],
      [2, 'design.json'],
      [2, 'design.md'],
      [3, 'plan.json'],
      [3, 'plan.md'],
      [4, 'dist/index.html'],
      [4, 'dist/game.js'],
    ]);
    expect(events.some((e) => e.kind === 'assistant' && e.phase === 4)).toBe(true);
    const usage = events.filter((e) => e.kind === 'usage');
    expect(usage.map((e) => e.phase)).toEqual([1, 2, 3, 4]);
    const sum = (k: string) => usage.reduce((n, e) => n + Number(e.data?.[k] ?? 0), 0);
    expect(job.usage.inputTokens).toBe(sum('inputTokens'));
    expect(job.usage.outputTokens).toBe(sum('outputTokens'));
    expect(job.usage.costUsd).toBeCloseTo(sum('costUsd'), 6);
    expect(job.usage.inputTokens).toBeGreaterThan(0);
    for (const p of job.phases) expect(p.usage.inputTokens).toBeGreaterThan(0);
  });

  it.skipIf(!HAVE_CHROMIUM)(
    'plays: the deployed game draws on its canvas and reacts to keys, without console errors',
    async () => {
      const browser: Browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`http://gamedemo${job.slot}.localhost:${h.service.port}/`);
        await page.waitForTimeout(300);
        const snapshot = () =>
          page.evaluate(() => {
            const c = document.querySelector('canvas')!;
            const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            const colours = new Set<number>();
            for (let i = 0; i < data.length; i += 4 * 97)
              colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
            return { colours: colours.size };
          });
        expect((await snapshot()).colours).toBeGreaterThan(2);
        const game = () =>
          page.evaluate(() => {
            const g = (window as unknown as { __game: { frames: number; paddleX: number } }).__game;
            return { frames: g.frames, paddleX: g.paddleX };
          });
        const before = await game();
        await page.keyboard.down('ArrowRight');
        await page.waitForTimeout(400);
        await page.keyboard.up('ArrowRight');
        const after = await game();
        expect(after.frames).toBeGreaterThan(before.frames);
        expect(after.paddleX).toBeGreaterThan(before.paddleX);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  it('keeps the API key out of events, job rows, phase runs, artifacts and API responses', async () => {
    const responses = [
      await (await h.api(`/api/jobs/${jobId}`)).text(),
      await (await h.api(`/api/jobs/${jobId}/logs`)).text(),
      await (await h.api('/api/jobs')).text(),
    ];
    for (const a of job.artifacts) responses.push(await (await h.api(`/api/jobs/${jobId}/artifacts/${a.path}`)).text());
    for (const body of responses) expect(body).not.toContain(API_KEY);
    for (const table of ['jobs', 'phase_runs', 'job_events', 'artifacts']) {
      const { rows } = await h.service.db.query(
        `select count(*)::int n from gamepocgen.${table} t where row_to_json(t)::text like '%' || $1 || '%'`,
        [API_KEY],
      );
      expect(rows[0].n, table).toBe(0);
    }
    const { rows } = await h.service.db.query(
      `select count(*)::int n from gamepocgen.artifacts where position(convert_to($1, 'utf8') in bytes) > 0`,
      [API_KEY],
    );
    expect(rows[0].n).toBe(0);
    // And the model server did receive it, as the bearer token: the check above is meaningful.
    expect(server.messageRequests()[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('removed its scratch workspaces and left no CLI process running', async () => {
    expect(await readdir(workspaceRoot).catch(() => [])).toEqual([]);
    for (const name of await readdir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const cwd = await readlink(`/proc/${name}/cwd`).catch(() => '');
      expect(cwd.startsWith(workspaceRoot), `process ${name} still in ${cwd}`).toBe(false);
    }
  });
});
