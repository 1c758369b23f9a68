// Phase 1: the pitch. Chooses the kit, title, mood, setting and palette from the
// idea's words and writes idea.json (schema Idea) plus a readable idea.md.
import type { Idea, JobInput } from '../../artifacts.ts';
import type { Concept } from './concept.ts';
import type { KitMeta } from './kits.ts';
import { makePalette } from './palette.ts';
import { rngFor } from './random.ts';
import { article, fill, markdownText, truncate } from './text.ts';

const TITLE_TEMPLATES = [
  '{Enemies} of {Setting}',
  '{Player} vs. the {Enemies}',
  'The {Player} and the {Boss}',
  '{Mood} {Player}',
  '{Player}: {Enemies} Rising',
  'Last Light of {Setting}',
  '{Currency} Rush',
  'Attack of the {Enemies}',
  '{Player} Unbound',
  'Night of the {Enemies}',
];

export function makeTitle(concept: Concept, input: JobInput): string {
  const rng = rngFor(input.seed, concept.ideaText, 'title');
  const vars = titleVars(concept);
  const taken = new Set(input.existingTitles.map((t) => t.toLowerCase()));
  const start = rng.int(0, TITLE_TEMPLATES.length - 1);
  for (let i = 0; i < TITLE_TEMPLATES.length; i++) {
    const title = truncate(fill(TITLE_TEMPLATES[(start + i) % TITLE_TEMPLATES.length]!, vars), 80);
    if (!taken.has(title.toLowerCase())) return title;
  }
  // Every template is taken: number the sequel.
  const base = truncate(fill(TITLE_TEMPLATES[start]!, vars), 70);
  for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`.toLowerCase())) return `${base} ${n}`;
}

function titleVars(c: Concept): Record<string, string> {
  // Titles capitalise the setting's words but keep "the"/"of" small: "Zombies of the Sunken Mall".
  const setting = c.setting.replace(/\p{L}+/gu, (w) =>
    /^(the|of|a|an|and|in|on)$/.test(w) ? w : w.charAt(0).toLocaleUpperCase('en') + w.slice(1),
  );
  return {
    Player: c.names.player,
    Enemies: c.names.enemies,
    Boss: c.names.boss,
    Currency: c.names.currency.split(' ')[0]!,
    Setting: setting,
    Mood: c.moodWord ? c.moodWord.charAt(0).toUpperCase() + c.moodWord.slice(1) : 'Brave',
  };
}

/** Placeholders every kit text may use. */
export function textVars(
  c: Concept,
  tuning: Record<string, number | string | boolean> = {},
): Record<string, string | number> {
  return {
    player: c.names.player,
    enemy: c.names.enemy,
    enemies: c.names.enemies,
    boss: c.names.boss,
    currency: c.names.currency,
    projectile: c.names.projectile,
    setting: c.setting,
    ...Object.fromEntries(
      Object.entries(tuning)
        .filter(([, v]) => typeof v === 'number')
        .map(([k, v]) => [k, Math.round(Number(v) * 100) / 100]),
    ),
  };
}

export function buildIdea(concept: Concept, kit: KitMeta, input: JobInput): Idea {
  const vars = textVars(concept);
  const rng = rngFor(input.seed, concept.ideaText, 'palette');
  const quoted = truncate(concept.ideaText, 600);
  return {
    title: makeTitle(concept, input),
    genre: concept.genre,
    pitch: truncate(
      `${concept.generated ? 'Invented idea' : 'Idea'}: "${quoted}". ${capitalizeFirst(article(concept.mood))} ${kit.label} set in ${concept.setting}: the ${concept.names.player} ${kit.verbs[0]} the ${concept.names.enemies}, earns ${concept.names.currency} through play and spends them on upgrades that change how each run feels.`,
      3900,
    ),
    coreLoop: kit.coreLoop.map((s) => truncate(fill(s, vars), 200)),
    controls: kit.controls.map((c) => ({
      input: truncate(fill(c.input, vars), 200),
      action: truncate(fill(c.action, vars), 200),
    })),
    theme: {
      mood: truncate(concept.mood, 200),
      setting: truncate(concept.setting, 200),
      palette: makePalette(concept.hue, rng),
    },
  };
}

export function ideaMarkdown(idea: Idea, concept: Concept, kit: KitMeta): string {
  const md = markdownText;
  const p = idea.theme.palette;
  return [
    `# ${md(idea.title)}`,
    '',
    `*${md(capitalizeFirst(article(concept.mood)))} ${kit.label}.*`,
    '',
    '## The idea',
    '',
    `> ${md(truncate(concept.ideaText, 600))}`,
    '',
    concept.generated
      ? 'No idea was given, so this one was invented from the job seed.'
      : 'This is the idea as typed; everything below is shaped by its words.',
    '',
    '## Pitch',
    '',
    md(idea.pitch),
    '',
    `**Why this kit:** ${md(concept.genreReason)}.`,
    '',
    '## Core loop',
    '',
    ...idea.coreLoop.map((s, i) => `${i + 1}. ${md(s)}`),
    '',
    '## Controls',
    '',
    '| Input | Action |',
    '| --- | --- |',
    ...idea.controls.map((c) => `| ${md(c.input)} | ${md(c.action)} |`),
    '',
    '## Theme',
    '',
    `- Mood: ${md(idea.theme.mood)}`,
    `- Setting: ${md(idea.theme.setting)}`,
    `- Palette: background \`${p.background}\`, primary \`${p.primary}\`, secondary \`${p.secondary}\`, accent \`${p.accent}\`, text \`${p.text}\``,
    '',
  ].join('\n');
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
