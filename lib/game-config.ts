// The game config (`dist/config.js`, `globalThis.GAME_CONFIG`): the data the
// framework shell (framework/game.js, ui/screens.js) and the kits read. This zod
// schema is the single source of truth: the builtin agent's output is parsed with
// it, the validation of a build (lib/phase-outputs.ts) checks `dist/config.js`
// against it, the prompts and docs/framework.md carry the table generated from it
// (`gameConfigReference`), and framework/kit.js's GameConfig typedef is checked
// against its keys (test/game-config.test.ts).
import { z } from 'zod';

const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');
const text = (max: number) => z.string().trim().min(1).max(max);

export const GameConfigNames = z.object({
  player: text(40).describe('what the player is, e.g. "lantern keeper"'),
  enemy: text(40).describe('one enemy, e.g. "sea wraith"'),
  enemies: text(44).describe('the plural, e.g. "sea wraiths"'),
  boss: text(50).describe('the last, biggest enemy'),
  currency: text(40).describe('the currency earned in play, e.g. "pearls"'),
  projectile: text(50).describe('what the player fires or throws'),
});

export const GameConfigUpgrade = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,40}$/, 'must be a lowercase kebab-case id')
    .describe("a kit's upgrade id (kits/<id>.meta.json): the kit reads its level by this id"),
  name: text(40).describe('shown in the shop'),
  effect: text(160).describe('shown in the shop: what one level does'),
  baseCost: z.number().positive().describe('cost of level 1'),
  costGrowth: z.number().min(1).max(5).describe('cost of level n = ceil(baseCost × costGrowth^n)'),
  maxLevel: z.number().int().min(1).max(100).optional().describe('default 10'),
  requires: z
    .object({ id: z.string(), level: z.number().int().min(1) })
    .optional()
    .describe('unlocked only once another upgrade reaches a level'),
});

export const GameConfig = z.object({
  schema: z.literal(1).describe('the config format version: 1'),
  title: text(80).describe('the page title and the title card'),
  genre: text(40).describe('the kit id (`arena-shooter`, …), or `custom` for a model-written kit'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .describe('seeds the game rng (re-seeded each run from it)'),
  idea: z.string().max(280).optional().describe("the player's own words, quoted on the title card (as text)"),
  tagline: text(140).describe('subtitle of the title card'),
  howToPlay: z.array(text(420)).min(1).max(6).describe('lines on the title card: the goal, how to win and lose'),
  controls: z
    .array(z.object({ input: text(200), action: text(200) }))
    .min(1)
    .max(8)
    .describe('the controls panel on the title and pause screens: every input the game reads'),
  names: GameConfigNames.describe('what this game calls things (kits use them in texts and the HUD)'),
  palette: z
    .object({ background: HexColor, primary: HexColor, secondary: HexColor, accent: HexColor, text: HexColor })
    .describe('five #rrggbb colours; `text` must be readable on `background`'),
  tuning: z
    .record(z.string(), z.number())
    .describe("the kit's tuning numbers, by the keys in kits/<id>.meta.json (others are ignored)"),
  upgrades: z.array(GameConfigUpgrade).max(12).describe('the shop, in order (keys 1–9 buy them)'),
  winTitle: text(60).describe('heading of the win screen'),
  winText: text(240).describe('text of the win screen'),
  loseTitle: text(60).describe('heading of the loss screen'),
  loseText: text(240).describe('text of the loss screen'),
  saveKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1–80 letters, digits, _ or -')
    .describe('the save slot (stored as gpg:<saveKey> through core/save.js)'),
});
export type GameConfig = z.infer<typeof GameConfig>;

export const CONFIG_PATH = 'dist/config.js';
const ASSIGNMENT = /^\s*(?:(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/)\s*)*globalThis\.GAME_CONFIG\s*=\s*([\s\S]*?);?\s*$/;

/**
 * Reads `dist/config.js` without running it: the file must be comments, then
 * `globalThis.GAME_CONFIG = <JSON>;`. Returns the problems (each naming the field), empty when valid.
 */
export function checkConfigJs(source: string): { config: GameConfig | null; problems: string[] } {
  const m = ASSIGNMENT.exec(source);
  if (!m)
    return {
      config: null,
      problems: [`${CONFIG_PATH}: must be \`globalThis.GAME_CONFIG = {…JSON…};\` (comments allowed before it)`],
    };
  let value: unknown;
  try {
    value = JSON.parse(m[1]!);
  } catch (e) {
    return {
      config: null,
      problems: [`${CONFIG_PATH}: the value of GAME_CONFIG is not plain JSON (${(e as Error).message})`],
    };
  }
  const parsed = GameConfig.safeParse(value);
  if (parsed.success) return { config: parsed.data, problems: [] };
  return {
    config: null,
    problems: parsed.error.issues.map(
      (i) => `${CONFIG_PATH}: GAME_CONFIG.${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`,
    ),
  };
}

/** One row per field (nested objects flattened as `names.player`), for the docs and the prompts. */
export function gameConfigFields(): Array<{ field: string; type: string; required: boolean; about: string }> {
  const rows: Array<{ field: string; type: string; required: boolean; about: string }> = [];
  const walk = (shape: Record<string, z.ZodType>, prefix: string) => {
    for (const [key, schema] of Object.entries(shape)) {
      const optional = schema.safeParse(undefined).success;
      const inner = unwrap(schema);
      rows.push({ field: prefix + key, type: typeName(inner), required: !optional, about: schema.description ?? '' });
      if (inner instanceof z.ZodObject && key === 'names') walk(inner.shape as Record<string, z.ZodType>, `${key}.`);
      if (inner instanceof z.ZodArray && inner.element instanceof z.ZodObject && key === 'upgrades')
        walk(inner.element.shape as Record<string, z.ZodType>, `${key}[].`);
    }
  };
  walk(GameConfig.shape as Record<string, z.ZodType>, '');
  return rows;
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

function typeName(schema: z.ZodType): string {
  if (schema instanceof z.ZodLiteral) return JSON.stringify([...schema.values][0]);
  if (schema instanceof z.ZodString) return 'string';
  if (schema instanceof z.ZodNumber) return 'number';
  if (schema instanceof z.ZodRecord) return 'object of numbers';
  if (schema instanceof z.ZodArray) {
    const el = schema.element as z.ZodType;
    if (el instanceof z.ZodObject) return `array of {${Object.keys(el.shape).join(', ')}}`;
    return `array of ${typeName(el)}`;
  }
  if (schema instanceof z.ZodObject) return `{${Object.keys(schema.shape).join(', ')}}`;
  return 'value';
}

/** The Markdown table of every field, generated from the schema (docs/framework.md embeds the same text). */
export function gameConfigReference(): string {
  const rows = gameConfigFields().map(
    (r) => `| \`${r.field}\` | ${r.type} | ${r.required ? 'yes' : 'no'} | ${r.about.replace(/\|/g, '\\|')} |`,
  );
  return ['| field | type | required | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
