// Phase 3: the build plan. Lists every file dist/ will hold and why, the
// framework modules in play, the tuning numbers and how the game will be tested.
import type { Design, Idea, JobInput, Plan } from '../../artifacts.ts';
import type { Concept } from './concept.ts';
import type { KitMeta } from './kits.ts';
import { chooseTuning } from './tuning.ts';
import { markdownText } from './text.ts';

const MODULE_PURPOSE: Record<string, string> = {
  'game.js': 'game shell: state machine, HUD/shop wiring, save',
  'kit-context.js': 'what the shell hands a kit (KitContext)',
  'play-api.js': 'window.__game, the play-testing surface',
  'core/loop.js': 'fixed-timestep loop (60 steps/s)',
  'core/rng.js': 'seeded random numbers',
  'core/events.js': 'event bus',
  'core/save.js': 'versioned localStorage save (degrades when storage is blocked)',
  'core/format.js': 'big-number formatting',
  'input/input.js': 'keyboard, pointer and touch as one input',
  'render/renderer.js': 'canvas renderer: camera, layers, shake, text',
  'render/sprites.js': 'procedural palette sprites',
  'render/particles.js': 'particle bursts',
  'render/color.js': 'palette colour maths',
  'world/entities.js': 'entity pool by tag',
  'world/collision.js': 'circle and box collision',
  'world/waves.js': 'wave director',
  'progression/wallet.js': 'currency wallet',
  'progression/upgrades.js': 'upgrades with cost curves and unlocks',
  'progression/prestige.js': 'prestige points and multiplier',
  'ui/dom.js': 'safe element builder (textContent only)',
  'ui/hud.js': 'HUD',
  'ui/overlay.js': 'title, pause, win and game-over screens',
  'ui/upgrade-panel.js': 'upgrade shop',
  'ui/ui.css': 'layout and palette styling',
  'audio/sfx.js': 'WebAudio sound effects, muted until first gesture',
};

export function buildPlan(
  idea: Idea,
  design: Design,
  concept: Concept,
  kit: KitMeta,
  input: JobInput,
  frameworkFiles: string[],
): Plan {
  const tuning = chooseTuning(kit, input.seed, concept.ideaText);
  const bundled = frameworkFiles.filter((f) => f.endsWith('.js'));
  const files = [
    {
      path: 'dist/index.html',
      purpose: 'page shell: canvas, stylesheet, two deferred scripts; no inline script (strict CSP)',
    },
    { path: 'dist/style.css', purpose: 'framework/ui/ui.css: layout and palette styling' },
    {
      path: 'dist/config.js',
      purpose: 'this game: title, names, palette, tuning and upgrades as inert data (GAME_CONFIG)',
    },
    {
      path: 'dist/game.js',
      purpose: `${bundled.length} framework modules and the ${kit.label} kit as one classic script, then boot`,
    },
  ];
  return {
    title: design.title,
    genre: design.genre,
    files,
    modules: bundled
      .slice(0, 20)
      .map(
        (f) =>
          `framework/${f}: ${f.startsWith('kits/') ? `${kit.label} rules` : (MODULE_PURPOSE[f] ?? 'framework module')}`,
      ),
    frameworkApis: [
      'bootGame({ config, kit, canvas })',
      'createLoop({ update, render })',
      'createInput({ keyTarget, surface, width, height })',
      'createRenderer(canvas, { width, height })',
      'makeSprite({ seed, size, color, shape })',
      'createParticles({ random })',
      'createWorld()',
      'createWaves({ total, count, spacing, onSpawn })',
      'createWallet(ids)',
      'createUpgrades(defs)',
      'prestigeGain(lifetime, threshold)',
      'createSaveStore({ key, version })',
      'createSfx()',
    ],
    tuning: { kit: kit.id, ...tuning },
    testPlan: [
      'Load dist/ under the strict CSP: no console or page errors, no network requests',
      'Canvas shows a real picture: many non-background pixels on the title screen',
      `Start with Enter; the kit controls (${idea.controls
        .slice(0, 2)
        .map((c) => c.input)
        .join(', ')}) move the picture and window.__game.kit`,
      `Score and ${design.progression.currency} rise within 20 s of scripted play`,
      'Buy the cheapest upgrade with key 1–9 and see its level rise and the balance fall',
      'Play until a loss or win, then restart with R and see state return to playing',
    ],
    kit: kit.id,
  };
}

export function planMarkdown(plan: Plan, design: Design, kit: KitMeta): string {
  const md = markdownText;
  return [
    `# ${md(plan.title)}: build plan`,
    '',
    `Built on the GamePocGen framework's ${kit.label} kit. The page loads the game's data (\`config.js\`) and then \`game.js\`: the framework modules it needs, bundled into one classic script so the game also runs on a sandboxed (opaque) origin. Nothing is fetched from the network and no inline script is used, so it runs under a strict CSP.`,
    '',
    '## Files',
    '',
    '| Path | Purpose |',
    '| --- | --- |',
    ...plan.files.map((f) => `| \`${f.path}\` | ${md(f.purpose)} |`),
    '',
    '## Tuning',
    '',
    'Each number is drawn from the range the kit declares, seeded by the idea, so games on the same kit still play differently.',
    '',
    '| Parameter | Value | Meaning |',
    '| --- | --- | --- |',
    ...Object.entries(plan.tuning)
      .filter(([k]) => k !== 'kit')
      .map(([k, v]) => `| ${k} | ${v} | ${md(kit.tuning[k]?.about ?? '')} |`),
    '',
    '## Upgrades wired to the kit',
    '',
    ...design.progression.upgrades.map((u) => `- \`${u.id}\` → **${md(u.name)}**: ${md(u.effect)}`),
    '',
    '## Framework modules bundled into game.js',
    '',
    ...plan.modules.map((m) => `- ${md(m)}`),
    '',
    '## Framework APIs used',
    '',
    ...plan.frameworkApis.map((a) => `- \`${a}\``),
    '',
    '## Test plan',
    '',
    ...plan.testPlan.map((t, i) => `${i + 1}. ${md(t)}`),
    '',
  ].join('\n');
}
