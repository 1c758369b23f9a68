// Which framework files a game needs: the shell, its kit and the stylesheet,
// plus everything they reach through static imports. Only those are copied into
// dist/, which keeps a game small and self-contained.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Genre } from '../../artifacts.ts';

const IMPORT_RE =
  /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Map of framework-relative POSIX path → bytes, in a stable (sorted) order; `genre` null: the shell alone (a custom kit). */
export async function frameworkFilesFor(frameworkDir: string, genre: Genre | null): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  const queue = ['game.js', ...(genre ? [`kits/${genre}.js`] : []), 'ui/ui.css'];
  while (queue.length) {
    const rel = queue.shift()!;
    if (found.has(rel)) continue;
    const bytes = await readFile(path.join(frameworkDir, rel));
    found.set(rel, bytes);
    if (!rel.endsWith('.js')) continue;
    for (const m of bytes.toString('utf8').matchAll(IMPORT_RE)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1] ?? m[2]!));
      if (target.startsWith('..')) throw new Error(`framework/${rel} imports outside the framework: ${m[1] ?? m[2]}`);
      queue.push(target);
    }
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
