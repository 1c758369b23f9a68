// Reproduces what `docker build -f Dockerfile.worker .` puts under /app, without
// Docker: the Dockerfile's COPY lines from the build context (the final stage's, and
// those of a stage it copies a directory from; not other images' or stages' files) and the .dockerignore rules (last matching pattern wins, `!` re-includes, a
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

interface Stage {
  name: string | undefined;
  /** This stage's COPY lines from the build context. */
  context: CopyRule[];
  /** Its `COPY --from=<stage> <path> <dest>` lines. */
  fromStages: { stage: string; source: string; dest: string }[];
}

/**
 * The COPY instructions that read the build context and end up in the final image, with
 * destinations resolved against WORKDIR: the final stage's own, and those of a named stage
 * it copies a directory from (`COPY --from=app /app /app` brings what `app` put under /app).
 */
export function contextCopies(dockerfile: string): CopyRule[] {
  const stages: Stage[] = [];
  let workdir = '/';
  for (const raw of dockerfile.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.trim();
    if (/^FROM\s/i.test(line)) {
      stages.push({ name: /\sAS\s+(\S+)/i.exec(line)?.[1], context: [], fromStages: [] });
      workdir = '/';
    } else if (/^WORKDIR\s/i.test(line)) workdir = path.posix.resolve(workdir, line.split(/\s+/)[1]!);
    else if (/^COPY\s/i.test(line) && stages.length) {
      const args = line.split(/\s+/).slice(1);
      const from = args.find((a) => a.startsWith('--from='))?.slice('--from='.length);
      const words = args.filter((a) => !a.startsWith('--'));
      const dest = words.pop()!;
      const resolved = path.posix.resolve(workdir, dest);
      const stage = stages.at(-1)!;
      if (from) {
        if (words.length === 1) stage.fromStages.push({ stage: from, source: words[0]!, dest: resolved });
        continue;
      }
      stage.context.push({
        sources: words,
        dest: resolved,
        intoDir: dest.endsWith('/') || dest === '.' || words.length > 1,
      });
    }
  }
  const final = stages.at(-1);
  if (!final) return [];
  const rules = [...final.context];
  for (const copy of final.fromStages) {
    const stage = stages.find((s) => s.name === copy.stage);
    if (!stage) continue; // an image, not a stage of this file
    const under = path.posix.resolve('/', copy.source);
    for (const rule of stage.context) {
      if (rule.dest !== under && !rule.dest.startsWith(`${under === '/' ? '' : under}/`)) continue;
      rules.push({ ...rule, dest: path.posix.join(copy.dest, path.posix.relative(under, rule.dest)) });
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
