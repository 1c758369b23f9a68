// Heads-up display: a row of labelled values (score, currency, wave, lives).
// Only touches the DOM when a value changes, so it is cheap to call every frame.
import { el } from './dom.js';

/**
 * @typedef {{id: string, label: string, value: string}} HudItem
 */

/**
 * @param {Document} doc @param {HTMLElement} parent
 */
export function createHud(doc, parent) {
  const root = el(doc, 'div', { className: 'gpg-hud', attrs: { role: 'status' } });
  parent.appendChild(root);
  /** @type {Map<string, {value: HTMLElement, last: string}>} */
  const cells = new Map();
  return {
    root,
    /** @param {HudItem[]} items */
    set(items) {
      for (const item of items) {
        let cell = cells.get(item.id);
        if (!cell) {
          const value = el(doc, 'b', { text: item.value });
          root.appendChild(
            el(doc, 'span', { className: `gpg-hud-item gpg-hud-${item.id}` }, [
              el(doc, 'small', { text: item.label }),
              value,
            ]),
          );
          cell = { value, last: item.value };
          cells.set(item.id, cell);
        } else if (cell.last !== item.value) {
          cell.value.textContent = item.value;
          cell.last = item.value;
        }
      }
    },
    /** @param {string} id */
    read: (id) => cells.get(id)?.last ?? null,
  };
}
