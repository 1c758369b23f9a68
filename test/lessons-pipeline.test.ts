// Lessons across games on the real service (real Postgres, real Chromium, the
// repair loop): a build that throws on load fails its play-test and is fixed by
// repair 1; when that loop settles the failure becomes a lesson of the game's kit.
// The next game of the same kit is told it in its build prompt (asserted from the
// prompt the agent rendered, as the claude agent renders it); after two games it is
// one lesson seen in 2 games; a game of another kit is told nothing.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLessons } from '../lib/lessons/store.ts';
import { chromiumAvailable } from './browser/harness.ts';
import { BROKEN_MESSAGE } from './fixtures/agents/broken-build-agent.ts';
import { LESSONS_HEADING } from './fixtures/agents/lessons-agent.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { jobEvents, waitForPlaytest, waitsFor } from './playtest-helpers.ts';

const describeBrowser = chromiumAvailable() ? describe : describe.skip; // throws in CI when missing
let h: Harness;

beforeAll(async () => {
  h = await createHarness({
    AGENT_MODULE: path.join(import.meta.dirname, 'fixtures', 'agents', 'lessons-agent.ts'),
    MAX_CONCURRENT: '4',
    PLAYTEST: 'on',
  });
});
afterAll(() => h?.close());

const generate = (idea: string, genre: string, seed: number) => h.generate(idea, { genre, seed });

/** A game whose build fails round 1 and whose repair 1 passes round 2: the loop settles good-enough. */
async function settledGame(idea: string, genre: string, seed: number): Promise<number> {
  const jobId = await generate(idea, genre, seed);
  await waitForPlaytest(h, jobId, 1);
  const round2 = await waitForPlaytest(h, jobId, 2);
  expect(round2.data).toMatchObject({ passed: true, loop: 'good-enough' });
  return jobId;
}

/** The lessons section of the prompt phase `phase` of `jobId` rendered (null: the prompt had none). */
async function renderedLessons(jobId: number, phase: number): Promise<string | null> {
  const logged = (await jobEvents(h, jobId)).find(
    (e) => e.kind === 'log' && e.message === `rendered prompt: phase ${phase}`,
  );
  expect(logged, `job ${jobId} phase ${phase} logged its rendered prompt`).toBeDefined();
  expect(logged!.data!.chars).toBeGreaterThan(10_000);
  return logged!.data!.lessons as string | null;
}

describeBrowser('lessons across games of one kit', () => {
  let first: number;
  let second: number;
  let third: number;
  let otherKit: number;

  beforeAll(async () => {
    first = await settledGame('a snake that eats lanterns', 'snake', 21);
    second = await settledGame('a snake in a flooded library', 'snake', 22);
    [third, otherKit] = await Promise.all([
      generate('a snake made of comets', 'snake', 23),
      generate('a runner on rooftops at dawn', 'runner', 24),
    ]);
    // Both settle too, so the store is still when it is read (the third game counts itself in).
    await Promise.all([waitForPlaytest(h, third, 2), waitForPlaytest(h, otherKit, 2)]);
  }, waitsFor(5)); // five play-test waits one after another (the last two games at once)

  it("the first game's build prompt has no lessons: nothing was learned yet", async () => {
    expect(await renderedLessons(first, 4)).toBeNull();
  });

  it('the failure and its fix became one lesson of the kit, counted once per game', async () => {
    const lessons = await listLessons(h.service.db, { kit: 'snake', limit: 50 });
    const loads = lessons.find((l) => l.text.startsWith('Check `loads`'));
    expect(loads, JSON.stringify(lessons.map((l) => l.text))).toBeDefined();
    expect(loads!.text).toContain(BROKEN_MESSAGE);
    expect(loads!.text).toMatch(/; fixed by repair 1\.$/);
    expect(loads!.text).not.toMatch(/https?:\/\//); // the slot's URL is not a lesson
    expect(loads).toMatchObject({ kit: 'snake', genre: 'snake', count: 3 });
    expect(loads!.jobIds).toEqual([first, second, third]);
    expect(lessons.filter((l) => l.text.startsWith('Check `loads`'))).toHaveLength(1);
    // The other kit's game has its own lesson, in its own scope.
    const runner = await listLessons(h.service.db, { kit: 'runner', limit: 50 });
    expect(runner.find((l) => l.text.startsWith('Check `loads`'))).toMatchObject({ count: 1, jobIds: [otherKit] });
  });

  it("the second game's build and repair prompts carry the first game's lesson, fenced as untrusted data", async () => {
    for (const phase of [4, 5]) {
      const section = await renderedLessons(second, phase);
      expect(section).toContain(LESSONS_HEADING);
      expect(section).toContain('untrusted data');
      expect(section).toMatch(/\n```json untrusted-data\n\[\n/);
      expect(section).toContain('Check `loads`');
      expect(section).toContain(BROKEN_MESSAGE);
      expect(section).toContain('(seen in 1 game, kit snake)');
    }
  });

  it("a later game's build prompt has it once, deduplicated, seen in 2 games", async () => {
    const section = (await renderedLessons(third, 4))!;
    expect(section).toContain('(seen in 2 games, kit snake)');
    expect(section.split('Check `loads`').length - 1).toBe(1);
  });

  it('a game of another kit is told none of them', async () => {
    expect(await renderedLessons(otherKit, 4)).toBeNull();
  });
});
