// What `gamepocgen playtest` compares a game with, read from disk: the design's
// keypoints (the rubric) and its names and palette, as the task reads them from the
// job's artifacts (lib/playtest/expectations.ts). A phase workspace holds
// design.json (and idea.json) beside dist/, so `gamepocgen playtest dist/` run
// inside a phase scores the rubric of the phase's own design; --keypoints names a
// file explicitly (a design.json, `{ "keypoints": [...] }` or a bare array).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Design, describeZodError, Idea, Keypoint, zodIssues } from '../artifacts.ts';
import type { JudgeExpectations } from './checks.ts';
import { expectationsOf } from './design-expectations.ts';

const NONE: JudgeExpectations = { names: [], palette: [], keypoints: [] };
const KeypointList = z.array(Keypoint).min(1).max(40);

export interface DesignExpectations {
  expect: JudgeExpectations;
  /** The file the keypoints came from, or null when none was found. */
  source: string | null;
  /** A design.json found beside the game that could not be used, and why (the game is judged without it). */
  warning: string | null;
}

/** A --keypoints file that cannot be used: the command stops with exit 2 and this message. */
export class KeypointsFileError extends Error {
  readonly code = 'bad_keypoints_file';
}

/** The folders where a game's design.json may be: the game folder itself, and the workspace above its dist/. */
export const designDirsOf = (gameDir: string) => [gameDir, path.dirname(gameDir)];

/**
 * Expectations for a play-test: from `keypointsFile` when given (an unusable file throws
 * KeypointsFileError), else from the first design.json in `searchDirs` (an invalid one is skipped
 * with a warning: the game is still judged), else none.
 */
export async function loadDesignExpectations(opts: {
  keypointsFile?: string;
  searchDirs: string[];
}): Promise<DesignExpectations> {
  if (opts.keypointsFile) {
    const file = path.resolve(opts.keypointsFile);
    return { expect: await fromExplicitFile(file), source: file, warning: null };
  }
  for (const dir of opts.searchDirs) {
    const file = path.join(dir, 'design.json');
    if (!existsSync(file)) continue;
    const design = parseJson(file, await readFile(file, 'utf8').catch(() => ''), Design);
    if (!design.ok) return { expect: NONE, source: null, warning: `${design.problem}; judged without its keypoints` };
    const idea = await readIdea(path.join(dir, 'idea.json'));
    return { expect: expectationsOf(idea, design.value), source: file, warning: null };
  }
  return { expect: NONE, source: null, warning: null };
}

async function fromExplicitFile(file: string): Promise<JudgeExpectations> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new KeypointsFileError(`cannot read --keypoints ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new KeypointsFileError(`--keypoints ${file} is not JSON: ${(e as Error).message}`);
  }
  const isDesign = !!json && typeof json === 'object' && !Array.isArray(json) && 'checklist' in json;
  if (isDesign) {
    const design = Design.safeParse(json);
    if (!design.success)
      throw new KeypointsFileError(`--keypoints ${file} is not a valid design: ${describeZodError(design.error)}`);
    return expectationsOf(await readIdea(path.join(path.dirname(file), 'idea.json')), design.data);
  }
  const list = KeypointList.safeParse(Array.isArray(json) ? json : (json as { keypoints?: unknown })?.keypoints);
  if (!list.success) {
    const where = zodIssues(list.error).map((i) => `keypoints${i.path ? `.${i.path}` : ''}: ${i.message}`);
    throw new KeypointsFileError(
      `--keypoints ${file} holds no valid keypoints (a design.json, { "keypoints": [...] } or an array): ${where.join('; ')}`,
    );
  }
  return { ...NONE, keypoints: list.data };
}

async function readIdea(file: string): Promise<Idea | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const idea = parseJson(file, text, Idea);
  return idea.ok ? idea.value : null;
}

function parseJson<T>(
  file: string,
  text: string,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; problem: string } {
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? { ok: true, value: r.data } : { ok: false, problem: `${file}: ${describeZodError(r.error)}` };
  } catch (e) {
    return { ok: false, problem: `${file} is not JSON (${(e as Error).message})` };
  }
}
