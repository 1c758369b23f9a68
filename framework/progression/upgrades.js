// Upgrades with exponential cost curves, level caps and unlock requirements.
// Kits read levels (e.g. `upgrades.level('fire-rate')`) to change how play feels.

/**
 * @typedef {object} UpgradeDef
 * @property {string} id
 * @property {string} name
 * @property {string} [effect]     player-facing description
 * @property {number} baseCost
 * @property {number} costGrowth   cost of level n = baseCost × costGrowth^n
 * @property {number} [maxLevel=10]
 * @property {{id: string, level: number}} [requires]  unlock: another upgrade at a level
 */

/**
 * @typedef {object} UpgradeView
 * @property {string} id @property {string} name @property {string} effect
 * @property {number} level @property {number} maxLevel @property {number} cost
 * @property {boolean} unlocked @property {boolean} maxed
 */

/**
 * Cost of buying the next level from `level`.
 * @param {number} baseCost @param {number} growth @param {number} level
 */
export function costAt(baseCost, growth, level) {
  return Math.ceil(baseCost * growth ** level);
}

/**
 * @param {UpgradeDef[]} defs
 */
export function createUpgrades(defs) {
  /** @type {Map<string, number>} */
  const levels = new Map(defs.map((d) => [d.id, 0]));
  const byId = new Map(defs.map((d) => [d.id, d]));
  const def = (/** @type {string} */ id) => {
    const d = byId.get(id);
    if (!d) throw new Error(`unknown upgrade: ${id}`);
    return d;
  };
  const api = {
    /** @param {string} id */
    level: (id) => levels.get(id) ?? 0,
    /** @param {string} id */
    cost(id) {
      const d = def(id);
      return costAt(d.baseCost, d.costGrowth, api.level(id));
    },
    /** @param {string} id */
    unlocked(id) {
      const req = def(id).requires;
      return !req || api.level(req.id) >= req.level;
    },
    /** @param {string} id */
    maxed: (id) => api.level(id) >= (def(id).maxLevel ?? 10),
    /**
     * Buys one level if unlocked, not maxed and affordable.
     * @param {string} id @param {import('./wallet.js').Wallet} wallet
     */
    buy(id, wallet) {
      if (!byId.has(id) || !api.unlocked(id) || api.maxed(id)) return false;
      if (!wallet.spend(api.cost(id))) return false;
      levels.set(id, api.level(id) + 1);
      return true;
    },
    /** @returns {UpgradeView[]} */
    list: () =>
      defs.map((d) => ({
        id: d.id,
        name: d.name,
        effect: d.effect ?? '',
        level: api.level(d.id),
        maxLevel: d.maxLevel ?? 10,
        cost: api.cost(d.id),
        unlocked: api.unlocked(d.id),
        maxed: api.maxed(d.id),
      })),
    /** The cheapest upgrade that can currently be bought (ignoring money), or null. */
    cheapest() {
      const open = api.list().filter((u) => u.unlocked && !u.maxed);
      return open.sort((a, b) => a.cost - b.cost)[0] ?? null;
    },
    snapshot: () => Object.fromEntries(levels),
    /** @param {Record<string, number> | null | undefined} data */
    restore(data) {
      if (!data) return;
      for (const d of defs) {
        const v = data[d.id];
        if (Number.isInteger(v) && v >= 0) levels.set(d.id, Math.min(v, d.maxLevel ?? 10));
      }
    },
    reset() {
      for (const id of levels.keys()) levels.set(id, 0);
    },
  };
  return api;
}
