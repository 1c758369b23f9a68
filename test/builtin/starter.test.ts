// The build's starter (lib/agents/starter.ts): after phases 1–3, dist/ is the
// kit game configured from the design, or for plan.kit "custom" the shell with
// the starter kit as dist/kit.js; both pass the build validation.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENRES } from '../../lib/artifacts.ts';
import { starterDist, writeStarter } from '../../lib/agents/starter.ts';
import { checkConfigJs } from '../../lib/game-config.ts';
import { validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { readTree } from '../../lib/workspace.ts';
import { FRAMEWORK_DIR, generateGame, type Generated } from '../../support/generate-game.ts';

const made: Generated[] = [];
afterAll(async () => Promise.all(made.map((g) => g.cleanup())));
const planned = async (genre: (typeof GENRES)[number]) => {
  const g = await generateGame({
    idea: 'a lighthouse keeper fighting sea monsters',
    genre,
    seed: 9,
    phases: [1, 2, 3],
  });
  made.push(g);
  return g;
};

describe('build starter', () => {
  it.each(GENRES)('the %s starter is the builtin build of the same plan and passes validation', async (genre) => {
    const g = await planned(genre);
    const starter = await writeStarter(g.dir, FRAMEWORK_DIR, 'a lighthouse keeper fighting sea monsters');
    expect(starter!.kit).toBe(genre);
    const files = await readTree(g.dir);
    expect(validatePhaseOutputs(4, files)).toEqual([]);
    expect(checkConfigJs(files.get('dist/config.js')!.toString()).config!.genre).toBe(genre);
    // A second call leaves the model's work alone.
    await writeFile(path.join(g.dir, 'dist/config.js'), '// edited');
    expect(await writeStarter(g.dir, FRAMEWORK_DIR, '')).toBeNull();
    expect(await readFile(path.join(g.dir, 'dist/config.js'), 'utf8')).toBe('// edited');
  });

  it('plan.kit "custom" starts from the shell and the starter kit, with the design’s own upgrades', async () => {
    const g = await planned('runner');
    const plan = JSON.parse(await readFile(path.join(g.dir, 'plan.json'), 'utf8'));
    await writeFile(path.join(g.dir, 'plan.json'), JSON.stringify({ ...plan, kit: 'custom' }));
    const design = JSON.parse(await readFile(path.join(g.dir, 'design.json'), 'utf8'));
    const { kit, files } = await starterDist(g.dir, FRAMEWORK_DIR, 'x');
    expect(kit).toBe('custom');
    expect([...files.keys()]).toEqual([
      'dist/config.js',
      'dist/game.js',
      'dist/index.html',
      'dist/kit.js',
      'dist/style.css',
    ]);
    const html = files.get('dist/index.html')!.toString();
    expect(html).toMatch(
      /<script src="config.js" defer><\/script>\s*<script src="kit.js" defer><\/script>\s*<script src="game.js" defer><\/script>/,
    );
    const bundle = files.get('dist/game.js')!.toString();
    expect(bundle).not.toContain('framework/kits/');
    expect(bundle).toContain('kit: globalThis.GAME_KIT');
    expect(files.get('dist/kit.js')!.toString()).toMatch(/^globalThis\.GAME_KIT = \{/m);
    expect(files.get('dist/kit.js')!.toString()).not.toContain("import('");
    const config = checkConfigJs(files.get('dist/config.js')!.toString()).config!;
    expect(config.genre).toBe('custom');
    expect(config.upgrades.map((u) => u.id)).toEqual(design.progression.upgrades.map((u: { id: string }) => u.id));
    const all = new Map([...(await readTree(g.dir)), ...files]);
    expect(validatePhaseOutputs(4, all)).toEqual([]);
  });

  it('says which artifact is wrong when the plan is unusable', async () => {
    const g = await planned('snake');
    await writeFile(path.join(g.dir, 'plan.json'), JSON.stringify({ title: 'x' }));
    await expect(starterDist(g.dir, FRAMEWORK_DIR, '')).rejects.toThrow(/^plan\.json: genre: /);
  });
});
