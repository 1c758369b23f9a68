// `gamepocgen playtest` inside a phase: the build and repair prompts make "play
// the game, read the judge's evidence, fix, repeat" the loop, so the CLI's Bash
// tool must find a `gamepocgen` command. A small shell shim is written into the
// phase's private HOME (owned by the CLI's user) and its directory is put first
// on the CLI's PATH. It runs only `playtest` (no database, no service config, no
// secrets: the CLI's environment is built from scratch, policy.ts) with this
// process's Node and the playtest program alone (bin/playtest.ts, whose imports
// are only the judge, playwright-core and the static serving); every other
// subcommand is refused, so the agent cannot start a service from inside a phase.
import { existsSync } from 'node:fs';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunAs } from './run-as.ts';

/** The playtest program (absent in an image that does not ship it). */
export const PLAYTEST_ENTRY = fileURLToPath(new URL('../../../bin/playtest.ts', import.meta.url));

/** Single-quoted for /bin/sh: safe for any path. */
const sh = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function shimScript(node: string, entry: string): string {
  return `#!/bin/sh
# gamepocgen inside a GamePocGen phase: only \`gamepocgen playtest\` is available here.
if [ "$1" != playtest ]; then
  echo "gamepocgen: only 'gamepocgen playtest <dir|url> [--compact|--json] [--sandbox] [--seconds N] [--keypoints FILE]' runs inside a phase" >&2
  exit 2
fi
shift
exec ${sh(node)} ${sh(entry)} "$@"
`;
}

/**
 * Writes `<home>/bin/gamepocgen` and returns that directory (to go first on PATH),
 * or null when this installation has no playtest command (the prompt then says so).
 */
export async function writePlaytestShim(
  home: string,
  runAs: RunAs | null,
  entry = PLAYTEST_ENTRY,
  node = process.execPath,
): Promise<string | null> {
  if (!existsSync(entry)) return null;
  const dir = path.join(home, 'bin');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'gamepocgen');
  await writeFile(file, shimScript(node, entry), { mode: 0o755 });
  if (runAs) {
    await chown(dir, runAs.uid, runAs.gid);
    await chown(file, runAs.uid, runAs.gid);
  }
  return dir;
}
