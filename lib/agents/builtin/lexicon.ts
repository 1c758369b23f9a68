// Small word lists that give the builtin agent a designer's instincts: which
// words set a mood (and a colour), which name places, which are actions rather
// than things, and banks for inventing an idea when none was given.

/** Mood words → a hue (degrees) and a mood phrase for the design doc. */
export const MOODS: Record<string, { hue: number; mood: string }> = {
  cozy: { hue: 30, mood: 'cozy and warm' },
  cosy: { hue: 30, mood: 'cozy and warm' },
  warm: { hue: 25, mood: 'warm' },
  neon: { hue: 300, mood: 'neon-bright and electric' },
  cyber: { hue: 190, mood: 'cyber, humming with light' },
  cyberpunk: { hue: 310, mood: 'cyberpunk grit' },
  haunted: { hue: 270, mood: 'eerie and haunted' },
  spooky: { hue: 275, mood: 'spooky' },
  creepy: { hue: 280, mood: 'creepy' },
  gothic: { hue: 260, mood: 'gothic' },
  dark: { hue: 240, mood: 'dark and tense' },
  grim: { hue: 220, mood: 'grim' },
  gloomy: { hue: 215, mood: 'gloomy' },
  frozen: { hue: 195, mood: 'frosty and crisp' },
  frosty: { hue: 195, mood: 'frosty and crisp' },
  icy: { hue: 190, mood: 'icy' },
  winter: { hue: 200, mood: 'wintry' },
  snowy: { hue: 200, mood: 'snowy and hushed' },
  fiery: { hue: 12, mood: 'fiery' },
  burning: { hue: 15, mood: 'scorching' },
  volcanic: { hue: 8, mood: 'volcanic' },
  hellish: { hue: 0, mood: 'infernal' },
  sunny: { hue: 48, mood: 'sunny and cheerful' },
  cheerful: { hue: 50, mood: 'cheerful' },
  happy: { hue: 55, mood: 'bright and happy' },
  golden: { hue: 45, mood: 'golden' },
  candy: { hue: 330, mood: 'sugary and playful' },
  sweet: { hue: 335, mood: 'sweet' },
  cute: { hue: 320, mood: 'cute' },
  pastel: { hue: 290, mood: 'soft pastel' },
  cosmic: { hue: 255, mood: 'cosmic and vast' },
  galactic: { hue: 250, mood: 'galactic' },
  stellar: { hue: 235, mood: 'starlit' },
  toxic: { hue: 95, mood: 'toxic' },
  radioactive: { hue: 85, mood: 'radioactive' },
  slimy: { hue: 100, mood: 'slimy' },
  ancient: { hue: 38, mood: 'ancient and dusty' },
  mystic: { hue: 265, mood: 'mystical' },
  magical: { hue: 285, mood: 'magical' },
  enchanted: { hue: 160, mood: 'enchanted' },
  lush: { hue: 130, mood: 'lush and green' },
  peaceful: { hue: 140, mood: 'peaceful' },
  calm: { hue: 170, mood: 'calm' },
  relaxing: { hue: 165, mood: 'relaxing' },
  retro: { hue: 320, mood: 'retro arcade' },
  pixel: { hue: 200, mood: 'pixel-arcade' },
  chaotic: { hue: 350, mood: 'chaotic' },
  frantic: { hue: 355, mood: 'frantic' },
  underwater: { hue: 205, mood: 'deep and watery' },
  stormy: { hue: 225, mood: 'stormy' },
  rainy: { hue: 210, mood: 'rain-soaked' },
  misty: { hue: 180, mood: 'misty' },
};

/** Place words → used as the setting rather than as a character name. */
export const PLACES = new Set(
  `garden gardens city town village kitchen mall school office space ocean sea lake river forest jungle desert castle dungeon cave caves
  planet moon mars island islands volcano mountain mountains swamp tundra arctic galaxy station lab laboratory factory farm farmland
  graveyard cemetery library museum hospital subway sewer sewers street streets highway road rooftop rooftops sky skies cloud clouds
  kingdom realm world universe nebula orbit reactor bakery cafe restaurant attic basement beach reef harbor harbour port arena temple
  tower towers ruins citadel fortress hive pond meadow valley canyon underworld abyss void dreamland shire market bazaar circus carnival`
    .split(/\s+/)
    .filter(Boolean),
);

/** Action and genre words that make poor character names. */
export const ACTION_WORDS = new Set(
  `shoot shooter shooting blast blasting defend defense defence defender run runner running jump jumping collect collecting grow growing
  build building tap tapping click clicking idle incremental survive surviving survival dodge dodging fight fighting battle break breaking
  bounce bouncing eat eating chase chasing escape escaping protect protecting stop stopping save saving catch catching roguelite roguelike
  clicker simulator sim tycoon platformer arcade endless action adventure puzzle strategy casual fun cool epic awesome brutal tower-defense
  attack attacks attacking invade invades invading destroy destroys kill kills hunt hunts explore explores steal steals raid raids
  defends guard guards fly flies eat eats rise rises steal steals dodge dodges swim swims dig digs climb climbs fall falls roll rolls
  bounce bounces hide hides sneak sneaks find finds become becomes turn turns keep keeps take takes give gives go goes come comes
  fortify fortifies tend tends builds nurture nurtures grows hold holds race races leap leaps outrun outruns slither slithers
  gobble gobbles wind winds outgrow outgrows shatter shatters knock knocks blast blasts fend fends outlast outlasts hoard hoards dash dashes swing swings throw throws launch launches smash smashes
  breakout shooter's tries try trying must need needs want wants loves love hate hates game-like themed theme inspired mix`
    .split(/\s+/)
    .filter(Boolean),
);

export const RANDOM_MOODS = [
  'cozy',
  'neon',
  'haunted',
  'frosty',
  'cosmic',
  'sunny',
  'toxic',
  'ancient',
  'candy',
  'stormy',
  'enchanted',
  'volcanic',
  'retro',
  'misty',
];
export const RANDOM_HEROES = [
  'fox',
  'otter',
  'knight',
  'robot',
  'witch',
  'bee',
  'penguin',
  'golem',
  'astronaut',
  'snail',
  'lantern',
  'beetle',
  'owl',
  'samurai',
  'mole',
  'jellyfish',
  'gnome',
  'comet',
];
export const RANDOM_FOES = [
  'slugs',
  'ghosts',
  'drones',
  'goblins',
  'wasps',
  'crabs',
  'shadows',
  'moths',
  'bandits',
  'gremlins',
  'spores',
  'wraiths',
  'rats',
  'imps',
  'meteors',
  'jellies',
];
export const RANDOM_PLACES = [
  'garden',
  'city',
  'reef',
  'library',
  'volcano',
  'moon',
  'bakery',
  'swamp',
  'orbit',
  'castle',
  'carnival',
  'canyon',
  'tundra',
  'lighthouse',
];
export const RANDOM_LOOT = [
  'acorns',
  'sparks',
  'pearls',
  'coins',
  'crystals',
  'embers',
  'petals',
  'runes',
  'bolts',
  'honey',
  'stars',
  'shells',
];

/** Words for things that are usually the threat, so they name enemies rather than the hero. */
export const FOE_WORDS = new Set(
  `zombie alien ghost monster invader demon slime bug insect goblin orc troll skeleton vampire bandit pirate drone spider wasp rat slug
  pest virus germ enemy creep horde swarm undead mummy meteor asteroid spore weed locust termite ant mosquito shadow wraith imp gremlin
  mutant raider marauder beast creature kraken shark wolf crow bat robot-army invasion cultist witch-hunter pigeon raccoon mole blob
  ooze parasite critter fiend specter spectre phantom poltergeist ghoul werewolf dragon storm tide block brick`
    .split(/\s+/)
    .filter(Boolean),
);
