// Bind mounts name paths on the Docker *host*. When the app itself runs in a
// container (compose's `worker` service), its view of the workspace/deploy
// volume (e.g. /data/workspaces) differs from the host's (HOST_WORKSPACE_PATH,
// e.g. /srv/gamepocgen/workspaces), so every bind source is translated.
import path from 'node:path';
import { DockerPathError } from './errors.ts';

export interface PathMapping {
  /** The directory as this process sees it. */
  localRoot: string;
  /** The same directory as the Docker host sees it (defaults to localRoot: app runs on the host). */
  hostRoot?: string;
}

/** Translates `localPath` (inside `localRoot`) to the host path Docker must bind. */
export function hostPathFor(localPath: string, mapping: PathMapping): string {
  const localRoot = path.resolve(mapping.localRoot);
  const full = path.resolve(localPath);
  const rel = path.relative(localRoot, full);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new DockerPathError(
      'path_outside_root',
      `${full} is not inside ${localRoot}; the docker runtime can only bind directories under its configured root (WORKSPACE_ROOT / DEPLOY_DIR)`,
    );
  }
  const hostRoot = mapping.hostRoot ? mapping.hostRoot : localRoot;
  if (!path.isAbsolute(hostRoot))
    throw new DockerPathError(
      'host_path_relative',
      `host path ${hostRoot} must be absolute (HOST_WORKSPACE_PATH / HOST_DEPLOY_DIR)`,
    );
  return rel ? path.posix.join(hostRoot, rel.split(path.sep).join('/')) : hostRoot;
}
