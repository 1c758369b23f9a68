// Atomic publishing shared by both deployers: slot N's directory holds
// releases/<id>/ and a `current` symlink that is swapped with rename(2), so a
// reader sees the old game or the new one, never a mix.
import { cp, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { slotName } from '../slot-names.ts';

export function slotDir(deployDir: string, slot: number): string {
  return path.join(deployDir, slotName(slot));
}

/** Copies `sourceDir` into a new release of slot N and switches `current` to it. Returns the release path. */
export async function publishRelease(
  deployDir: string,
  slot: number,
  sourceDir: string,
  releaseId: string,
): Promise<string> {
  const dir = slotDir(deployDir, slot);
  const releases = path.join(dir, 'releases');
  const release = path.join(releases, releaseId);
  await mkdir(releases, { recursive: true });
  await rm(release, { recursive: true, force: true });
  await cp(sourceDir, release, { recursive: true });
  const tmpLink = path.join(dir, `.current-${releaseId}`);
  await rm(tmpLink, { force: true });
  await symlink(path.join('releases', releaseId), tmpLink);
  await rename(tmpLink, path.join(dir, 'current'));
  await pruneReleases(releases, releaseId);
  return release;
}

/** Keeps the live release and the one before it (a reader may still be mid-request on it). */
async function pruneReleases(releases: string, keep: string) {
  const names = (await readdir(releases)).filter((n) => n !== keep).sort();
  for (const old of names.slice(0, -1)) await rm(path.join(releases, old), { recursive: true, force: true });
}

export async function removeSlot(deployDir: string, slot: number): Promise<void> {
  await rm(slotDir(deployDir, slot), { recursive: true, force: true });
}
