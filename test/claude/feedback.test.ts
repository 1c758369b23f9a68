// Feedback with AGENT=claude: the real service drives the real Claude Code CLI
// (as an unprivileged user) against the scripted model server. A player's
// feedback — "make the player red" (or blue: two concurrent posts start one
// run, and either may win) — reaches the repair prompt; the scripted model
// edits the game as asked; the new version is kept, served on the same slot,
// and the paddle has the asked colour in Chromium.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../browser/harness.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { startModelServer, type ModelServer, type Scenario } from '../fixtures/model-server.ts';
import { act, happy, needsWorkspace, read, script, write } from '../fixtures/scenarios/index.ts';
import { GAME_JS } from '../fixtures/scenarios/artifacts.ts';
import { API_KEY, HAVE_CLAUDE, cleanupTempDirs, tempDir } from './helpers.ts';

const paddle = (hex: string) => `ctx.fillStyle = '${hex}'; ctx.fillRect(paddle.x`;
const ORANGE_PADDLE = paddle('#ff7a59');
/** What each request asks for, and the paddle colour (as RGB) a model that understood it draws. */
const ASKS = {
  red: { feedback: 'make the player red', hex: '#ff0000', rgb: [255, 0, 0] },
  blue: { feedback: 'make the player blue', hex: '#0000ff', rgb: [0, 0, 255] },
} as const;

/** The happy path, and a repair that recolours the paddle as the player asked (the words are in its prompt). */
const recolourOnRequest: Scenario = (turn) => {
  const ask = Object.values(ASKS).find((a) => turn.humanText.includes(a.feedback));
  if (turn.phase !== 5 || !ask) return happy(turn);
  const ws = needsWorkspace(turn);
  return script(turn, [
    act(read(ws, 'dist/game.js')),
    act(write(ws, 'dist/game.js', GAME_JS.replace(ORANGE_PADDLE, paddle(ask.hex)))),
  ]);
};

type Feedback = { id: number; status: string; feedback: string; outcome: string | null };

describe.skipIf(!HAVE_CLAUDE)('feedback with AGENT=claude and the scripted model (real CLI, real service)', () => {
  let server: ModelServer;
  let h: Harness;
  let jobId: number;
  let slot: number;
  let asked: (typeof ASKS)[keyof typeof ASKS] | undefined;
  const post = (pathname: string, body?: unknown) =>
    h.api(pathname, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.service.apiToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startModelServer({ scenario: recolourOnRequest });
    h = await createHarness({
      AGENT: 'claude',
      RUNTIME: 'local',
      ALLOW_UNSANDBOXED: '1',
      LLM_BASE_URL: server.url,
      LLM_API_KEY: API_KEY,
      MODEL: 'glm-4.6',
      MAX_TURNS: '10',
      PHASE_TIMEOUT_SECONDS: '60',
      // Workspaces under a world-traversable dir: as root, the CLI runs as an unprivileged user.
      WORKSPACE_ROOT: await tempDir('feedback'),
    });
    const res = await post('/api/generate', { idea: 'a lantern that breaks fog bricks', seed: 3 });
    expect(res.status).toBe(201);
    jobId = ((await res.json()) as { jobIds: number[] }).jobIds[0]!;
    const done = await h.waitForJob(jobId, ['deployed', 'failed'], 90_000);
    expect(done.error).toBeNull();
    slot = done.slot!;
  }, 150_000);
  afterAll(async () => {
    await h?.close();
    await server?.close();
    await cleanupTempDirs();
  });

  it('two concurrent posts start one repair run; the CLI makes the asked change and the slot serves it', async () => {
    expect(GAME_JS).toContain(ORANGE_PADDLE); // the line the scripted repair edits
    expect((await h.fetchSlot(slot, '/game.js')).body).toContain(ORANGE_PADDLE);
    const [a, b] = await Promise.all([
      post(`/api/jobs/${jobId}/feedback`, { feedback: ASKS.red.feedback }),
      post(`/api/jobs/${jobId}/feedback`, { feedback: ASKS.blue.feedback }),
    ]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    const accepted = (await (a.status === 202 ? a : b).json()) as { feedback: Feedback };
    const refused = (await (a.status === 409 ? a : b).json()) as { error: { code: string } };
    expect(refused.error.code).toBe('change_in_progress');
    // Either post may win the row lock; the winner's words are the change that must arrive.
    asked = Object.values(ASKS).find((x) => x.feedback === accepted.feedback.feedback);
    const other = asked === ASKS.red ? ASKS.blue : ASKS.red;
    expect(asked).toBeDefined();

    const settled = await (async () => {
      for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
        const { feedback } = (await (await h.api(`/api/jobs/${jobId}/feedback`)).json()) as { feedback: Feedback[] };
        if (feedback[0] && !['queued', 'running'].includes(feedback[0].status)) return feedback;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('the feedback never settled');
    })();
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatchObject({ status: 'kept', feedback: asked!.feedback });

    // One repair run, whose prompt carried the winner's words, and only those, to the model.
    const runs = await h.service.db.query('select status from gamepocgen.phase_runs where job_id = $1 and phase = 5', [
      jobId,
    ]);
    expect(runs.rows).toEqual([{ status: 'completed' }]);
    const repairTurns = server.messageRequests().filter((r) => r.turn?.phase === 5);
    expect(repairTurns[0]!.turn!.humanText).toContain(asked!.feedback);
    expect(repairTurns.some((r) => r.turn!.humanText.includes(other.feedback))).toBe(false);

    const served = (await h.fetchSlot(slot, '/game.js')).body;
    expect(served).toContain(paddle(asked!.hex));
    expect(served).not.toContain(ORANGE_PADDLE);
  }, 150_000);

  it.skipIf(!chromiumAvailable())('the new version plays in Chromium with the paddle in the asked colour', async () => {
    expect(asked).toBeDefined(); // set by the test above
    const browser: Browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`http://gamedemo${slot}.localhost:${h.service.port}/`);
      await page.waitForFunction(() => (window as any).__game?.frames > 2);
      const rgb = await page.evaluate(() => {
        const c = document.querySelector('canvas')!;
        const x = Math.round((window as any).__game.paddleX + 45);
        return [...c.getContext('2d')!.getImageData(x, 456, 1, 1).data.slice(0, 3)];
      });
      expect(rgb).toEqual(asked!.rgb);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
