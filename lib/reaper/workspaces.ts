// Scratch workspaces (lib/workspace.ts makeScratchDir: `job<id>-p<phase>-*`, `deploy-job<id>-*`,
// `restore-slot<n>-*`) are removed by the step that made them; a runner killed mid-phase leaves
// its own behind. No phase lives past its timeout (the runtime kills it, the reaper kills an
// orphaned container at its deadline), so a scratch directory last changed longer ago than
// that belongs to a dead phase and is removed. Each runner host reaps its own WORKSPACE_ROOT.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const SCRATCH = /^(job\d+-p\d+|deploy-job\d+|restore-slot\d+)-[A-Za-z0-9]{6}$/;

export async function reapScratchDirs(root: string, maxAgeSeconds: number, nowMs = Date.now()): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!SCRATCH.test(name)) continue;
    const dir = path.join(root, name);
    const st = await stat(dir).catch(() => null);
    if (!st?.isDirectory() || nowMs - st.mtimeMs < maxAgeSeconds * 1000) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
