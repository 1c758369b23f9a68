// Atomic publishing into a slot directory, for both deployers (local and docker):
//   <slotDir>/releases/<id>/   one complete copy of a game per deploy
//   <slotDir>/<currentLink>    symlink → releases/<id>, replaced with rename(2)
// A server resolving the link per request sees either the old or the new
// release, never a half-copied one. The previous release is kept so requests
// already in flight can finish; older ones are pruned.
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, readdir, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { slotName } from '../slot-names.ts';

export class ReleaseError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ReleaseError';
    this.code = code;
  }
}

/** Slot N's directory under the deploy root (DEPLOY_DIR/gamedemoN). */
export function slotDir(deployDir: string, slot: number): string {
  return path.join(deployDir, slotName(slot));
}

export async function removeSlot(deployDir: string, slot: number): Promise<void> {
  await rm(slotDir(deployDir, slot), { recursive: true, force: true });
}

export interface Release {
  id: string;
  dir: string;
  /** The release the link pointed at before (kept one round), or null. */
  previous: string | null;
}

/** Makes everything readable by the server's user (the worker wrote it as uid 1001, maybe 0600). */
async function makeWorldReadable(dir: string) {
  await chmod(dir, 0o755);
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    if (e.isDirectory()) await chmod(p, 0o755);
    else if (e.isFile()) await chmod(p, 0o644);
  }
}

export async function currentRelease(slotDir: string, currentLink: string): Promise<string | null> {
  try {
    return path.basename(await readlink(path.join(slotDir, currentLink)));
  } catch {
    return null;
  }
}

/** Copies `sourceDir` into a new release and points the slot's link at it. */
export async function publishRelease(
  slotDir: string,
  currentLink: string,
  sourceDir: string,
  jobId: number,
): Promise<Release> {
  const src = await stat(path.join(sourceDir, 'index.html')).catch(() => null);
  if (!src?.isFile())
    throw new ReleaseError(
      'deploy_source_invalid',
      `${sourceDir} has no index.html; the build phase must produce dist/index.html`,
    );
  const releases = path.join(slotDir, 'releases');
  await mkdir(releases, { recursive: true });
  await chmod(slotDir, 0o755);
  await chmod(releases, 0o755);
  const id = `job${jobId}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const staging = path.join(releases, `.staging-${id}`);
  const dir = path.join(releases, id);
  // Copy into a dot-named staging dir first so a crash mid-copy leaves nothing that looks like a release.
  await cp(sourceDir, staging, { recursive: true, dereference: true });
  await makeWorldReadable(staging);
  await rename(staging, dir);
  const previous = await currentRelease(slotDir, currentLink);
  const tmpLink = path.join(slotDir, `.${currentLink}-${randomBytes(4).toString('hex')}`);
  // Relative target: the link must resolve inside the container, where the slot is mounted elsewhere.
  await symlink(path.posix.join('releases', id), tmpLink);
  await rename(tmpLink, path.join(slotDir, currentLink));
  return { id, dir, previous };
}

/** Removes releases other than `keep`, and staging dirs a crashed publish left (older than 10 minutes). */
export async function pruneReleases(
  slotDir: string,
  keep: Array<string | null>,
  nowMs = Date.now(),
): Promise<string[]> {
  const releases = path.join(slotDir, 'releases');
  const names = await readdir(releases).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (keep.includes(name)) continue;
    if (name.startsWith('.')) {
      const st = await stat(path.join(releases, name)).catch(() => null);
      if (!st || nowMs - st.mtimeMs < 600_000) continue; // maybe a publish in progress
    }
    await rm(path.join(releases, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
