// The game concept behind every phase: which kit, which words, which names.
// Derived purely from the job input (idea text or seed, forced genre) and the
// kits' metadata, so each phase can recompute it and agree with the others.
import type { Genre, JobInput } from '../../artifacts.ts';
import type { KitMeta } from './kits.ts';
import {
  ACTION_WORDS,
  FOE_WORDS,
  MOODS,
  PLACES,
  RANDOM_FOES,
  RANDOM_HEROES,
  RANDOM_LOOT,
  RANDOM_MOODS,
  RANDOM_PLACES,
} from './lexicon.ts';
import { createRng, hashString, rngFor } from './random.ts';
import { article, capitalize, contentWords, plural, singular, titleCase, truncate } from './text.ts';

export interface Names {
  player: string;
  enemy: string;
  enemies: string;
  boss: string;
  currency: string;
  projectile: string;
}

export interface Concept {
  /** The idea as typed, or the one invented from the seed. */
  ideaText: string;
  generated: boolean;
  genre: Genre;
  /** Why this kit: matched words, a forced genre, or the seed fallback. */
  genreReason: string;
  moodWord: string | null;
  mood: string;
  hue: number;
  setting: string;
  nouns: string[];
  names: Names;
}

/** Invents a coherent one-line idea from a seed (used when the job has none). */
export interface InventedIdea {
  text: string;
  genre: Genre;
  mood: string;
  hero: string;
  foes: string;
  place: string;
  loot: string;
}

export function inventIdea(seed: number, metas: Map<Genre, KitMeta>, genre: Genre | null): InventedIdea {
  const rng = createRng(hashString(`invent:${seed}`));
  const kit = metas.get(genre ?? rng.pick([...metas.keys()])) ?? [...metas.values()][0]!;
  const parts = {
    mood: rng.pick(RANDOM_MOODS),
    hero: rng.pick(RANDOM_HEROES),
    verb: rng.pick(kit.verbs),
    foes: rng.pick(RANDOM_FOES),
    place: rng.pick(RANDOM_PLACES),
    loot: rng.pick(RANDOM_LOOT),
  };
  const text = `${capitalize(article(parts.mood))} ${kit.label} where ${article(parts.hero)} ${parts.verb} ${parts.foes} in the ${parts.place} and hoards ${parts.loot}`;
  return {
    text,
    genre: kit.id,
    mood: parts.mood,
    hero: parts.hero,
    foes: parts.foes,
    place: parts.place,
    loot: parts.loot,
  };
}

/** Scores each kit by how many of the idea's words its keywords match. */
export function chooseGenre(words: string[], metas: Map<Genre, KitMeta>): { genre: Genre | null; matched: string[] } {
  let best: { genre: Genre | null; matched: string[] } = { genre: null, matched: [] };
  for (const meta of metas.values()) {
    const matched = words.filter((w) => meta.keywords.some((k) => keywordMatches(w, k)));
    if (matched.length > best.matched.length) best = { genre: meta.id, matched };
  }
  return best;
}

function keywordMatches(word: string, keyword: string): boolean {
  if (word === keyword || singular(word) === keyword) return true;
  // Longer keywords also match inflections ("defending" ~ "defend", "towers" ~ "tower").
  return keyword.length >= 4 && word.startsWith(keyword) && word.length - keyword.length <= 4;
}

export function resolveConcept(input: JobInput, metas: Map<Genre, KitMeta>): Concept {
  const typed = input.idea?.trim() ? input.idea : null;
  const invented = typed ? null : inventIdea(input.seed, metas, input.genre);
  const ideaText = typed ?? invented!.text;
  // 10 000-character ideas are allowed; only the first few hundred words shape names.
  const words = contentWords(ideaText.slice(0, 2000));
  const rng = rngFor(input.seed, ideaText, 'concept');

  let genre: Genre;
  let genreReason: string;
  const chosen = chooseGenre(words, metas);
  if (input.genre && metas.has(input.genre)) {
    genre = input.genre;
    genreReason = invented
      ? `invented from seed ${input.seed} as ${article(metas.get(genre)!.label)}`
      : `genre requested explicitly (${genre})`;
  } else if (invented) {
    genre = invented.genre;
    genreReason = `invented from seed ${input.seed} as ${article(metas.get(genre)!.label)}`;
  } else if (chosen.genre) {
    genre = chosen.genre;
    genreReason = `the idea's words point to ${article(metas.get(genre)!.label)}: ${chosen.matched.slice(0, 5).join(', ')}`;
  } else {
    genre = [...metas.keys()][hashString(`${ideaText}:${input.seed}`) % metas.size]!;
    genreReason = `no genre words in the idea, so the seed chose ${article(metas.get(genre)!.label)}`;
  }
  const kit = metas.get(genre)!;

  // An invented idea knows its own parts; a typed one is read word by word.
  const moodWord = invented ? invented.mood : (words.find((w) => w in MOODS) ?? null);
  const randomMood = rng.pick(RANDOM_MOODS);
  const moodEntry = MOODS[moodWord ?? randomMood]!;
  const hue = moodWord ? moodEntry.hue : hashString(`${ideaText}:${input.seed}:hue`) % 360;
  const place = invented ? invented.place : words.find((w) => PLACES.has(w) || PLACES.has(singular(w)));
  const setting = place ? `the ${singular(place)}` : rng.pick(kit.settings);
  const nouns = invented
    ? [invented.hero, singular(invented.foes), singular(invented.loot)]
    : words
        .filter(
          (w) =>
            !(w in MOODS) &&
            !PLACES.has(w) &&
            !PLACES.has(singular(w)) &&
            !ACTION_WORDS.has(w) &&
            !ACTION_WORDS.has(singular(w)) &&
            !/.{4}ing$/.test(w) &&
            !/.{3}ly$/.test(w),
        )
        .map(singular)
        .filter((w, i, all) => all.indexOf(w) === i);

  return {
    ideaText,
    generated: !typed,
    genre,
    genreReason,
    moodWord,
    mood: moodEntry.mood,
    hue,
    setting,
    nouns,
    names: makeNames(nouns, kit, rng, place ?? null),
  };
}

function makeNames(nouns: string[], kit: KitMeta, rng: ReturnType<typeof createRng>, place: string | null): Names {
  const name = (w: string) => titleCase(truncate(w, 24));
  // Threat-like words name the enemies; the first other noun names the hero.
  const foe = nouns.find((n) => FOE_WORDS.has(n));
  const others = nouns.filter((n) => n !== foe);
  const player = name(others[0] ?? rng.pick(RANDOM_HEROES));
  const enemy = name(foe ?? others[1] ?? singular(rng.pick(RANDOM_FOES)));
  const lootWord = others[foe ? 1 : 2] ?? place ?? singular(rng.pick(RANDOM_LOOT));
  return {
    player,
    enemy,
    enemies: plural(enemy),
    boss: `${enemy} ${kit.roles.boss}`,
    currency: `${capitalize(truncate(singular(lootWord), 24))} ${kit.roles.currency}`,
    projectile: `${player} ${kit.roles.projectile}`,
  };
}
