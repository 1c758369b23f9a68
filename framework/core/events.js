// A tiny synchronous event bus so kits, UI and audio can react to game events
// ("score", "hit", "buy", …) without knowing about each other.

/**
 * @typedef {object} EventBus
 * @property {(name: string, handler: (payload?: any) => void) => () => void} on   returns an unsubscribe function
 * @property {(name: string, handler: (payload?: any) => void) => () => void} once
 * @property {(name: string, handler: (payload?: any) => void) => void} off
 * @property {(name: string, payload?: any) => void} emit
 */

/** @returns {EventBus} */
export function createEventBus() {
  /** @type {Map<string, Set<(payload?: any) => void>>} */
  const handlers = new Map();
  /** @type {EventBus} */
  const bus = {
    on(name, handler) {
      let set = handlers.get(name);
      if (!set) {
        set = new Set();
        handlers.set(name, set);
      }
      set.add(handler);
      return () => bus.off(name, handler);
    },
    once(name, handler) {
      const off = bus.on(name, (payload) => {
        off();
        handler(payload);
      });
      return off;
    },
    off(name, handler) {
      handlers.get(name)?.delete(handler);
    },
    emit(name, payload) {
      // Copy first: a handler may unsubscribe itself while we iterate.
      for (const handler of [...(handlers.get(name) ?? [])]) handler(payload);
    },
  };
  return bus;
}
