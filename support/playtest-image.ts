// The play-test test image, `gamepocgen-playtest:test`: what WORKER_IMAGE offers a
// play-test container (Dockerfile.worker installs Debian's chromium beside the worker),
// assembled like gamepocgen-worker:test from this machine's own binaries, no registry:
//   Node 24 (stripped) + its libs, /usr/lib/chromium + the libs `ldd` lists + the NSS
//   modules Chromium dlopens, fontconfig + the installed fonts, and bin/playtest.ts with
//   its import closure (judge, playwright-core, static serving).
// A separate image and not part of gamepocgen-worker:test: on the vfs storage driver
// every container create copies its whole image, and Chromium is ≈ 350 MB that no
// phase container should pay for. Cached by its inputs-hash label like the others.
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  hashFiles,
  imageId,
  imageLabel,
  listFiles,
  type Log,
  removeReplaced,
  runtimePackages,
} from './docker-images.ts';
import { importClosure } from './import-closure.ts';
import { finishNodeImage, nodeRootfs, sharedLibs } from './node-rootfs.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
export const PLAYTEST_TEST_IMAGE = 'gamepocgen-playtest:test';
const BUILDER_VERSION = '1';
const CHROMIUM_DIR = '/usr/lib/chromium';
/** Vulkan debugging layers: never loaded headless, 23 MB. */
const SKIP = /^libVkLayer_khronos_validation/;
/** Loaded with dlopen (not in `ldd`): NSS's crypto modules, which Chromium's TLS and WebCrypto need. */
const LIB_DIR = '/usr/lib/x86_64-linux-gnu';
const DLOPENED = ['libsoftokn3.so', 'libfreebl3.so', 'libfreeblpriv3.so', 'libnssckbi.so', 'libnssdbm3.so'];
const DATA_DIRS = ['/etc/fonts', '/usr/share/fonts', '/usr/share/fontconfig'];

export async function buildPlaytestImage(
  opts: { force?: boolean; log?: Log } = {},
): Promise<{ image: string; built: boolean; hash: string }> {
  const log = opts.log ?? (() => {});
  const chromium = path.join(CHROMIUM_DIR, 'chromium');
  if (!existsSync(chromium))
    throw Object.assign(new Error(`${chromium} is missing: apt-get install -y chromium fonts-liberation`), {
      code: 'chromium_missing',
    });
  const nodeBin = realpathSync(path.join(ROOT, 'node_modules/.bin/node'));
  const entry = path.join(ROOT, 'bin/playtest.ts');
  const sources = importClosure(entry).files.map((f) => path.join(ROOT, f));
  const packages = await runtimePackages([entry]);
  const pkgFiles = (await Promise.all(packages.map((p) => listFiles(path.join(ROOT, 'node_modules', p))))).flat();
  const libs = [...new Set([...(await sharedLibs(nodeBin)), ...(await sharedLibs(chromium))])];
  const extraLibs = DLOPENED.map((l) => path.join(LIB_DIR, l)).filter((l) => existsSync(l));
  const browserFiles = (await readdir(CHROMIUM_DIR)).filter((f) => !SKIP.test(f));
  const hash = createHash('sha256').update(`v${BUILDER_VERSION}\0${libs.join(',')}\0${extraLibs.join(',')}\0`);
  for (const f of [nodeBin, chromium, ...DATA_DIRS]) {
    const s = await stat(f).catch(() => null);
    hash.update(`${f}\0${s?.size}\0${s?.mtimeMs}\0`);
  }
  await hashFiles(hash, [...sources, ...pkgFiles, path.join(ROOT, 'package.json')]);
  const digest = hash.digest('hex').slice(0, 32);
  if (!opts.force && (await imageLabel(PLAYTEST_TEST_IMAGE)) === digest)
    return { image: PLAYTEST_TEST_IMAGE, built: false, hash: digest };

  const started = performance.now();
  const oldId = await imageId(PLAYTEST_TEST_IMAGE);
  const rootfs = await mkdtemp(path.join(os.tmpdir(), 'gpg-playtest-rootfs-'));
  try {
    await nodeRootfs(rootfs, nodeBin, [...libs, ...extraLibs]);
    await mkdir(path.join(rootfs, 'usr/bin'), { recursive: true });
    await mkdir(path.join(rootfs, CHROMIUM_DIR), { recursive: true });
    for (const f of browserFiles)
      await cp(path.join(CHROMIUM_DIR, f), path.join(rootfs, CHROMIUM_DIR, f), { recursive: true });
    // lib/playtest/browser.ts launches /usr/bin/chromium (Debian's wrapper script); the binary itself does here.
    await symlink(chromium, path.join(rootfs, 'usr/bin/chromium'));
    for (const d of DATA_DIRS)
      if (existsSync(d)) await cp(d, path.join(rootfs, d), { recursive: true, dereference: true });
    for (const f of sources) {
      const dest = path.join(rootfs, 'app', path.relative(ROOT, f));
      await mkdir(path.dirname(dest), { recursive: true });
      await cp(f, dest);
    }
    await finishNodeImage(rootfs, PLAYTEST_TEST_IMAGE, {
      name: 'gamepocgen-playtest',
      packages,
      digest,
      cmd: ['node', '/app/bin/playtest.ts'],
    });
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
  await removeReplaced(oldId, PLAYTEST_TEST_IMAGE);
  log(
    `built ${PLAYTEST_TEST_IMAGE} (packages: ${packages.join(', ')}) in ${Math.round(performance.now() - started)} ms`,
  );
  return { image: PLAYTEST_TEST_IMAGE, built: true, hash: digest };
}

if (import.meta.main) {
  const log = (l: string) => console.log(`[build-images] ${l}`);
  const r = await buildPlaytestImage({ force: process.argv.includes('--force'), log });
  if (!r.built) log(`${r.image} is up to date (inputs ${r.hash})`);
}
