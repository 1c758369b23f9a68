// The game config contract (lib/game-config.ts): the builtin agent's config of
// every kit satisfies it, a build that breaks it fails validation naming the
// field, the shell still boots a partial config, and the docs table and
// framework/kit.js's GameConfig typedef are checked against the schema.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENRES } from '../lib/artifacts.ts';
import { CONFIG_PATH, GameConfig, checkConfigJs, gameConfigReference } from '../lib/game-config.ts';
import { GENERATED_DOCS, replaceGenerated } from '../lib/generated-docs.ts';
import { validatePhaseOutputs } from '../lib/phase-outputs.ts';
import type { FileMap } from '../lib/workspace.ts';
import { withConfigDefaults } from '../framework/core/config.js';
import { ROOT, generateGame, type Generated } from '../support/generate-game.ts';

const made: Generated[] = [];
afterAll(async () => Promise.all(made.map((g) => g.cleanup())));

/** The builtin game of `genre`, its dist files and its parsed config. */
async function builtinGame(genre: (typeof GENRES)[number]) {
  const g = await generateGame({ idea: 'a lighthouse keeper fighting sea monsters', genre, seed: 3 });
  made.push(g);
  const source = g.files.get(CONFIG_PATH)!.toString('utf8');
  return { files: g.files, source, config: checkConfigJs(source).config! };
}

/** dist/config.js holding `config` as the builtin agent writes it. */
const configJs = (config: unknown) => `// data\nglobalThis.GAME_CONFIG = ${JSON.stringify(config, null, 2)};\n`;
const withConfig = (files: FileMap, source: string): FileMap => new Map([...files, [CONFIG_PATH, Buffer.from(source)]]);

describe('game config schema', () => {
  it.each(GENRES)('the builtin %s game writes a config the schema accepts (control)', async (genre) => {
    const { files, source, config } = await builtinGame(genre);
    expect(checkConfigJs(source).problems).toEqual([]);
    expect(config.genre).toBe(genre);
    expect(validatePhaseOutputs(4, files)).toEqual([]);
  });

  it('a build without howToPlay fails validation naming the field', async () => {
    const { files, config } = await builtinGame('breakout');
    const { howToPlay: _, ...broken } = config;
    const problems = validatePhaseOutputs(4, withConfig(files, configJs(broken)));
    expect(problems).toEqual([
      `${CONFIG_PATH}: GAME_CONFIG.howToPlay: Invalid input: expected array, received undefined`,
    ]);
  });

  it.each([
    ['a nested field', (c: any) => ({ ...c, names: { ...c.names, currency: '' } }), 'GAME_CONFIG.names.currency'],
    ['a colour', (c: any) => ({ ...c, palette: { ...c.palette, text: 'white' } }), 'GAME_CONFIG.palette.text'],
    [
      'an upgrade id',
      (c: any) => ({ ...c, upgrades: [{ ...c.upgrades[0], id: 'Fire Rate' }] }),
      'GAME_CONFIG.upgrades.0.id',
    ],
    ['a tuning value', (c: any) => ({ ...c, tuning: { ...c.tuning, waves: 'ten' } }), 'GAME_CONFIG.tuning.waves'],
  ])('%s that breaks the schema is named', async (_, breakIt, field) => {
    const { files, config } = await builtinGame('arena-shooter');
    const problems = validatePhaseOutputs(4, withConfig(files, configJs(breakIt(config))));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${CONFIG_PATH}: ${field}: `);
  });

  it('config.js must be data, not code, and a game that boots the shell must have it', async () => {
    const { files, config } = await builtinGame('snake');
    const code = `globalThis.GAME_CONFIG = Object.assign(${JSON.stringify(config)}, {});`;
    expect(validatePhaseOutputs(4, withConfig(files, code))[0]).toMatch(/GAME_CONFIG is not plain JSON/);
    expect(validatePhaseOutputs(4, withConfig(files, 'window.CONFIG = {};'))[0]).toMatch(
      /must be `globalThis.GAME_CONFIG = /,
    );
    const without = new Map([...files].filter(([p]) => p !== CONFIG_PATH));
    expect(validatePhaseOutputs(4, without)).toContain(
      `${CONFIG_PATH}: missing (the game calls the framework's bootGame, which reads globalThis.GAME_CONFIG from it)`,
    );
    // A free-form game that does not use the shell needs no config.js (control).
    const freeForm: FileMap = new Map([
      ['dist/index.html', Buffer.from('<canvas></canvas><script src="main.js" defer></script>')],
      ['dist/main.js', Buffer.from('document.querySelector("canvas").getContext("2d").fillRect(0, 0, 9, 9);')],
    ]);
    expect(validatePhaseOutputs(4, freeForm)).toEqual([]);
  });

  it('the shell fills a missing field instead of crashing, and says which', async () => {
    const { config } = await builtinGame('idle');
    const { howToPlay: _, names: __, ...partial } = config;
    const warnings: string[] = [];
    const filled = withConfigDefaults(partial, (m) => warnings.push(m));
    expect(filled.howToPlay).toEqual([]);
    expect(filled.names.currency).toBe('coins');
    expect(filled.title).toBe(config.title);
    expect(warnings).toEqual(['GAME_CONFIG: missing or invalid howToPlay, names; using defaults']);
    const quiet: string[] = [];
    expect(withConfigDefaults(config, (m) => quiet.push(m)).tuning).toEqual(config.tuning);
    expect(quiet).toEqual([]);
    expect(() => withConfigDefaults(undefined, () => {})).not.toThrow();
  });
});

describe('one source: docs and typedef follow the schema', () => {
  it('docs/framework.md carries the table generated from the schema (npm run docs:generate)', async () => {
    for (const { file, marker, render } of GENERATED_DOCS) {
      const doc = await readFile(path.join(ROOT, file), 'utf8');
      expect(replaceGenerated(doc, marker, render()), `${file} is stale: run npm run docs:generate`).toBe(doc);
    }
    expect(gameConfigReference()).toContain('| `howToPlay` | array of string | yes |');
  });

  it("framework/kit.js's GameConfig typedef names exactly the schema's fields", async () => {
    const source = await readFile(path.join(ROOT, 'framework', 'kit.js'), 'utf8');
    const block = /\* @typedef \{object\} GameConfig\n([\s\S]*?)\*\//.exec(source)![1]!;
    const props = [...block.matchAll(/@property \{.*\}\s+\[?([A-Za-z]+)/g)].map((m) => m[1]).sort();
    expect(props).toEqual(Object.keys(GameConfig.shape).sort());
  });
});
