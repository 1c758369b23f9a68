// The CLI never runs as root: it refuses its permission bypass there, and an
// agent with shell access should not hold root anyway. When the worker itself is
// root (the local runtime on a root shell, CI), the CLI runs as an unprivileged
// user with a private HOME, and the workspace is handed over to that user.
// In the worker container the worker is already non-root and nothing changes.
import { chown, lchown, mkdir, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClaudeAgentError } from './errors.ts';

export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

const NOBODY: RunAs = { uid: 65534, gid: 65534, name: 'nobody' };
/** Preferred dedicated users, in order, before falling back to nobody. */
const CANDIDATES = ['gamepocgen', 'claude'];

/** Who the CLI runs as: null when the worker is not root (run as ourselves). */
export async function resolveRunAs(spec: string | undefined): Promise<RunAs | null> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const users = await readPasswd();
  if (spec) {
    const ids = /^(\d+):(\d+)$/.exec(spec);
    if (ids) return { uid: Number(ids[1]), gid: Number(ids[2]), name: spec };
    const user = users.get(spec);
    if (!user)
      throw new ClaudeAgentError(
        'workspace_inaccessible',
        `CLAUDE_RUN_AS="${spec}" is not a user in /etc/passwd; give a user name or "uid:gid"`,
      );
    if (user.uid === 0)
      throw new ClaudeAgentError(
        'workspace_inaccessible',
        'CLAUDE_RUN_AS must not be root: the CLI needs an unprivileged user',
      );
    return user;
  }
  for (const name of CANDIDATES) {
    const u = users.get(name);
    if (u && u.uid !== 0) return u;
  }
  return users.get('nobody') ?? NOBODY;
}

async function readPasswd(): Promise<Map<string, RunAs>> {
  const out = new Map<string, RunAs>();
  try {
    for (const line of (await readFile('/etc/passwd', 'utf8')).split('\n')) {
      const [name, , uid, gid] = line.split(':');
      if (name && uid && gid && /^\d+$/.test(uid) && /^\d+$/.test(gid))
        out.set(name, { name, uid: Number(uid), gid: Number(gid) });
    }
  } catch {
    // no passwd file (minimal image): nobody by number
  }
  return out;
}

/** A fresh private HOME for one phase, with `~/.claude/settings.json`, owned by the CLI's user. */
export async function makeHome(runAs: RunAs | null, settings: Record<string, unknown>): Promise<string> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-claude-home-'));
  await mkdir(path.join(home, '.claude'), { recursive: true });
  await writeFile(path.join(home, '.claude', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  if (runAs) await chownTree(home, runAs);
  return home;
}

/** Gives the CLI's user the workspace (recursively) after checking it can reach it at all. */
export async function grantWorkspace(dir: string, runAs: RunAs | null): Promise<void> {
  if (!runAs) return;
  await assertTraversable(dir, runAs);
  await chownTree(dir, runAs);
}

async function chownTree(dir: string, runAs: RunAs): Promise<void> {
  await chown(dir, runAs.uid, runAs.gid);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  // lchown: never follow a symlink the agent may have planted to a file outside.
  await Promise.all(entries.map((e) => lchown(path.join(e.parentPath, e.name), runAs.uid, runAs.gid)));
}

/** Every ancestor of `dir` must let `runAs` through (o+x), or the CLI fails with a confusing EACCES later. */
async function assertTraversable(dir: string, runAs: RunAs): Promise<void> {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const p = path.sep + parts.slice(0, i).join(path.sep);
    const s = await stat(p);
    const ok = s.uid === runAs.uid ? s.mode & 0o100 : s.gid === runAs.gid ? s.mode & 0o010 : s.mode & 0o001;
    if (!ok) {
      throw new ClaudeAgentError(
        'workspace_inaccessible',
        `the Claude CLI runs as ${runAs.name} (uid ${runAs.uid}) but cannot enter ${p} (mode ${(s.mode & 0o777).toString(8)}); put WORKSPACE_ROOT under a world-traversable directory (e.g. /tmp), set CLAUDE_RUN_AS, or run the worker as a non-root user`,
      );
    }
  }
}
