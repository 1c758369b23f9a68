// Phase 5 for the builtin agent: a repair must change something that addresses a
// defect the play-test named, or say it cannot — never ship the same bytes again.
// The builtin agent's one fix is its kit's own build of the design: when the
// deployed dist/ differs from it (an agent's or a hand-made build broke), the
// differing files are replaced; when dist/ already is that build, it says so.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readTree, safeJoin, type FileMap } from '../../workspace.ts';

export interface NamedDefect {
  id: string;
  message: string;
}

export class CannotRepairError extends Error {
  code = 'cannot_repair';
}

/** The failed checks of the play-test in the workspace (`playtest.json`), else the feedback's defect lines. */
export async function namedDefects(workspaceDir: string, feedback: string | null): Promise<NamedDefect[]> {
  try {
    const doc = JSON.parse(await readFile(safeJoin(path.resolve(workspaceDir), 'playtest.json'), 'utf8')) as {
      checks?: { id?: unknown; passed?: unknown; detail?: unknown; message?: unknown }[];
    };
    const failed = (Array.isArray(doc.checks) ? doc.checks : []).filter((c) => c && c.passed === false);
    if (failed.length)
      return failed.map((c) => ({ id: String(c.id), message: String(c.message ?? c.detail ?? '').slice(0, 300) }));
  } catch {
    // No readable play-test: fall back to the feedback text.
  }
  return (feedback ?? '')
    .split('\n')
    .filter((l) => l.startsWith('- '))
    .slice(0, 20)
    .map((l, i) => ({ id: `defect-${i + 1}`, message: l.slice(2, 302) }));
}

/** Paths whose bytes differ between the two dist/ trees (missing on either side counts). */
export function differingPaths(current: FileMap, rebuilt: FileMap): string[] {
  const paths = new Set([...current.keys(), ...rebuilt.keys()]);
  return [...paths]
    .filter((p) => !current.has(p) || !rebuilt.has(p) || !current.get(p)!.equals(rebuilt.get(p)!))
    .sort();
}

/**
 * Decides the builtin repair: returns a line saying what changed and which defects it
 * addresses, or throws CannotRepairError with the reason (the phase then fails with it,
 * and the served version stays deployed).
 */
export async function planBuiltinRepair(
  workspaceDir: string,
  feedback: string | null,
  rebuilt: FileMap,
  kitLabel: string,
): Promise<string> {
  const defects = await namedDefects(workspaceDir, feedback);
  if (!defects.length)
    throw new CannotRepairError(
      'the builtin agent repairs only defects a play-test named, and this workspace has none (no playtest.json, no feedback)',
    );
  const current = await readTree(workspaceDir, { skip: (p) => !p.startsWith('dist/') });
  const changed = differingPaths(current, rebuilt);
  const named = defects.map((d) => d.id).join(', ');
  if (!changed.length)
    throw new CannotRepairError(
      `the builtin agent cannot repair ${named}: dist/ already is the ${kitLabel} kit's build of this design, its only fix (${defects[0]!.message})`,
    );
  const shown = changed.slice(0, 5).join(', ') + (changed.length > 5 ? ` (+${changed.length - 5} more)` : '');
  return `repair: dist/ differed from the ${kitLabel} kit's build of this design in ${shown}; replaced it with that build to fix ${named}`;
}
