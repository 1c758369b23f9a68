// A Node root filesystem for the local test images (no registry): this machine's Node, stripped, and the
// shared libraries `ldd` lists, the users, /app with the sources and packages, loaded with `docker import`.
import { execFile, spawn } from 'node:child_process';
import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

export const PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nclaude:x:1001:1001:claude:/home/claude:/sbin/nologin\n';
export const GROUP = 'root:x:0:\nclaude:x:1001:\n';

/** `tar -C rootfs -c . | docker import --change … - image` */
export async function importRootfs(rootfs: string, image: string, changes: string[]): Promise<void> {
  // mkdtemp made the directory 0700; as the image's `/` that would lock out uid 1001.
  await chmod(rootfs, 0o755);
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const args = ['import', ...changes.flatMap((c) => ['--change', c]), '-', image];
    const imp = spawn('docker', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    imp.stderr.on('data', (d) => (err += d));
    tar.stdout.pipe(imp.stdin);
    tar.on('error', reject);
    imp.on('error', reject);
    imp.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            Object.assign(new Error(`docker import ${image} failed: ${err.trim()}`), { code: 'image_build_failed' }),
          ),
    );
  });
}

export async function sharedLibs(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  const libs = [...stdout.matchAll(/(\/\S+)\s+\(0x/g)].map((m) => m[1]);
  return [...new Set(libs)];
}

async function copyLib(rootfs: string, lib: string) {
  // Keep the path the dynamic loader asks for, with the real file's bytes.
  const dest = path.join(rootfs, lib);
  await mkdir(path.dirname(dest), { recursive: true });
  await cp(realpathSync(lib), dest);
}

/** The base both Node test images share: this machine's Node (stripped), the libs it needs, the users, a /tmp. */
export async function nodeRootfs(rootfs: string, nodeBin: string, libs: string[]): Promise<void> {
  for (const d of ['usr/local/bin', 'tmp', 'workspace', 'home/claude', 'etc', 'app/node_modules'])
    await mkdir(path.join(rootfs, d), { recursive: true });
  await chmod(path.join(rootfs, 'tmp'), 0o1777);
  await run('strip', ['-o', path.join(rootfs, 'usr/local/bin/node'), nodeBin]).catch(() =>
    cp(nodeBin, path.join(rootfs, 'usr/local/bin/node')),
  );
  for (const lib of libs) await copyLib(rootfs, lib);
  await writeFile(path.join(rootfs, 'etc/passwd'), PASSWD);
  await writeFile(path.join(rootfs, 'etc/group'), GROUP);
}

/**
 * Copies the packages into /app/node_modules, writes /app/package.json and imports the root filesystem as
 * `image`, run as uid 1001 from /app with the inputs hash as its label.
 */
export async function finishNodeImage(
  rootfs: string,
  image: string,
  o: { name: string; packages: string[]; digest: string; cmd: string[] },
): Promise<void> {
  for (const p of o.packages)
    await cp(path.join(ROOT, 'node_modules', p), path.join(rootfs, 'app/node_modules', p), {
      recursive: true,
      dereference: true,
    });
  // "type": "module" makes Node treat the .ts sources as ES modules.
  await writeFile(
    path.join(rootfs, 'app/package.json'),
    `${JSON.stringify({ name: o.name, private: true, type: 'module' })}\n`,
  );
  await importRootfs(rootfs, image, [
    'ENV PATH=/usr/local/bin:/usr/bin:/bin',
    'ENV HOME=/home/claude',
    'WORKDIR /app',
    'USER 1001:1001',
    `LABEL gamepocgen.inputs-hash=${o.digest}`,
    `CMD ${JSON.stringify(o.cmd)}`,
  ]);
}
