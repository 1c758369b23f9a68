// The shop: one button per upgrade showing name, level and cost. Digits 1–9 buy
// by keyboard; tapping buys on touch screens. Locked upgrades show what unlocks them.
import { el } from './dom.js';

/**
 * @param {Document} doc @param {HTMLElement} parent
 * @param {object} options
 * @param {(id: string) => void} options.onBuy
 * @param {(n: number) => string} options.format
 * @param {string} options.currencyName
 */
export function createUpgradePanel(doc, parent, { onBuy, format, currencyName }) {
  const root = el(doc, 'div', { className: 'gpg-shop', attrs: { 'aria-label': 'Upgrades' } });
  parent.appendChild(root);
  /** @type {Map<string, {button: HTMLButtonElement, level: HTMLElement, cost: HTMLElement, key: string}>} */
  const rows = new Map();
  return {
    root,
    /**
     * @param {import('../progression/upgrades.js').UpgradeView[]} views
     * @param {number} balance
     */
    update(views, balance) {
      views.forEach((u, i) => {
        let row = rows.get(u.id);
        if (!row) {
          const level = el(doc, 'span', { className: 'gpg-level' });
          const cost = el(doc, 'span', { className: 'gpg-cost' });
          const button = /** @type {HTMLButtonElement} */ (
            el(
              doc,
              'button',
              { className: 'gpg-upgrade', attrs: { type: 'button', 'data-upgrade': u.id, title: u.effect } },
              [
                el(doc, 'kbd', { text: String(i + 1) }),
                el(doc, 'span', { className: 'gpg-name', text: u.name }),
                level,
                cost,
              ],
            )
          );
          button.addEventListener('click', (e) => {
            e.stopPropagation();
            onBuy(u.id);
          });
          root.appendChild(button);
          row = { button, level, cost, key: '' };
          rows.set(u.id, row);
        }
        const costText = u.maxed ? 'MAX' : u.unlocked ? `${format(u.cost)} ${currencyName}` : 'locked';
        const key = `${u.level}|${costText}|${u.unlocked && !u.maxed && balance >= u.cost}`;
        if (key === row.key) return;
        row.key = key;
        row.level.textContent = `Lv ${u.level}`;
        row.cost.textContent = costText;
        row.button.disabled = !(u.unlocked && !u.maxed && balance >= u.cost);
      });
    },
  };
}
