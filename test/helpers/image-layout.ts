// Reproduces what `docker build -f Dockerfile.worker .` puts under /app, without
// Docker: the Dockerfile's COPY lines from the build context (not `--from` stages)
// and the .dockerignore rules (last matching pattern wins, `!` re-includes, a
// pattern matching a directory excludes what is under it). Tests render prompts
// from this layout, so a file the image does not ship is missing there too.
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface CopyRule {
  sources: string[];
  dest: string;
  /** The destination was written with a trailing slash (or as `.`): sources go inside it. */
  intoDir: boolean;
}

/** The COPY instructions that read the build context, with destinations resolved against WORKDIR. */
export function contextCopies(dockerfile: string): CopyRule[] {
  const rules: CopyRule[] = [];
  let workdir = '/';
  let stage = 0;
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n');
  const final = lines.filter((l) => /^FROM\s/i.test(l.trim())).length;
  for (const raw of lines) {
    const line = raw.trim();
    if (/^FROM\s/i.test(line)) {
      stage++;
      workdir = '/';
    } else if (/^WORKDIR\s/i.test(line)) workdir = path.posix.resolve(workdir, line.split(/\s+/)[1]!);
    else if (/^COPY\s/i.test(line) && stage === final) {
      const args = line.split(/\s+/).slice(1);
      if (args.some((a) => a.startsWith('--from'))) continue;
      const words = args.filter((a) => !a.startsWith('--'));
      const dest = words.pop()!;
      rules.push({
        sources: words,
        dest: path.posix.resolve(workdir, dest),
        intoDir: dest.endsWith('/') || dest === '.' || words.length > 1,
      });
    }
  }
  return rules;
}

/** A .dockerignore as a predicate over context-relative POSIX paths. */
export function dockerignore(text: string): (rel: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize(l.replace(/^!/, '').replace(/^\/+/, ''));
      const re = pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*/g, '@@GLOBSTAR@@')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/@@GLOBSTAR@@/g, '.*');
      return { negate, re: new RegExp(`^${re}(/.*)?$`) };
    });
  return (rel) => {
    let excluded = false;
    for (const r of rules) if (r.re.test(rel)) excluded = !r.negate;
    return excluded;
  };
}

/** Copies what the image would hold under /app from `contextDir` into `appDir`; returns the files copied (relative to appDir). */
export async function materialiseImageApp(
  contextDir: string,
  appDir: string,
  dockerfile: string,
  ignoreText: string,
): Promise<string[]> {
  const ignored = dockerignore(ignoreText);
  const copied: string[] = [];
  for (const rule of contextCopies(dockerfile)) {
    if (!rule.dest.startsWith('/app')) continue;
    for (const src of rule.sources) {
      const from = path.join(contextDir, src);
      const files = await listFiles(from).catch(() => [] as string[]);
      for (const file of files) {
        const rel = path.relative(contextDir, file).split(path.sep).join('/');
        if (ignored(rel)) continue;
        // A directory's contents go to dest; a file goes to dest, or inside it when dest is a directory.
        const under = file === from ? '' : path.relative(from, file);
        const target = rule.intoDir && file === from ? path.posix.join(rule.dest, path.basename(src)) : rule.dest;
        const dest = path.join(appDir, path.posix.relative('/app', target), under);
        await mkdir(path.dirname(dest), { recursive: true });
        await cp(file, dest);
        copied.push(path.relative(appDir, dest).split(path.sep).join('/'));
      }
    }
  }
  return copied.sort();
}

async function listFiles(p: string): Promise<string[]> {
  const entries = await readdir(p, { recursive: true, withFileTypes: true }).catch(async (e) => {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw e;
  });
  if (entries === null) return [p];
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

export const readText = (p: string) => readFile(p, 'utf8');
