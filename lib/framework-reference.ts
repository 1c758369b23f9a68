// The framework API reference the LLM prompts embed, generated at render time
// from framework/ itself (each module's header comment, its JSDoc typedefs and
// its exported signatures), so the prompt can never describe an API that the
// framework no longer has. The hand-written guide (docs/framework.md), when it
// sits beside framework/, is prepended for the how-to the code cannot say.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface FrameworkModule {
  /** POSIX path relative to framework/, e.g. `core/loop.js`. */
  path: string;
  summary: string;
  /** JSDoc blocks and export signatures, in source order. */
  api: string[];
  exports: string[];
}

/** Reads every `.js` module under `frameworkDir` (sorted), or [] when the directory is missing. */
export async function readFrameworkModules(frameworkDir: string): Promise<FrameworkModule[]> {
  const entries = await readdir(frameworkDir, { recursive: true, withFileTypes: true }).catch(() => null);
  if (!entries) return [];
  const files = entries
    .filter((e) => e.isFile() && /\.m?js$/.test(e.name))
    .map((e) => path.relative(frameworkDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((rel) => !rel.split('/').some((s) => s.startsWith('.') || s === 'node_modules' || s === 'test'))
    .sort();
  return Promise.all(files.map(async (rel) => parseModule(rel, await readFile(path.join(frameworkDir, rel), 'utf8'))));
}

export function parseModule(rel: string, source: string): FrameworkModule {
  const lines = source.split('\n');
  const summary: string[] = [];
  for (const line of lines) {
    const m = /^\/\/\s?(.*)$/.exec(line);
    if (!m) break;
    summary.push(m[1]!);
  }
  const api: string[] = [];
  const exports: string[] = [];
  let doc: string[] | null = null; // the JSDoc block just before the current line
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\/\*\*/.test(line)) {
      const block = [line];
      while (!block.at(-1)!.includes('*/') && i + 1 < lines.length) block.push(lines[++i]!);
      if (/@typedef|@callback/.test(block.join('\n'))) {
        api.push(block.join('\n'));
        doc = null;
      } else doc = block;
      continue;
    }
    const exp = /^export\s+(?:default\s+)?(?:async\s+)?(function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)/.exec(line);
    if (exp) {
      exports.push(exp[2]!);
      api.push([...(doc ?? []), signature(lines, i, exp[1]!)].join('\n'));
    } else if (/^export\s*\{/.test(line) && !/^export\s*\{\s*\}/.test(line)) {
      // (`export {};` only makes a types-only file such as kit.js a module: nothing to show)
      api.push(line.trim());
      for (const name of line.replace(/^export\s*\{|\}.*$/g, '').split(',')) {
        const local = name
          .trim()
          .split(/\s+as\s+/)
          .at(-1);
        if (local) exports.push(local);
      }
    }
    if (line.trim() !== '') doc = null;
  }
  return { path: rel, summary: summary.join(' ').replace(/\s+/g, ' ').trim(), api, exports };
}

/** The declaration's head: a function up to its parameter list's end, anything else its first line. */
function signature(lines: string[], start: number, kind: string): string {
  if (!kind.startsWith('function')) {
    const first = lines[start]!.trimEnd();
    return first.length > 160 ? first.slice(0, 157) + '…' : first;
  }
  let depth = 0;
  let out = '';
  for (let i = start; i < lines.length && i < start + 40; i++) {
    for (const ch of lines[i]!) {
      out += ch;
      if (ch === '(') depth++;
      if (ch === ')' && --depth === 0) return out.trimEnd();
    }
    out += '\n';
  }
  return lines[start]!.trimEnd();
}

/** The full reference: the guide (if any) and every module's documented API. */
export async function frameworkReference(frameworkDir: string): Promise<string> {
  const modules = await readFrameworkModules(frameworkDir);
  if (!modules.length) return `(No framework modules were found in ${frameworkDir}; build with plain canvas code.)`;
  const parts: string[] = [];
  const guide = await readGuide(frameworkDir);
  if (guide) parts.push('### Guide (docs/framework.md)\n\n' + guide.trim().replace(/^#/gm, '####'));
  parts.push('### API index (generated from the framework source)');
  for (const m of modules) {
    parts.push(
      `#### framework/${m.path}\n\n${m.summary || '(no summary)'}\n\n` +
        (m.api.length ? '```js\n' + m.api.join('\n\n') + '\n```' : '(no exports)'),
    );
  }
  const kits = await kitMetas(frameworkDir);
  if (kits.length) parts.push('### Genre kits (generated from framework/kits/*.meta.json)', ...kits);
  return parts.join('\n\n');
}

/** A short overview for the early phases: one line per module, and the genre kits. */
export async function frameworkSummary(frameworkDir: string): Promise<string> {
  const modules = await readFrameworkModules(frameworkDir);
  if (!modules.length) return '(No framework modules were found.)';
  return modules
    .map(
      (m) =>
        `- \`framework/${m.path}\`${m.exports.length ? ` (${m.exports.join(', ')})` : ''}: ${firstSentence(m.summary) || 'no summary'}`,
    )
    .join('\n');
}

/** Genre kits shipped in framework/kits/, by file name. */
export async function frameworkKits(frameworkDir: string): Promise<string[]> {
  return (await readFrameworkModules(frameworkDir))
    .filter((m) => m.path.startsWith('kits/'))
    .map((m) => m.path.slice('kits/'.length).replace(/\.m?js$/, ''));
}

/** One section per kit: its tuning keys (ranges, meaning) and upgrade ids, which plans and builds must use verbatim. */
async function kitMetas(frameworkDir: string): Promise<string[]> {
  const dir = path.join(frameworkDir, 'kits');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.meta.json')).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    let meta: Record<string, any>;
    try {
      meta = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
    } catch {
      continue; // a malformed meta file is the framework's test suite's problem, not the prompt's
    }
    const lines = [
      `#### kit \`${meta.id ?? name.replace('.meta.json', '')}\`${meta.label ? ` (${meta.label})` : ''}: \`framework/kits/${name.replace('.meta.json', '.js')}\``,
    ];
    if (meta.roles && typeof meta.roles === 'object')
      lines.push(
        `Roles: ${Object.entries(meta.roles)
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ')}.`,
      );
    if (meta.tuning && typeof meta.tuning === 'object') {
      lines.push('Tuning keys:');
      for (const [key, t] of Object.entries<any>(meta.tuning))
        lines.push(
          `- \`${key}\`: ${t?.min ?? '?'}–${t?.max ?? '?'}${t?.integer ? ' (integer)' : ''}${t?.about ? `, ${t.about}` : ''}`,
        );
    }
    if (Array.isArray(meta.upgrades)) {
      lines.push('Upgrade ids:');
      for (const u of meta.upgrades)
        lines.push(
          `- \`${u?.id}\`: ${u?.effect ?? ''}${u?.maxLevel ? ` (max level ${u.maxLevel})` : ''}${u?.requires ? ` (requires ${u.requires.id} ≥ ${u.requires.level})` : ''}`,
        );
    }
    out.push(lines.join('\n'));
  }
  return out;
}

async function readGuide(frameworkDir: string): Promise<string | null> {
  for (const candidate of [
    path.join(frameworkDir, '..', 'docs', 'framework.md'),
    path.join(frameworkDir, 'README.md'),
  ]) {
    try {
      return await readFile(candidate, 'utf8');
    } catch {
      // not present: the generated index stands alone
    }
  }
  return null;
}

function firstSentence(text: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return (m ? m[1]! : text).slice(0, 200);
}
