// Sections of the docs generated from code (between `<!-- generated:NAME -->` and
// `<!-- /generated:NAME -->`): bin/generate-docs.ts writes them and
// test/game-config.test.ts checks they are current.
import { gameConfigReference } from './game-config.ts';

export const GENERATED_DOCS = [{ file: 'docs/framework.md', marker: 'game-config', render: gameConfigReference }];

/** `doc` with the section named `marker` replaced by `content`; throws when the markers are absent. */
export function replaceGenerated(doc: string, marker: string, content: string): string {
  const open = `<!-- generated:${marker} (npm run docs:generate) -->`;
  const close = `<!-- /generated:${marker} -->`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start < 0 || end < start) throw new Error(`the doc has no ${open} … ${close} section`);
  return `${doc.slice(0, start + open.length)}\n${content}\n${doc.slice(end)}`;
}
