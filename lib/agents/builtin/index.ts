// The builtin agent: a deterministic, offline game designer. Phase by phase it
// writes the same artifacts an LLM agent would (idea → design → plan → dist/),
// choosing a genre kit and names from the idea's words. Same input and seed →
// byte-identical files.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { Design, Idea, Plan, describeZodError } from '../../artifacts.ts';
import { REPAIR_PHASE } from '../../phases.ts';
import { safeJoin, writeTree, type FileMap } from '../../workspace.ts';
import type { Agent, AgentContext, AgentResult } from '../types.ts';
import { buildCustomDist, buildDist } from './build-phase.ts';
import { resolveConcept } from './concept.ts';
import { buildDesign, designMarkdown } from './design-phase.ts';
import { frameworkFilesFor } from './framework-files.ts';
import { buildIdea, ideaMarkdown } from './idea-phase.ts';
import { loadKitMetas, type KitMeta } from './kits.ts';
import { buildPlan, planMarkdown } from './plan-phase.ts';
import { planBuiltinRepair } from './repair.ts';

export const builtinAgent: Agent = {
  name: 'builtin',
  async runPhase(ctx: AgentContext): Promise<AgentResult> {
    const metas = await loadKitMetas(ctx.frameworkDir);
    const concept = resolveConcept(ctx.input, metas);
    const kitFor = (genre: string): KitMeta => {
      const kit = metas.get(genre as KitMeta['id']);
      if (!kit) throw new Error(`no framework kit for genre ${genre}`);
      return kit;
    };
    const log = (message: string) => ctx.emit({ kind: 'log', message });
    const files: FileMap = new Map();
    const json = (p: string, v: unknown) => files.set(p, Buffer.from(JSON.stringify(v, null, 2) + '\n'));
    const text = (p: string, v: string) => files.set(p, Buffer.from(v));

    switch (ctx.phase) {
      case 1: {
        const kit = kitFor(concept.genre);
        log(`genre: ${kit.label} (${concept.genreReason})`);
        const idea = buildIdea(concept, kit, ctx.input);
        log(`title: ${idea.title}`);
        json('idea.json', idea);
        text('idea.md', ideaMarkdown(idea, concept, kit));
        break;
      }
      case 2: {
        const idea = await readArtifact(ctx, 'idea.json', Idea);
        const kit = kitFor(idea.genre);
        const design = buildDesign(idea, { ...concept, genre: idea.genre }, kit, ctx.input);
        log(
          `design: ${design.entities.length} entities, ${design.progression.upgrades.length} upgrades, ${design.difficulty.waves} waves`,
        );
        json('design.json', design);
        text('design.md', designMarkdown(design, concept, kit));
        break;
      }
      case 3: {
        const idea = await readArtifact(ctx, 'idea.json', Idea);
        const design = await readArtifact(ctx, 'design.json', Design);
        const kit = kitFor(design.genre);
        const fw = [...(await frameworkFilesFor(ctx.frameworkDir, kit.id)).keys()];
        const plan = buildPlan(idea, design, concept, kit, ctx.input, fw);
        log(`plan: ${plan.files.length} files, ${Object.keys(plan.tuning).length} tuning values`);
        json('plan.json', plan);
        text('plan.md', planMarkdown(plan, design, kit));
        break;
      }
      case 4:
      case 5: {
        const idea = await readArtifact(ctx, 'idea.json', Idea);
        const design = await readArtifact(ctx, 'design.json', Design);
        const plan = await readArtifact(ctx, 'plan.json', Plan);
        const custom = plan.kit === 'custom';
        const kit = kitFor(custom ? plan.genre : (plan.kit ?? plan.genre));
        const dist = custom
          ? await buildCustomDist(idea, design, plan, ctx.frameworkDir, concept.ideaText)
          : await buildDist(idea, design, plan, kit, ctx.frameworkDir, concept.ideaText);
        // A repair names what it fixes, or fails saying it cannot (lib/agents/builtin/repair.ts).
        if (ctx.phase === 5)
          log(await planBuiltinRepair(ctx.workspaceDir, ctx.input.feedback, dist, custom ? 'custom' : kit.label));
        // A rebuild replaces dist/ entirely so no stale file from an earlier attempt survives.
        await rm(safeJoin(path.resolve(ctx.workspaceDir), 'dist'), { recursive: true, force: true });
        for (const [p, b] of dist) files.set(p, b);
        const bytes = [...dist.values()].reduce((n, b) => n + b.length, 0);
        log(
          `${ctx.phase === REPAIR_PHASE ? 'rebuilt' : 'built'} dist/: ${dist.size} files, ${bytes} bytes (${custom ? 'custom' : kit.label} kit)`,
        );
        break;
      }
    }
    await writeTree(ctx.workspaceDir, files);
    return {};
  },
};

async function readArtifact<S extends z.ZodType>(ctx: AgentContext, rel: string, schema: S): Promise<z.infer<S>> {
  let raw: string;
  try {
    raw = await readFile(safeJoin(path.resolve(ctx.workspaceDir), rel), 'utf8');
  } catch {
    throw new Error(`${rel} is missing: phase ${ctx.phase} needs the output of an earlier phase`);
  }
  const parsed = schema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`${rel}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
