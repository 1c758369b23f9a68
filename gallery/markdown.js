// A small, safe markdown renderer: headings, paragraphs, lists, code blocks,
// **bold**, *italic*, `code` and http(s) links — built as DOM nodes from text.
// Markup in the source is never interpreted: `<script>` stays the text "<script>".
import { el } from './common.js';

export function renderMarkdown(source) {
  const root = el('div', { className: 'markdown' });
  const lines = String(source ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (/^\s*$/.test(line)) {
      i++;
      continue;
    }
    const fence = /^```/.exec(line);
    if (fence) {
      const body = [];
      i++;
      while (i < lines.length && !/^```/.test(lines[i])) body.push(lines[i++]);
      i++;
      root.append(el('pre', {}, el('code', {}, body.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(heading[1].length + 2, 6); // page headings come first
      root.append(el(`h${level}`, {}, ...inline(heading[2])));
      i++;
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+/;
    if (item.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const list = el(ordered ? 'ol' : 'ul');
      while (i < lines.length && item.test(lines[i]))
        list.append(el('li', {}, ...inline(lines[i++].replace(item, ''))));
      root.append(list);
      continue;
    }
    if (/^>\s?/.test(line)) {
      const quote = [];
      while (i < lines.length && /^>\s?/.test(lines[i])) quote.push(lines[i++].replace(/^>\s?/, ''));
      root.append(el('blockquote', {}, ...inline(quote.join(' '))));
      continue;
    }
    const para = [];
    while (i < lines.length && !/^\s*$/.test(lines[i]) && !/^(#{1,6}\s|```|>|\s*([-*+]|\d+[.)])\s)/.test(lines[i]))
      para.push(lines[i++]);
    root.append(el('p', {}, ...inline(para.join(' '))));
  }
  return root;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(\[[^\]]+\]\((https?:\/\/[^\s)]+)\))/;

/** Inline spans as nodes; everything else stays text. */
function inline(text) {
  const out = [];
  let rest = text;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index) out.push(rest.slice(0, m.index));
    const [token] = m;
    if (m[1]) out.push(el('code', {}, token.slice(1, -1)));
    else if (m[2]) out.push(el('strong', {}, token.slice(2, -2)));
    else if (m[3]) out.push(el('em', {}, token.slice(1, -1)));
    else if (m[4]) {
      const label = token.slice(1, token.indexOf(']('));
      out.push(el('a', { href: m[5], rel: 'noopener noreferrer nofollow', target: '_blank' }, label));
    }
    rest = rest.slice(m.index + token.length);
  }
  return out;
}
