// The build phase's starting point: before an LLM agent writes anything, dist/
// already holds a working game — the kit the plan chose, configured from the
// design (the same files the builtin agent's build writes), or for `plan.kit =
// "custom"` the shell with framework/starter/custom-kit.js as dist/kit.js. The
// model customises it, so its first state passes the play-test and every change
// can be checked against it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { Design, Idea, Plan, describeZodError } from '../artifacts.ts';
import { safeJoin, writeTree, type FileMap } from '../workspace.ts';
import { buildCustomDist, buildDist } from './builtin/build-phase.ts';
import { loadKitMetas } from './builtin/kits.ts';

export interface Starter {
  /** The kit id, or `custom`. */
  kit: string;
  files: FileMap;
}

/** The starter dist/ for the workspace's idea, design and plan. Throws a readable error when an artifact is invalid. */
export async function starterDist(workspaceDir: string, frameworkDir: string, ideaText: string): Promise<Starter> {
  const idea = await artifact(workspaceDir, 'idea.json', Idea);
  const design = await artifact(workspaceDir, 'design.json', Design);
  const plan = await artifact(workspaceDir, 'plan.json', Plan);
  const kitId = plan.kit ?? plan.genre;
  if (kitId === 'custom')
    return { kit: 'custom', files: await buildCustomDist(idea, design, plan, frameworkDir, ideaText) };
  const kit = (await loadKitMetas(frameworkDir)).get(kitId);
  if (!kit) throw new Error(`plan.json: no framework kit "${kitId}" (kits: see framework/kits/)`);
  return { kit: kitId, files: await buildDist(idea, design, plan, kit, frameworkDir, ideaText) };
}

/** Writes the starter into `workspaceDir` unless dist/index.html is already there; returns what it wrote, or null. */
export async function writeStarter(
  workspaceDir: string,
  frameworkDir: string,
  ideaText: string,
): Promise<Starter | null> {
  const existing = await readFile(safeJoin(path.resolve(workspaceDir), 'dist/index.html')).catch(() => null);
  if (existing) return null;
  const starter = await starterDist(workspaceDir, frameworkDir, ideaText);
  await writeTree(workspaceDir, starter.files);
  return starter;
}

async function artifact<S extends z.ZodType>(dir: string, rel: string, schema: S): Promise<z.infer<S>> {
  const raw = await readFile(safeJoin(path.resolve(dir), rel), 'utf8').catch(() => {
    throw new Error(`${rel} is missing: the build's starter needs the earlier phases' artifacts`);
  });
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new Error(`${rel}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${rel}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
