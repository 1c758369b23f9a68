// Rewrites the generated sections of the docs from their sources of truth:
// docs/framework.md's game config table from lib/game-config.ts.
// Run: npm run docs:generate (test/game-config.test.ts fails while they differ).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT_DIR } from '../lib/config.ts';
import { GENERATED_DOCS, replaceGenerated } from '../lib/generated-docs.ts';

for (const { file, marker, render } of GENERATED_DOCS) {
  const at = path.join(ROOT_DIR, file);
  const before = await readFile(at, 'utf8');
  const after = replaceGenerated(before, marker, render());
  if (after !== before) {
    await writeFile(at, after);
    console.log(`${file}: ${marker} section rewritten`);
  } else console.log(`${file}: ${marker} section up to date`);
}
