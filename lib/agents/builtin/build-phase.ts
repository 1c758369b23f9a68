// Phase 4 (and 5, repair): assembles dist/ from idea.json, design.json and
// plan.json: the page, the entry module, the game's data and the framework files
// it needs. Pure function of its inputs, so rebuilding is idempotent.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Design, Idea, Plan } from '../../artifacts.ts';
import { GameConfig } from '../../game-config.ts';
import type { FileMap } from '../../workspace.ts';
import type { KitMeta } from './kits.ts';
import { bundle } from './bundle.ts';
import { frameworkFilesFor } from './framework-files.ts';
import { hashString } from './random.ts';
import { inertJson } from './serialize.ts';
import { clampTuning } from './tuning.ts';
import { article, fill, plural, truncate } from './text.ts';

const indexHtml = (customKit: boolean) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="generator" content="GamePocGen builtin agent">
<title>GamePocGen game</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="style.css">
<script src="config.js" defer></script>
${customKit ? '<script src="kit.js" defer></script>\n' : ''}<script src="game.js" defer></script>
</head>
<body>
<canvas id="screen" width="960" height="540" aria-label="Game"></canvas>
<noscript>This game needs JavaScript.</noscript>
</body>
</html>
`;

/**
 * Runs last in game.js: boots the shell with this game's data and kit. A kit set as
 * globalThis.GAME_KIT by an earlier classic script (dist/kit.js) replaces the bundled one.
 */
function entryCode(kitId: string | null): string {
  if (!kitId)
    return `// ---- entry: this game's data (config.js) and its own kit (kit.js sets globalThis.GAME_KIT)
const { bootGame } = __modules['game.js'];
bootGame({ config: globalThis.GAME_CONFIG, kit: globalThis.GAME_KIT, canvas: document.getElementById('screen') });`;
  return `// ---- entry: this game's data (config.js) and its ${kitId} kit (or its own, when kit.js sets globalThis.GAME_KIT)
const { bootGame } = __modules['game.js'];
const { kit } = __modules['kits/${kitId}.js'];
bootGame({ config: globalThis.GAME_CONFIG, kit: globalThis.GAME_KIT ?? kit, canvas: document.getElementById('screen') });`;
}

/** The runtime config the kit and shell read, parsed with its schema (lib/game-config.ts; docs/framework.md, "Game config"). */
export function gameConfig(idea: Idea, design: Design, plan: Plan, kit: KitMeta, ideaText: string): GameConfig {
  const tuning = clampTuning(kit, plan.tuning);
  const names = namesOf(design, kit.roles);
  const vars: Record<string, string | number> = { ...names, ...tuning };
  // Upgrades keep the kit's ids (the kit code reads them) and take names and
  // costs from the design; a design written by someone else is matched by id,
  // then by position.
  const upgrades = kit.upgrades.map((u, i) => {
    const d = design.progression.upgrades.find((x) => x.id === u.id) ?? design.progression.upgrades[i];
    return {
      id: u.id,
      name: truncate(d?.name ?? u.noun, 40),
      effect: truncate(fill(u.effect, vars), 160),
      baseCost: d ? Math.max(1, d.baseCost) : u.baseCost[0],
      costGrowth: d ? Math.min(5, Math.max(1.05, d.costGrowth)) : u.costGrowth[0],
      maxLevel: u.maxLevel,
      requires: u.requires,
    };
  });
  return GameConfig.parse({
    ...commonConfig(idea, design, plan, kit.label, ideaText, names),
    genre: kit.id,
    tuning,
    upgrades,
  });
}

/** A `custom` game's config: the design's own upgrades, the plan's numeric tuning, the kit's names. */
export function customGameConfig(idea: Idea, design: Design, plan: Plan, ideaText: string): GameConfig {
  const names = namesOf(design, CUSTOM_ROLES);
  const tuning = Object.fromEntries(
    Object.entries(plan.tuning).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])),
  );
  const upgrades = design.progression.upgrades.map((u) => ({
    id: u.id,
    name: truncate(u.name, 40),
    effect: truncate(u.effect, 160),
    baseCost: Math.max(1, u.baseCost),
    costGrowth: Math.min(5, Math.max(1.05, u.costGrowth)),
  }));
  return GameConfig.parse({
    ...commonConfig(idea, design, plan, 'game', ideaText, names),
    genre: 'custom',
    tuning,
    upgrades,
  });
}

const CUSTOM_ROLES = {
  player: 'wanderer',
  enemy: 'hunter',
  boss: 'great hunter',
  currency: 'sparks',
  projectile: 'dash',
};

function namesOf(design: Design, roles: Record<'player' | 'enemy' | 'boss' | 'projectile', string>) {
  const byRole = (role: string, n = 0) => design.entities.filter((e) => e.role === role)[n]?.name;
  const enemy = byRole('enemy') ?? roles.enemy;
  return {
    player: truncate(byRole('player') ?? roles.player, 40),
    enemy: truncate(enemy, 40),
    enemies: truncate(plural(enemy), 44),
    boss: truncate(byRole('enemy', 1) ?? roles.boss, 50),
    currency: truncate(design.progression.currency, 40),
    projectile: truncate(byRole('projectile') ?? roles.projectile, 50),
  };
}

/** The fields every config shares: title, texts, controls, names, palette, save key. */
function commonConfig(
  idea: Idea,
  design: Design,
  plan: Plan,
  label: string,
  ideaText: string,
  names: ReturnType<typeof namesOf>,
) {
  const prefix = plan.kit === 'custom' ? 'custom' : plan.genre;
  return {
    schema: 1,
    title: truncate(idea.title, 80),
    seed: hashString(`${idea.title}\u0000${JSON.stringify(plan.tuning)}`),
    // The player's own words, shown on the title card (as text, never markup).
    idea: truncate(ideaText, 280),
    tagline: truncate(`${article(idea.theme.mood).replace(/^a/, 'A')} ${label} in ${idea.theme.setting}`, 140),
    howToPlay: [
      truncate(idea.coreLoop.join('. ') + '.', 420),
      truncate(`Win: ${design.winCondition}. Lose: ${design.loseCondition}.`, 300),
    ],
    controls: idea.controls.slice(0, 8),
    names,
    palette: idea.theme.palette,
    winTitle: 'Victory!',
    winText: truncate(`${design.winCondition}: done. The ${names.player} stands triumphant.`, 240),
    loseTitle: 'Game over',
    loseText: truncate(`${design.loseCondition}. The ${names.enemies} win this round.`, 240),
    saveKey: `${prefix}-${hashString(idea.title + plan.title).toString(16)}`,
  };
}

/** Every file of dist/, keyed by workspace path ("dist/…"). */
export async function buildDist(
  idea: Idea,
  design: Design,
  plan: Plan,
  kit: KitMeta,
  frameworkDir: string,
  ideaText: string,
): Promise<FileMap> {
  return assembleDist(frameworkDir, kit.id, gameConfig(idea, design, plan, kit, ideaText));
}

/** The `custom` starter: the shell alone, framework/starter/custom-kit.js as dist/kit.js, and a config from the design. */
export async function buildCustomDist(
  idea: Idea,
  design: Design,
  plan: Plan,
  frameworkDir: string,
  ideaText: string,
): Promise<FileMap> {
  const files = await assembleDist(frameworkDir, null, customGameConfig(idea, design, plan, ideaText));
  const kitSource = await readFile(path.join(frameworkDir, 'starter', 'custom-kit.js'), 'utf8');
  // JSDoc import('…') types mean nothing at run time and would look like missing files to reference checks.
  files.set('dist/kit.js', Buffer.from(kitSource.replace(/import\((['"])[^'"]+\1\)\./g, '')));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function assembleDist(frameworkDir: string, kitId: KitMeta['id'] | null, config: GameConfig): Promise<FileMap> {
  const files: FileMap = new Map();
  const framework = await frameworkFilesFor(frameworkDir, kitId);
  const modules = new Map([...framework].filter(([p]) => p.endsWith('.js')).map(([p, b]) => [p, b.toString('utf8')]));
  files.set('dist/index.html', Buffer.from(indexHtml(kitId === null)));
  files.set('dist/style.css', framework.get('ui/ui.css')!);
  files.set(
    'dist/config.js',
    Buffer.from(
      `// This game's data, generated by the builtin agent. Strings are \\u-escaped on purpose.\nglobalThis.GAME_CONFIG = ${inertJson(config)};\n`,
    ),
  );
  const entries = kitId ? ['game.js', `kits/${kitId}.js`] : ['game.js'];
  files.set('dist/game.js', Buffer.from(bundle(modules, entries, entryCode(kitId))));
  return files;
}
