// Last line of defence for the key. The CLI never holds it (it talks to the
// endpoint through key-proxy.ts with a throwaway token), but the key is in this
// process's memory, and a copy that got into the workspace anyway (a future
// code path, a custom agent) must not be stored. Every file the phase leaves
// behind is checked after each CLI run and any copy of the key is replaced
// before the task stores the workspace as artifacts.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readTree } from '../../workspace.ts';

/** Replaces every occurrence of each secret in the workspace's files; returns the files it changed. */
export async function scrubSecrets(workspaceDir: string, secrets: string[]): Promise<string[]> {
  const needles = secrets.filter((s) => s.length >= 8).map((s) => Buffer.from(s));
  if (!needles.length) return [];
  const changed: string[] = [];
  const files = await readTree(workspaceDir, { skip: (p) => p.startsWith('status/') });
  for (const [rel, bytes] of files) {
    if (!needles.some((n) => bytes.includes(n))) continue;
    let text = (await readFile(path.join(workspaceDir, rel))).toString('latin1');
    for (const n of needles) text = text.split(n.toString('latin1')).join('[redacted]');
    await writeFile(path.join(workspaceDir, rel), Buffer.from(text, 'latin1'));
    changed.push(rel);
  }
  return changed;
}
