// Currencies: named balances that only change through earn/spend, tracking the
// lifetime total (prestige is computed from it).

/**
 * @typedef {object} Wallet
 * @property {(id?: string) => number} get
 * @property {(amount: number, id?: string) => number} earn   adds (× multiplier); returns what was added
 * @property {(amount: number, id?: string) => boolean} spend false (and no change) when short
 * @property {(amount: number, id?: string) => boolean} canAfford
 * @property {(id?: string) => number} lifetime     everything ever earned
 * @property {number} multiplier                    applied by earn() (prestige bonus)
 * @property {() => Record<string, {balance: number, lifetime: number}>} snapshot
 * @property {(data: Record<string, {balance: number, lifetime: number}> | null | undefined) => void} restore
 * @property {() => void} reset
 */

/** @param {string[]} [ids] first id is the default currency @returns {Wallet} */
export function createWallet(ids = ['coins']) {
  const primary = ids[0];
  /** @type {Map<string, {balance: number, lifetime: number}>} */
  const accounts = new Map(ids.map((id) => [id, { balance: 0, lifetime: 0 }]));
  const account = (/** @type {string} */ id) => {
    const a = accounts.get(id);
    if (!a) throw new Error(`unknown currency: ${id}`);
    return a;
  };
  /** @type {Wallet} */
  const wallet = {
    multiplier: 1,
    get: (id = primary) => account(id).balance,
    earn(amount, id = primary) {
      if (!(amount > 0)) return 0;
      const gained = amount * wallet.multiplier;
      const a = account(id);
      a.balance += gained;
      a.lifetime += gained;
      return gained;
    },
    spend(amount, id = primary) {
      const a = account(id);
      if (!(amount >= 0) || a.balance + 1e-9 < amount) return false;
      a.balance = Math.max(0, a.balance - amount);
      return true;
    },
    canAfford: (amount, id = primary) => account(id).balance + 1e-9 >= amount,
    lifetime: (id = primary) => account(id).lifetime,
    snapshot: () => Object.fromEntries([...accounts].map(([id, a]) => [id, { ...a }])),
    restore(data) {
      if (!data) return;
      for (const [id, a] of accounts) {
        const saved = data[id];
        if (saved && Number.isFinite(saved.balance) && Number.isFinite(saved.lifetime)) {
          a.balance = Math.max(0, saved.balance);
          a.lifetime = Math.max(0, saved.lifetime);
        }
      }
    },
    reset() {
      for (const a of accounts.values()) a.balance = a.lifetime = 0;
    },
  };
  return wallet;
}
