// Phase 2: the design. Turns the pitch into entities, mechanics, an upgrade
// tree with costs, a difficulty curve and win/lose rules, all named after the
// idea's own nouns and numbered from the kit's tuning ranges.
import type { Design, Idea, JobInput } from '../../artifacts.ts';
import type { Concept } from './concept.ts';
import type { KitMeta } from './kits.ts';
import { textVars } from './idea-phase.ts';
import { rngFor } from './random.ts';
import { chooseTuning } from './tuning.ts';
import { article, capitalize, fill, markdownText, singular, truncate } from './text.ts';

export function buildDesign(idea: Idea, concept: Concept, kit: KitMeta, input: JobInput): Design {
  const tuning = chooseTuning(kit, input.seed, concept.ideaText);
  const vars = textVars(concept, tuning);
  const rng = rngFor(input.seed, concept.ideaText, 'design');
  const f = (s: string) => truncate(fill(s, vars), 200);
  // Upgrade names: an adjective from the kit with, in turn, a word from the idea
  // or the kit's own noun, so the shop reads as part of this game's world.
  // Idea words not already naming the cast, each used once; then the kit's own nouns.
  const cast = new Set(
    [concept.names.player, concept.names.enemy, concept.names.currency.split(' ')[0]!].map((n) => n.toLowerCase()),
  );
  const spare = concept.nouns.filter((n) => !cast.has(n.toLowerCase()));
  const upgrades = kit.upgrades.map((u, i) => {
    const ideaNoun = i % 2 === 0 ? spare[i / 2] : undefined;
    const noun = ideaNoun ? capitalize(singular(ideaNoun)) : u.noun;
    return {
      id: u.id,
      name: truncate(`${rng.pick(u.adjectives)} ${noun}`, 60),
      effect: f(u.effect),
      baseCost: Math.round(rng.range(u.baseCost[0], u.baseCost[1])),
      costGrowth: Math.round(rng.range(u.costGrowth[0], u.costGrowth[1]) * 100) / 100,
    };
  });
  return {
    title: idea.title,
    genre: idea.genre,
    entities: [
      {
        name: concept.names.player,
        role: 'player',
        description: f(`The hero of ${concept.setting}, steered by the player`),
      },
      {
        name: concept.names.enemy,
        role: 'enemy',
        description: f('The common foe, coming in rising numbers wave after wave'),
      },
      {
        name: concept.names.boss,
        role: 'enemy',
        description: f('The toughest threat, saved for the final wave or level'),
      },
      {
        name: concept.names.currency,
        role: 'pickup',
        description: f('Earned through play, kept between runs, spent on upgrades'),
      },
      { name: concept.names.projectile, role: 'projectile', description: f("The {player}'s means of hitting back") },
    ],
    mechanics: kit.mechanics.map(f),
    progression: { currency: concept.names.currency, upgrades },
    difficulty: { waves: Math.max(1, Math.min(100, Math.round(tuning.waves ?? 10))), curve: f(kit.curve) },
    winCondition: f(kit.win),
    loseCondition: f(kit.lose),
    checklist: {
      coreVerb: f(`The {player} ${kit.verbs[0]} the {enemies}`),
      threat: f(kit.lose),
      firstAction: f(`${kit.controls[0]!.input}: ${kit.controls[0]!.action}, from the first second of the run`),
      feedback: 'Every hit, pickup and purchase flashes, shakes or floats a number, with a sound',
      difficultyCurve: /\d/.test(f(kit.curve))
        ? f(kit.curve)
        : truncate(`${f(kit.curve)} over ${tuning.waves ?? 10} waves`, 200),
      win: f(kit.win),
      loss: f(kit.lose),
    },
    keypoints: kit.keypoints.map((k) => ({ ...k, text: f(k.text) })),
    ui: [
      'HUD: title, score, currency, wave/level and health',
      'Upgrade shop under the playfield: one button per upgrade with level and cost, keys 1–9',
      'Title card with the how-to-play controls table',
      'Pause (P / Esc), game-over and victory screens with restart (R / Enter)',
    ],
  };
}

export function designMarkdown(design: Design, concept: Concept, kit: KitMeta): string {
  const md = markdownText;
  return [
    `# ${md(design.title)}: design`,
    '',
    `${md(capitalizeFirst(article(concept.mood)))} ${kit.label} in ${md(concept.setting)}: the ${md(concept.names.player)} ${md(kit.verbs[0]!)} the ${md(concept.names.enemies)}, earns ${md(design.progression.currency)} by playing well and spends them on upgrades that change how the next run plays.`,
    '',
    `Idea: ${md(truncate(concept.ideaText, 300))}`,
    '',
    '## Player fantasy',
    '',
    `You are the ${md(concept.names.player)}. Runs are short and readable, and what carries over is ${md(design.progression.currency)}: the incremental layer turns each loss into progress, so the next run goes further.`,
    '',
    `- **Goal:** ${md(design.winCondition)}.`,
    `- **Danger:** ${md(design.loseCondition)}.`,
    '',
    '## Cast',
    '',
    '| Name | Role | Notes |',
    '| --- | --- | --- |',
    ...design.entities.map((e) => `| ${md(e.name)} | ${e.role} | ${md(e.description)} |`),
    '',
    '## Mechanics',
    '',
    ...design.mechanics.map((m) => `- ${md(m)}`),
    '',
    '## Progression',
    '',
    `Currency: **${md(design.progression.currency)}**. Costs grow geometrically (cost of level *n* = base × growth^n), so early levels come quickly and later ones are a goal.`,
    '',
    '| Upgrade | Effect | Base cost | Growth |',
    '| --- | --- | --- | --- |',
    ...design.progression.upgrades.map((u) => `| ${md(u.name)} | ${md(u.effect)} | ${u.baseCost} | ×${u.costGrowth} |`),
    '',
    `After a win, a prestige reset trades upgrades for stars that raise all future ${md(design.progression.currency)} income by 25% each.`,
    '',
    '## Difficulty',
    '',
    `${design.difficulty.waves} waves or levels. ${md(design.difficulty.curve)}.`,
    '',
    '## Interface',
    '',
    ...design.ui.map((u) => `- ${md(u)}`),
    '',
  ].join('\n');
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
