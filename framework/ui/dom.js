// The one way UI code creates elements. Text always goes in via textContent:
// game text comes from user-typed ideas and must never be parsed as HTML.

/**
 * @param {Document} doc
 * @param {string} tag
 * @param {{className?: string, text?: string, attrs?: Record<string, string>}} [opts]
 * @param {Node[]} [children]
 * @returns {HTMLElement}
 */
export function el(doc, tag, opts = {}, children = []) {
  const node = doc.createElement(tag);
  if (opts.className) node.className = opts.className;
  if (opts.text !== undefined) node.textContent = opts.text;
  for (const [k, v] of Object.entries(opts.attrs ?? {})) node.setAttribute(k, v);
  for (const child of children) node.appendChild(child);
  return node;
}
