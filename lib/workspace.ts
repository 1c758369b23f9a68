// A workspace is a scratch directory materialised from a job's stored artifacts.
// Files are exchanged as a map of relative POSIX paths to bytes.
import { mkdir, readdir, readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import path from 'node:path';

export type FileMap = Map<string, Buffer>;

/** Reads every regular file under `dir` (skipping `status/` and dot-directories). */
export async function readTree(dir: string, opts: { skip?: (rel: string) => boolean } = {}): Promise<FileMap> {
  const out: FileMap = new Map();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const rel = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
        if (rel.split('/').some((seg) => seg.startsWith('.')) || opts.skip?.(rel)) return;
        out.set(rel, await readFile(path.join(dir, rel)));
      }),
  );
  return out;
}

/** Writes `files` under `dir`, refusing any path that would escape it. */
export async function writeTree(dir: string, files: FileMap): Promise<void> {
  const root = path.resolve(dir);
  const dirs = new Set<string>();
  for (const rel of files.keys()) dirs.add(path.dirname(safeJoin(root, rel)));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  await Promise.all([...files].map(([rel, bytes]) => writeFile(safeJoin(root, rel), bytes)));
}

export function safeJoin(root: string, rel: string): string {
  const full = path.resolve(root, rel);
  if (full !== root && !full.startsWith(root + path.sep)) throw new Error(`path escapes workspace: ${rel}`);
  return full;
}

export async function makeScratchDir(parent: string, prefix: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  return mkdtemp(path.join(parent, `${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Files present in `after` that are new or whose bytes differ from `before`. */
export function changedFiles(before: FileMap, after: FileMap): FileMap {
  const out: FileMap = new Map();
  for (const [rel, bytes] of after) {
    const old = before.get(rel);
    if (!old || !old.equals(bytes)) out.set(rel, bytes);
  }
  return out;
}
