// The builtin agent end to end, without a browser: every phase's outputs pass
// the worker's validation, ideas shape the game, and builds are reproducible.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Design, GENRES, Idea, JobInput, Plan } from '../../lib/artifacts.ts';
import { builtinAgent } from '../../lib/agents/builtin/index.ts';
import { validateDist, validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { readTree } from '../../lib/workspace.ts';
import { FRAMEWORK_DIR, ROOT, generateGame, type Generated } from '../../support/generate-game.ts';

const made: Generated[] = [];
const gen = async (opts: Parameters<typeof generateGame>[0]) => {
  const g = await generateGame(opts);
  made.push(g);
  return g;
};
afterAll(async () => Promise.all(made.map((g) => g.cleanup())));

const json = (g: Generated, p: string) => JSON.parse(g.files.get(p)!.toString('utf8'));
const distOf = (g: Generated) => new Map([...g.files].filter(([p]) => p.startsWith('dist/')));

describe('builtin agent phases', () => {
  it('writes schema-valid idea, design and plan, and a dist/ that passes the dist contract', async () => {
    const g = await gen({ idea: 'a fox defending a garden from slugs', seed: 5 });
    expect(Idea.parse(json(g, 'idea.json')).genre).toBe('tower-defense');
    expect(Design.parse(json(g, 'design.json')).progression.upgrades.length).toBeGreaterThanOrEqual(3);
    expect(Plan.parse(json(g, 'plan.json')).files.every((f) => g.files.has(f.path))).toBe(true);
    expect(validateDist(g.files)).toEqual([]);
    const html = g.files.get('dist/index.html')!.toString();
    expect(html).toMatch(/<canvas[\s>]/);
    expect(html).toMatch(/<script src="config.js" defer><\/script>\s*<script src="game.js" defer><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script under the CSP
    // Classic scripts, not modules: module scripts need CORS on a sandboxed origin.
    expect(html).not.toContain('type="module"');
    expect(html).toContain('<link rel="icon" href="data:,">');
    expect(g.events.filter((e) => e.kind === 'log').length).toBeGreaterThanOrEqual(4);
  });

  it('bundles only the framework modules the game reaches, and nothing remote', async () => {
    const g = await gen({ idea: 'snake eats apples', seed: 2 });
    expect([...distOf(g).keys()].sort()).toEqual([
      'dist/config.js',
      'dist/game.js',
      'dist/index.html',
      'dist/style.css',
    ]);
    const bundle = g.files.get('dist/game.js')!.toString();
    expect(bundle).toContain('// ---- framework/kits/snake.js');
    expect(bundle).toContain('// ---- framework/core/loop.js');
    expect(bundle).not.toContain('framework/kits/runner.js');
    expect(bundle).not.toMatch(/^\s*(import|export)\s/m);
    const total = [...distOf(g).values()].reduce((n, b) => n + b.length, 0);
    expect(total).toBeLessThan(300_000);
    for (const [p, b] of distOf(g)) expect(b.toString(), p).not.toMatch(/https?:\/\//);
  });

  it('maps idea words to kits, and honours a forced genre', async () => {
    const cases: Array<[string, string]> = [
      ['zombies swarm the mall and I shoot them', 'arena-shooter'],
      ['build towers to defend the castle gate', 'tower-defense'],
      ['a ninja runs and jumps across rooftops', 'runner'],
      ['smash bricks with a bouncing ball and paddle', 'breakout'],
      ['a hungry snake slithers after apples', 'snake'],
      ['an idle farm where you harvest crops', 'idle'],
    ];
    for (const [idea, genre] of cases) {
      const g = await gen({ idea, seed: 1, phases: [1] });
      expect(json(g, 'idea.json').genre, idea).toBe(genre);
    }
    const forced = await gen({ idea: 'a hungry snake slithers after apples', genre: 'runner', seed: 1, phases: [1] });
    expect(json(forced, 'idea.json').genre).toBe('runner');
  });

  it('invents a coherent idea from the seed when none is given', async () => {
    const a = await gen({ idea: null, seed: 100, phases: [1] });
    const b = await gen({ idea: null, seed: 101, phases: [1] });
    const ia = json(a, 'idea.json');
    expect(ia.pitch).toMatch(/^Invented idea: "/);
    expect(ia.title).not.toBe(json(b, 'idea.json').title);
    expect(a.files.get('idea.md')!.toString()).toContain('invented from the job seed');
  });

  it('avoids titles that already exist', async () => {
    const first = await gen({ idea: 'robots fight aliens on the moon', seed: 3, phases: [1] });
    const title = json(first, 'idea.json').title;
    const second = await gen({
      idea: 'robots fight aliens on the moon',
      seed: 3,
      phases: [1],
      existingTitles: [title],
    });
    expect(json(second, 'idea.json').title).not.toBe(title);
  });

  it('writes design and plan documents about this game, not a template', async () => {
    const g = await gen({ idea: 'a lighthouse keeper zaps sea ghosts in a stormy harbor', seed: 4 });
    const design = json(g, 'design.json');
    const designMd = g.files.get('design.md')!.toString();
    const planMd = g.files.get('plan.md')!.toString();
    expect(designMd).toContain(design.title);
    for (const e of design.entities) expect(designMd).toContain(e.name);
    for (const u of design.progression.upgrades) expect(designMd).toContain(u.name);
    expect(designMd).toMatch(/## Mechanics[\s\S]+## Progression[\s\S]+## Difficulty/);
    const plan = json(g, 'plan.json');
    for (const [k, v] of Object.entries(plan.tuning)) if (k !== 'kit') expect(planMd).toContain(`| ${k} | ${v} |`);
  });
});

describe('variety and determinism', () => {
  const IDEAS = [
    'zombies attack a shopping mall',
    'a fox defends its garden from slugs',
    'ninja courier races over rooftops',
    'smash candy bricks with a gumball',
    'a neon snake eats pixels in cyberspace',
    'an idle bakery where ghosts steal cookies',
    'space pirates raid an asteroid station',
    'a wizard guards the tower from goblins',
    'a penguin slides down an icy mountain',
    'break the glass wall of the evil lab',
    'a caterpillar grows in an enchanted orchard',
    'a bee colony builds a hive and fends off wasps',
    'robots battle aliens on the moon',
    'knights protect the village bridge from trolls',
    'a skateboarder escapes the city police',
    'a volcano demon shatters obsidian blocks',
    'an eel hunts shrimp in the coral reef',
    'a cozy farm where moles dig for gold',
    'a haunted library where books fight moths',
    'a comet surfs the galaxy dodging meteors',
  ];

  it('twenty ideas give twenty different titles, palettes and casts across at least five kits', async () => {
    const games = await Promise.all(IDEAS.map((idea, i) => gen({ idea, seed: 1000 + i, phases: [1, 2] })));
    const ideas = games.map((g) => json(g, 'idea.json'));
    const designs = games.map((g) => json(g, 'design.json'));
    expect(new Set(ideas.map((i) => i.title)).size).toBe(20);
    expect(new Set(ideas.map((i) => JSON.stringify(i.theme.palette))).size).toBe(20);
    expect(new Set(ideas.map((i) => i.theme.palette.background)).size).toBe(20);
    const casts = designs.map((d) => [...d.entities.map((e: any) => e.name), d.progression.currency].join('|'));
    expect(new Set(casts).size).toBe(20);
    expect(new Set(designs.map((d) => d.progression.currency)).size).toBeGreaterThanOrEqual(18);
    expect(new Set(ideas.map((i) => i.genre)).size).toBeGreaterThanOrEqual(5);
  });

  it('the same idea and seed give byte-identical artifacts and dist/', async () => {
    const a = await gen({ idea: 'a haunted library where books fight moths', seed: 77 });
    const b = await gen({ idea: 'a haunted library where books fight moths', seed: 77 });
    expect([...a.files.keys()].sort()).toEqual([...b.files.keys()].sort());
    for (const [p, bytes] of a.files) expect(bytes.equals(b.files.get(p)!), p).toBe(true);
    const c = await gen({ idea: 'a haunted library where books fight moths', seed: 78 });
    expect(c.files.get('dist/config.js')!.equals(a.files.get('dist/config.js')!)).toBe(false);
  });

  it('every genre builds, with tuning inside the ranges its kit declares', async () => {
    for (const genre of GENRES) {
      const g = await gen({ idea: null, genre, seed: 9 });
      const meta = JSON.parse(await readFile(path.join(FRAMEWORK_DIR, 'kits', `${genre}.meta.json`), 'utf8'));
      const { tuning } = json(g, 'plan.json');
      for (const [k, r] of Object.entries<any>(meta.tuning)) {
        expect(tuning[k], `${genre}.${k}`).toBeGreaterThanOrEqual(r.min);
        expect(tuning[k], `${genre}.${k}`).toBeLessThanOrEqual(r.max);
      }
      expect(validateDist(g.files)).toEqual([]);
    }
  });
});

describe('repair and robustness', () => {
  const failedPlaytest = JSON.stringify({
    checks: [{ id: 'loads', passed: false, detail: 'uncaught error(s): Error: broken' }],
  });

  it('phase 5 replaces a broken dist/ with the kit build, drops stale files and names the defect it fixes', async () => {
    const g = await gen({ idea: 'a comet surfs the galaxy dodging meteors', seed: 8 });
    await mkdir(path.join(g.dir, 'dist/old'), { recursive: true });
    await writeFile(path.join(g.dir, 'dist/old/broken.js'), "import x from './missing.js';");
    await writeFile(path.join(g.dir, 'dist/index.html'), '<p>broken</p>');
    await writeFile(path.join(g.dir, 'playtest.json'), failedPlaytest);
    const logs: string[] = [];
    await runPhase(g.dir, 5, { idea: 'a comet surfs the galaxy dodging meteors', seed: 8 }, logs);
    const after = await readTree(g.dir);
    expect(validatePhaseOutputs(5, after)).toEqual([]);
    expect(after.has('dist/old/broken.js')).toBe(false);
    for (const [p, bytes] of distOf(g)) expect(after.get(p)!.equals(bytes), p).toBe(true);
    expect(logs.find((l) => l.startsWith('repair:'))).toMatch(
      /differed from the .* kit's build of this design in dist\/index\.html, dist\/old\/broken\.js; .* to fix loads$/,
    );
  });

  it('phase 5 says it cannot repair instead of shipping the same bytes again, or when no defect is named', async () => {
    const g = await gen({ idea: 'a comet surfs the galaxy dodging meteors', seed: 8 });
    const input = { idea: 'a comet surfs the galaxy dodging meteors', seed: 8 };
    await expect(runPhase(g.dir, 5, input)).rejects.toThrow(/repairs only defects a play-test named/);
    await writeFile(path.join(g.dir, 'playtest.json'), failedPlaytest);
    await expect(runPhase(g.dir, 5, input)).rejects.toThrow(
      /cannot repair loads: dist\/ already is the .* kit's build of this design.*uncaught error/,
    );
    // The feedback's defect lines name the defects when there is no playtest.json.
    await rm(path.join(g.dir, 'playtest.json'));
    await writeFile(path.join(g.dir, 'dist/index.html'), '<p>broken</p>');
    const logs: string[] = [];
    await runPhase(g.dir, 5, { ...input, feedback: 'Fix these defects:\n- the canvas is blank' }, logs);
    expect(logs.find((l) => l.startsWith('repair:'))).toMatch(/to fix defect-1$/);
  });

  it('fails a phase with a readable reason when an earlier artifact is missing or invalid', async () => {
    const g = await gen({ idea: 'x', seed: 1, phases: [] });
    await expect(runPhase(g.dir, 2, { idea: 'x', seed: 1 })).rejects.toThrow(/idea\.json is missing/);
    await writeFile(path.join(g.dir, 'idea.json'), JSON.stringify({ title: '' }));
    await expect(runPhase(g.dir, 2, { idea: 'x', seed: 1 })).rejects.toThrow(/idea\.json: /);
  });
});

async function runPhase(
  dir: string,
  phase: 1 | 2 | 3 | 4 | 5,
  input: { idea: string | null; seed: number; feedback?: string },
  logs: string[] = [],
) {
  return builtinAgent.runPhase({
    phase,
    jobId: 1,
    gameName: 't',
    workspaceDir: dir,
    frameworkDir: FRAMEWORK_DIR,
    promptsDir: path.join(ROOT, 'prompts'),
    input: JobInput.parse({ jobId: 1, idea: input.idea, genre: null, seed: input.seed, feedback: input.feedback }),
    signal: new AbortController().signal,
    emit: (e) => logs.push(e.message),
    validateOutputs: async () => [],
    env: {},
  });
}
