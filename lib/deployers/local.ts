// The local deployer: the app itself serves slot N at http://gamedemoN.localhost:PORT/
// (and /play/N/), reading DEPLOY_DIR/gamedemoN/current (functions/play.ts).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { localSlotUrl } from '../slot-names.ts';
import type { Deployer } from './types.ts';
import { publishRelease, pruneReleases, removeSlot, slotDir } from './releases.ts';

export function createLocalDeployer(opts: { deployDir: string; port: number; publicBase?: string }): Deployer {
  const urlFor = (slot: number) => {
    if (opts.publicBase) return `${opts.publicBase.replace(/\/$/, '')}/play/${slot}/`;
    return localSlotUrl(slot, opts.port);
  };
  return {
    name: 'local',
    describe: () => `local (served by the app from ${opts.deployDir})`,
    urlFor,
    async publish({ slot, jobId, sourceDir }) {
      const dir = slotDir(opts.deployDir, slot);
      const release = await publishRelease(dir, 'current', sourceDir, jobId);
      // Keep the live release and the one before it (a reader may still be mid-request on it).
      await pruneReleases(dir, [release.id, release.previous]);
      return { url: urlFor(slot) };
    },
    unpublish: (slot) => removeSlot(opts.deployDir, slot),
    async check(slot) {
      const index = await stat(path.join(slotDir(opts.deployDir, slot), 'current', 'index.html')).catch(() => null);
      return index?.isFile() ? null : 'its files are missing';
    },
  };
}
