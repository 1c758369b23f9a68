// Writes game data as a JavaScript module without letting text escape its
// string: every character outside a small safe set becomes a \u escape, so idea
// text can contain quotes, `</script>`, `import … from "…"` or `src="…"` and
// still be inert data (and invisible to reference scanners).

const SAFE = /^[A-Za-z0-9 ,.!?:;()_+-]$/;

function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    out += SAFE.test(ch) ? ch : `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out + '"';
}

/** JSON-compatible serialisation with inert strings; `indent` spaces per level. */
export function inertJson(value: unknown, indent = 2, depth = 0): string {
  const pad = ' '.repeat(indent * (depth + 1));
  const close = ' '.repeat(indent * depth);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + inertJson(v, indent, depth + 1)).join(',\n')}\n${close}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${pad}${quote(k)}: ${inertJson(v, indent, depth + 1)}`).join(',\n')}\n${close}}`;
  }
  throw new Error(`cannot serialise a ${typeof value}`);
}
