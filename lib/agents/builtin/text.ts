// Word handling for turning an idea sentence into names. Ideas are untrusted
// free text (any script, emoji, markup); everything here works on Unicode letters
// and never produces markup.

const STOPWORDS = new Set(
  `a an the and or but of in on at to for from with without into onto over under by as is are be was were it its this that these those
  where when while who whom which what why how than then so such very really just game games play player players playing about like
  you your yours we our they their them he she his her i me my mine some any all each every no not only also more most less few many much
  make makes made get gets got has have had do does did can could should would will shall may might must let lets one two three
  new old big small little tiny huge where there here up down out off again against between through during before after above below
  lot lots thing things stuff kind sort way ways set sets using use uses based style version type
  across along around while through toward towards behind beyond among inside outside until since despite via per onto upon within`
    .split(/\s+/)
    .filter(Boolean),
);

/** Lower-case words of letters (any script), in order, without stopwords or repeats. */
export function contentWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/\p{L}[\p{L}\p{M}'’-]*/gu)) {
    const word = m[0].replace(/['’-]+$/, '').replace(/['’]s$/, '');
    if (word.length < 3 || word.length > 24 || STOPWORDS.has(word) || seen.has(word)) continue;
    seen.add(word);
    out.push(word);
  }
  return out;
}

/** A crude singular form, good enough for names ("zombies" → "zombie"). */
const IE_WORDS = /(zomb|cook|pix|rook|mov|goal|brown|hipp|self|gen|bird|beast|smooth|hott|sweet|kelp)ies$/;

export function singular(word: string): string {
  if (IE_WORDS.test(word)) return word.slice(0, -1);
  if (/ies$/.test(word) && word.length > 4) return word.slice(0, -3) + 'y';
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(ches|shes|xes)$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word) && word.length > 3) return word.slice(0, -1);
  return word;
}

export function plural(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return word.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/i.test(word)) return word + 'es';
  return word + 's';
}

/** "a" or "an" before a word (by its first letter; good enough for English). */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

export function capitalize(word: string): string {
  return word ? word[0]!.toLocaleUpperCase('en') + word.slice(1) : word;
}

export function titleCase(text: string): string {
  return text.split(' ').map(capitalize).join(' ');
}

/** Cuts at a word boundary and adds an ellipsis; never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  if (chars.length <= max) return chars.join('');
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

/** Makes untrusted text inert in Markdown: no HTML, no links, no headings. */
export function markdownText(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Only what could form links, emphasis, code, headings or table cells.
      .replace(/([\\`*_[\]#|])/g, '\\$1')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Fills {placeholders} from `vars`; unknown placeholders are left as-is. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}
