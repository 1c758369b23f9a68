// The reaper's scratch-workspace pass: a dead phase's directory (older than any phase can live)
// goes; a live one, and anything that is not a scratch directory, stays.
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { reapScratchDirs } from '../lib/reaper/workspaces.ts';

const root = await mkdtemp(path.join(os.tmpdir(), 'gpg-scratch-'));
afterAll(() => rm(root, { recursive: true, force: true }));

it('removes scratch dirs of dead phases only', async () => {
  const old = (Date.now() - 3600_000) / 1000;
  for (const name of ['job7-p2-AbC123', 'deploy-job7-xYz789', 'job8-p1-QqQqQq', 'games', 'job9-p1-keepme-not']) {
    await mkdir(path.join(root, name, 'dist'), { recursive: true });
    await writeFile(path.join(root, name, 'dist', 'index.html'), 'x');
    if (name !== 'job8-p1-QqQqQq') await utimes(path.join(root, name), old, old);
  }
  const removed = await reapScratchDirs(root, 1020);
  expect(removed.sort()).toEqual(['deploy-job7-xYz789', 'job7-p2-AbC123']);
  expect((await readdir(root)).sort()).toEqual(['games', 'job8-p1-QqQqQq', 'job9-p1-keepme-not']);
});
