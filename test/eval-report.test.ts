// The eval's pure parts: the verdict definition (bench/eval/report.ts, stated in
// docs/llm.md), the totals, the shipped suite, the table and the comparison of
// two reports, and the command's handling of bad input (exit 2, a readable reason).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SUITE, evalCommand } from '../bench/eval/main.ts';
import { type EvalGame, EvalReport, totalsOf, verdictOf } from '../bench/eval/report.ts';
import { loadSuite, SuiteError } from '../bench/eval/suite.ts';
import { formatComparison, formatReport } from '../bench/eval/table.ts';
import { GENRES } from '../lib/artifacts.ts';

const kp = (passed: boolean | null) => ({ passed });
const played = (
  over: Partial<{ passed: boolean; score: number; failed: string[]; rubric: { passed: boolean | null }[] }>,
) => ({
  status: 'deployed',
  playtest: { passed: true, score: 100, failed: [], rubric: [kp(true), kp(true), kp(true)], ...over },
});

describe('verdictOf', () => {
  it('is unusable when no game is served, none was play-tested, or a required check failed', () => {
    expect(verdictOf({ status: 'failed', playtest: null })).toEqual({
      verdict: 'unusable',
      reason: 'the job ended failed, no game is served',
    });
    expect(verdictOf({ status: 'deployed', playtest: null }).verdict).toBe('unusable');
    expect(verdictOf(played({ passed: false, score: 40, failed: ['isGame', 'inputReal'] }))).toEqual({
      verdict: 'unusable',
      reason: 'the play-test failed: isGame, inputReal',
    });
  });

  it('is unusable when a game passes its checks but fewer than half its verified keypoints hold', () => {
    expect(verdictOf(played({ rubric: [kp(true), kp(false), kp(false)] }))).toEqual({
      verdict: 'unusable',
      reason: 'passed its checks but only 1/3 keypoints pass',
    });
  });

  it('is excellent only when it passed with score ≥ 95 and every keypoint was verified and holds', () => {
    expect(verdictOf(played({})).verdict).toBe('excellent');
    expect(verdictOf(played({ score: 97, failed: ['hudMatches'] })).verdict).toBe('excellent');
  });

  it('is usable otherwise, saying what kept it from excellent', () => {
    expect(verdictOf(played({ score: 93, failed: ['fits', 'matchesIdea'] }))).toEqual({
      verdict: 'usable',
      reason: 'passed; not excellent: score 93 < 95 (fits, matchesIdea)',
    });
    expect(verdictOf(played({ rubric: [kp(true), kp(true), kp(null)] }))).toEqual({
      verdict: 'usable',
      reason: 'passed; not excellent: 1 keypoint(s) not verified',
    });
    expect(verdictOf(played({ rubric: [kp(true), kp(true), kp(false)] })).reason).toBe(
      'passed; not excellent: 1 keypoint(s) fail',
    );
    expect(verdictOf(played({ rubric: [] })).reason).toBe('passed; not excellent: the design has no keypoints');
  });
});

const game = (id: string, over: Partial<EvalGame> = {}): EvalGame => ({
  id,
  idea: `idea ${id}`,
  provider: null,
  expectedKit: 'runner',
  jobId: 1,
  status: 'deployed',
  title: 'T',
  kit: 'runner',
  verdict: 'excellent',
  reason: 'passed, score 100, 3/3 keypoints pass',
  passed: true,
  score: 100,
  failedChecks: [],
  defects: [],
  rubric: { passed: 3, verified: 3, total: 3, passRate: 1 },
  repairs: 0,
  rounds: 1,
  tokens: null,
  costUsd: null,
  seconds: 10,
  error: null,
  ...over,
});

const report = (games: EvalGame[], over: Partial<EvalReport> = {}): EvalReport =>
  EvalReport.parse({
    version: 1,
    suite: 'test',
    agent: 'builtin',
    provider: null,
    model: null,
    startedAt: '2026-12-01T15:00:00.000Z',
    wallSeconds: 30,
    settings: { maxConcurrent: 3, qualityThreshold: 70, maxRepairs: 3 },
    games,
    totals: totalsOf(games),
    ...over,
  });

describe('totals and the table', () => {
  const bad = game('bad', {
    verdict: 'unusable',
    reason: 'the play-test failed: loads',
    passed: false,
    score: 40,
    failedChecks: ['loads'],
    defects: ['loads: uncaught error 0.2 s after opening, before play: Error: boom'],
    rubric: { passed: 0, verified: 0, total: 3, passRate: null },
    repairs: 2,
    seconds: 20,
  });

  it('pools the rubric over verified keypoints and says n/a for usage the agent never reported', () => {
    const t = totalsOf([game('a'), bad, game('c', { rubric: { passed: 1, verified: 2, total: 3, passRate: 0.5 } })]);
    expect(t).toMatchObject({ games: 3, excellent: 2, unusable: 1, usable: 0, passed: 2, repairs: 2 });
    expect(t.meanScore).toBe(80);
    expect(t.rubricPassRate).toBeCloseTo(4 / 5);
    expect(t.tokens).toBeNull();
    expect(t.costUsd).toBeNull();
    expect(t.gameSeconds).toBe(40);
    const withUsage = totalsOf([game('a', { tokens: { input: 10, output: 5 }, costUsd: 0.5 }), bad]);
    expect(withUsage.tokens).toEqual({ input: 10, output: 5 });
    expect(withUsage.costUsd).toBe(0.5);
  });

  it('prints one row per game, the totals and why each game is not excellent', () => {
    const text = formatReport(report([game('good'), bad]));
    expect(text).toMatch(/^good\s+runner→runner\s+excellent\s+yes\s+100\s+3\/3\/3 100%\s+0\s+n\/a\s+n\/a\s+10\.0s$/m);
    expect(text).toMatch(/^bad\s+runner→runner\s+unusable\s+no\s+40\s+0\/0\/3 n\/a\s+2\s+n\/a\s+n\/a\s+20\.0s$/m);
    expect(text).toContain('games 2: excellent 1, usable 0, unusable 1; play-test passed 1/2');
    expect(text).toContain('  bad: the play-test failed: loads\n    - loads: uncaught error 0.2 s after opening');
    expect(text).not.toContain('  good:');
  });

  it('compares two reports idea by idea and in total', () => {
    const a = report([game('same'), bad, game('gone')]);
    const b = report(
      [
        game('same', { score: 97, rubric: { passed: 2, verified: 3, total: 3, passRate: 2 / 3 }, seconds: 12.5 }),
        game('bad', { repairs: 1 }),
        game('new'),
      ],
      { agent: 'claude', provider: 'zai:glm-4.6', wallSeconds: 20 },
    );
    const text = formatComparison(a, b, ['a.json', 'b.json']);
    expect(text).toContain('compare a.json (builtin, test) → b.json (claude zai:glm-4.6, test)');
    expect(text).toMatch(/^same\s+excellent\s+-3\s+-33 pts\s+0\s+\+2\.5s$/m);
    expect(text).toMatch(/^bad\s+unusable→excellent\s+\+60\s+n\/a→100\s+-1\s+-10\.0s$/m);
    expect(text).toMatch(/^gone\s+excellent→\(absent\)$/m);
    expect(text).toMatch(/^new\s+\(absent\)→excellent$/m);
    expect(text).toContain('excellent +1, usable 0, unusable -1, passed +1');
    expect(text).toContain('wall -10.0s');
  });
});

describe('two providers in one report', () => {
  const zai = game('x', {
    provider: 'zai:glm-4.6',
    score: 90,
    verdict: 'usable',
    reason: 'passed; not excellent: score 90 < 95 (fits)',
  });
  const sonnet = game('x', { provider: 'anthropic:claude-sonnet-4-5' });
  const both = (games: EvalGame[]) =>
    report(games, {
      agent: 'claude',
      providers: ['zai:glm-4.6', 'anthropic:claude-sonnet-4-5'],
      byProvider: [
        { provider: 'zai:glm-4.6', totals: totalsOf(games.filter((g) => g.provider === 'zai:glm-4.6')) },
        {
          provider: 'anthropic:claude-sonnet-4-5',
          totals: totalsOf(games.filter((g) => g.provider === 'anthropic:claude-sonnet-4-5')),
        },
      ],
    });

  it('prints a provider column, the totals of each provider, and names the provider of a game not excellent', () => {
    const text = formatReport(both([zai, sonnet]));
    expect(text).toMatch(/^eval test: agent claude \(zai:glm-4\.6 vs anthropic:claude-sonnet-4-5\)/);
    expect(text).toMatch(/^x\s+zai:glm-4\.6\s+runner→runner\s+usable\s+yes\s+90\s/m);
    expect(text).toMatch(/^x\s+anthropic:claude-sonnet-4-5\s+runner→runner\s+excellent\s+yes\s+100\s/m);
    expect(text).toMatch(/^zai:glm-4\.6:\n {2}games 1: excellent 0, usable 1, unusable 0/m);
    expect(text).toMatch(/^anthropic:claude-sonnet-4-5:\n {2}games 1: excellent 1, usable 0, unusable 0/m);
    expect(text).toContain('  x@zai:glm-4.6: passed; not excellent');
    // Control: a one-provider report has neither the column nor the per-provider blocks.
    expect(formatReport(report([game('x')]))).not.toMatch(/provider|zai/);
  });

  it('--compare matches games by idea and provider when a report holds several', () => {
    const later = both([{ ...zai, score: 96, verdict: 'excellent' }, sonnet]);
    const text = formatComparison(both([zai, sonnet]), later);
    expect(text).toMatch(/^x@zai:glm-4\.6\s+usable→excellent\s+\+6\s/m);
    expect(text).toMatch(/^x@anthropic:claude-sonnet-4-5\s+excellent\s+0\s/m);
  });
});

describe('the suite', () => {
  it('ships ≥ 24 ideas covering every kit and some that fit no kit', async () => {
    const suite = await loadSuite(DEFAULT_SUITE);
    expect(suite.ideas.length).toBeGreaterThanOrEqual(24);
    for (const kit of [...GENRES, 'none']) expect(suite.ideas.filter((i) => i.kit === kit).length).toBeGreaterThan(0);
  });
});

describe('npm run eval: bad input', () => {
  let dir: string;
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  const out = vi.spyOn(console, 'log').mockImplementation(() => {});
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-eval-'));
  });
  afterAll(async () => {
    err.mockRestore();
    out.mockRestore();
    await rm(dir, { recursive: true, force: true });
  });
  const said = () => err.mock.calls.map((c) => String(c[0])).join('\n');

  it('refuses a suite that breaks the schema, naming the file and the field', async () => {
    const file = path.join(dir, 'bad-suite.json');
    await writeFile(
      file,
      JSON.stringify({ name: 'x', ideas: [{ id: 'Bad Id', idea: 'a game', kit: 'rpg', seed: 1 }] }),
    );
    await expect(loadSuite(file)).rejects.toThrow(SuiteError);
    expect(await evalCommand(['--suite', file], {})).toBe(2);
    expect(said()).toMatch(
      /suite .*bad-suite\.json is invalid: ideas\.0\.id: must be a lowercase kebab-case id; ideas\.0\.kit/,
    );
  });

  it('refuses an unknown agent, a provider for the builtin agent, and a bad provider spec', async () => {
    expect(await evalCommand(['--agent', 'gpt'], {})).toBe(2);
    expect(said()).toContain('--agent must be builtin or claude, not gpt');
    const suite = path.join(dir, 'one.json');
    await writeFile(suite, JSON.stringify({ name: 'one', ideas: [{ id: 'a', idea: 'a game', kit: 'none', seed: 1 }] }));
    expect(await evalCommand(['--suite', suite, '--provider', 'zai:glm-4.6'], {})).toBe(2);
    expect(said()).toContain('--provider needs --agent claude');
    expect(await evalCommand(['--suite', suite, '--agent', 'claude', '--provider', 'openai:gpt'], {})).toBe(2);
    expect(said()).toContain('must be "<provider>:<model>"');
    expect(await evalCommand(['--suite', suite, '--agent', 'claude', '--provider', 'zai:glm-4.6'], {})).toBe(2);
    expect(said()).toContain('needs ZAI_API_KEY');
    // Several providers: each is checked before anything starts, and none twice.
    const twice = ['--suite', suite, '--agent', 'claude', '--provider', 'zai:glm-4.6', '--provider', 'zai:glm-4.6'];
    expect(await evalCommand(twice, { ZAI_API_KEY: 'zk-1234567890' })).toBe(2);
    expect(said()).toContain('--provider zai:glm-4.6 is given twice');
    const second = [
      '--suite',
      suite,
      '--agent',
      'claude',
      '--provider',
      'zai:glm-4.6',
      '--provider',
      'anthropic:claude-x',
    ];
    expect(await evalCommand(second, { ZAI_API_KEY: 'zk-1234567890' })).toBe(2);
    expect(said()).toContain('needs ANTHROPIC_API_KEY');
  });

  it('compares two report files, and refuses a file that is not a report', async () => {
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    await writeFile(a, JSON.stringify(report([game('x')])));
    await writeFile(b, JSON.stringify(report([game('x', { score: 96 })])));
    expect(await evalCommand(['--compare', a, b], {})).toBe(0);
    expect(out.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/^x\s+excellent\s+-4\s/m);
    await writeFile(b, '{"version": 1}');
    expect(await evalCommand(['--compare', a, b], {})).toBe(2);
    expect(said()).toMatch(/report .*b\.json is not an eval report: suite: /);
    expect(await evalCommand(['--compare', a], {})).toBe(2);
    expect(said()).toContain('--compare takes two report files');
  });
});
