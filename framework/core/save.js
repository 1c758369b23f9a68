// Versioned save/load on localStorage. Games are sometimes served sandboxed
// (opaque origin) where touching localStorage throws, so every access is guarded
// and the game simply runs without persistence.

/**
 * @typedef {object} SaveStore
 * @property {() => any | null} load   the saved data (migrated to the current version), or null
 * @property {(data: any) => boolean} save  false when storage is unavailable
 * @property {() => void} clear
 * @property {boolean} available
 */

/**
 * @param {object} options
 * @param {string} options.key
 * @param {number} options.version
 * @param {(data: any, fromVersion: number) => any} [options.migrate]  upgrades older saves; return null to discard
 * @param {Storage | null} [options.storage]  defaults to globalThis.localStorage when reachable
 * @returns {SaveStore}
 */
export function createSaveStore({ key, version, migrate, storage }) {
  const store = storage === undefined ? probeStorage() : storage;
  return {
    available: store !== null,
    load() {
      if (!store) return null;
      try {
        const raw = store.getItem(key);
        if (!raw) return null;
        const parsed = JSON.parse(raw);
        if (!parsed || typeof parsed !== 'object' || typeof parsed.v !== 'number') return null;
        if (parsed.v === version) return parsed.data;
        if (parsed.v < version && migrate) return migrate(parsed.data, parsed.v) ?? null;
        return null;
      } catch {
        return null;
      }
    },
    save(data) {
      if (!store) return false;
      try {
        store.setItem(key, JSON.stringify({ v: version, data }));
        return true;
      } catch {
        return false;
      }
    },
    clear() {
      try {
        store?.removeItem(key);
      } catch {
        // Nothing to clear when storage is blocked.
      }
    },
  };
}

/** @returns {Storage | null} */
function probeStorage() {
  try {
    const s = globalThis.localStorage;
    if (!s) return null;
    const probe = '__gpg_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}
