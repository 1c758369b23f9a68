// Full-screen panels: title / how-to-play, pause, game over and win. One
// overlay element, re-filled per screen; buttons call back into the game.
import { el } from './dom.js';

/**
 * @typedef {object} OverlayContent
 * @property {string} title
 * @property {string} [subtitle]
 * @property {string[]} [lines]                       paragraphs
 * @property {Array<{key: string, text: string}>} [controls]  how-to-play table
 * @property {Array<{label: string, onClick: () => void, primary?: boolean}>} [buttons]
 * @property {Array<{label: string, href: string}>} [links]  opened in a new tab (an absolute one) or this one
 * @property {string} [kind]                          css modifier: title | paused | won | lost
 */

/** @param {Document} doc @param {HTMLElement} parent */
export function createOverlay(doc, parent) {
  const root = el(doc, 'div', { className: 'gpg-overlay', attrs: { role: 'dialog', 'aria-modal': 'true' } });
  root.hidden = true;
  parent.appendChild(root);
  let visible = false;
  return {
    root,
    get visible() {
      return visible;
    },
    /** @param {OverlayContent} content */
    show(content) {
      const card = el(doc, 'div', { className: `gpg-card gpg-${content.kind ?? 'info'}` });
      card.appendChild(el(doc, 'h1', { text: content.title }));
      if (content.subtitle) card.appendChild(el(doc, 'p', { className: 'gpg-subtitle', text: content.subtitle }));
      for (const line of content.lines ?? []) card.appendChild(el(doc, 'p', { text: line }));
      if (content.controls?.length) {
        const list = el(doc, 'dl', { className: 'gpg-controls' });
        for (const c of content.controls) {
          list.appendChild(el(doc, 'dt', { text: c.key }));
          list.appendChild(el(doc, 'dd', { text: c.text }));
        }
        card.appendChild(list);
      }
      const row = el(doc, 'div', { className: 'gpg-buttons' });
      for (const b of content.buttons ?? []) {
        const button = el(doc, 'button', {
          className: b.primary ? 'gpg-primary' : '',
          text: b.label,
          attrs: { type: 'button' },
        });
        button.addEventListener('click', (e) => {
          e.stopPropagation();
          b.onClick();
        });
        row.appendChild(button);
      }
      for (const l of content.links ?? []) {
        const external = /^https?:/.test(l.href);
        const attrs = external ? { href: l.href, target: '_blank', rel: 'noopener' } : { href: l.href };
        const link = el(doc, 'a', { className: 'gpg-link', text: l.label, attrs });
        link.addEventListener('click', (e) => e.stopPropagation());
        row.appendChild(link);
      }
      card.appendChild(row);
      root.replaceChildren(card);
      root.hidden = false;
      visible = true;
    },
    hide() {
      root.hidden = true;
      root.replaceChildren();
      visible = false;
    },
  };
}
