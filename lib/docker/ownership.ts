// The worker runs as uid 1001 and must be able to write the job's workspace,
// which this process (often root on the host, or uid 1001 in compose) created.
import { chmod, lchown, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DockerPathError } from './errors.ts';

/**
 * Hands `dir` and everything in it to uid:gid. When this process may not chown
 * (not root, not already the owner), falls back to making the tree
 * world-writable: the workspace is scratch data of one job, and the container
 * sees only this directory.
 */
export async function makeWritableBy(dir: string, uid: number, gid: number): Promise<'chown' | 'chmod' | 'already'> {
  const entries = [dir, ...(await readdir(dir, { recursive: true })).map((rel) => path.join(dir, rel))];
  let mode: 'chown' | 'chmod' | 'already' = 'already';
  for (const p of entries) {
    const st = await lstat(p);
    if (st.uid === uid && st.gid === gid) continue;
    try {
      await lchown(p, uid, gid);
      mode = 'chown';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM')
        throw new DockerPathError('workspace_not_writable', `cannot hand ${p} to uid ${uid}: ${(e as Error).message}`, {
          cause: e,
        });
      if (st.isSymbolicLink()) continue;
      try {
        await chmod(p, st.isDirectory() ? 0o777 : 0o666);
        mode = 'chmod';
      } catch (e2) {
        throw new DockerPathError(
          'workspace_not_writable',
          `cannot make ${p} writable by the worker (uid ${uid}): ${(e2 as Error).message}; run the app as root or as uid ${uid}`,
          { cause: e2 },
        );
      }
    }
  }
  return mode;
}
