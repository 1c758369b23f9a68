// Fills what a game config (dist/config.js, `globalThis.GAME_CONFIG`) leaves out,
// so a partial config still boots: the build validation (lib/game-config.ts, the
// schema of every field) names a missing field, and the game shows defaults
// instead of throwing at boot. Each field it had to fill is reported once with
// console.warn (a warning, not an error: the play-test judges the game itself).

/** @type {Record<string, string>} */
const NAMES = { player: 'hero', enemy: 'foe', enemies: 'foes', boss: 'boss', currency: 'coins', projectile: 'shot' };
/** @type {Record<string, string>} */
const PALETTE = { background: '#10131c', primary: '#4fc3f7', secondary: '#ab47bc', accent: '#ffca28', text: '#f5f5f5' };

/**
 * @param {any} given   the config as loaded (may be partial or missing)
 * @param {(message: string) => void} [warn]
 * @returns {import('../kit.js').GameConfig}
 */
export function withConfigDefaults(given, warn = (m) => console.warn(m)) {
  const c = given && typeof given === 'object' ? given : {};
  /** @type {string[]} */
  const missing = [];
  /** @template T @param {string} key @param {(v: any) => boolean} ok @param {T} fallback @returns {T} */
  const pick = (key, ok, fallback) => {
    if (ok(c[key])) return c[key];
    missing.push(key);
    return fallback;
  };
  const isText = (/** @type {any} */ v) => typeof v === 'string' && v.length > 0;
  const isList = (/** @type {any} */ v) => Array.isArray(v);
  const isObject = (/** @type {any} */ v) => !!v && typeof v === 'object' && !Array.isArray(v);
  const title = pick('title', isText, 'Untitled game');
  const config = {
    ...c,
    schema: 1,
    title,
    genre: pick('genre', isText, 'custom'),
    seed: pick('seed', (v) => Number.isInteger(v) && v >= 0, 1),
    tagline: pick('tagline', isText, ''),
    howToPlay: pick('howToPlay', isList, []),
    controls: pick('controls', isList, []),
    names: { ...NAMES, ...pick('names', isObject, {}) },
    palette: { ...PALETTE, ...pick('palette', isObject, {}) },
    tuning: pick('tuning', isObject, {}),
    upgrades: pick('upgrades', isList, []),
    winTitle: pick('winTitle', isText, 'You win!'),
    winText: pick('winText', isText, ''),
    loseTitle: pick('loseTitle', isText, 'Game over'),
    loseText: pick('loseText', isText, ''),
    saveKey: pick('saveKey', isText, `untitled-${title.length}`),
  };
  if (missing.length) warn(`GAME_CONFIG: missing or invalid ${missing.join(', ')}; using defaults`);
  return config;
}
