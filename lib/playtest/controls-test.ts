// The controls test: each action against a no-input baseline. With window.__game
// every segment of both runs starts from a restart (the framework re-seeds its RNG
// each run, and Math.random is seeded by the judge), so segment i of the input run
// and of the baseline cover the same game time from the same seed; a path of the
// game's state that changes only under input is the control's effect. Without
// __game the picture is compared instead: cells that change while the action is
// held but neither just before nor after it, against the same count for the quiet
// window after it (moving things reach new cells in every window).
import type { Page } from 'playwright-core';
import { type Action, perform } from './controls.ts';
import { changedCells, type GameSnapshot, readGame, readPicture, runFrames, setClock } from './page-probes.ts';

export interface ActionResult {
  label: string;
  control: string;
  declared: boolean;
  /** What changed only under this input: state paths, or "N picture cells". Empty: no effect. */
  effect: string[];
  /** The segment ran while the game was not playing in one of the runs: says nothing. */
  inconclusive: boolean;
}

/** Picture cells that must change only under input before it counts (of 48×27). */
export const MIN_INPUT_CELLS = 4;

const values = (s: GameSnapshot): Record<string, unknown> => ({ ...s.flat, score: s.score, currency: s.currency });

function changedPaths(a: GameSnapshot, b: GameSnapshot): Set<string> {
  const va = values(a);
  const vb = values(b);
  return new Set([...new Set([...Object.keys(va), ...Object.keys(vb)])].filter((k) => va[k] !== vb[k]));
}

const restart = (page: Page) =>
  page.evaluate(() => {
    const g = (window as any).__game;
    if (typeof g.restart === 'function') g.restart();
    else if (typeof g.start === 'function') g.start();
  });

/**
 * The first click of each control aims at a thing the game reports (logical 960×540); its other clicks keep
 * their fixed spots, so a control that moves the player toward the pointer is not only tested on the player.
 */
function aimed(actions: Action[], points: [number, number][]): Action[] {
  let n = 0;
  const seen = new Set<string>();
  return actions.map((a) => {
    if (!a.click || !points.length || n >= 2 || seen.has(a.control)) return a;
    seen.add(a.control);
    const [x, y] = points[n++ % points.length]!;
    const at: [number, number] = [Math.min(0.98, Math.max(0.02, x / 960)), Math.min(0.98, Math.max(0.02, y / 540))];
    return { ...a, click: at, label: `click ${at.map((v) => v.toFixed(2)).join(',')}` };
  });
}

/** Frames of game time per segment (1/60 s each, whatever the machine's load). */
export const SEGMENT_FRAMES = 12;

export async function testWithGame(page: Page, actions: Action[]): Promise<ActionResult[]> {
  // Every segment starts from a restart, in both runs: one control's effect (a launched ball)
  // never leaks into the next segment, and segment i of both runs starts from the same state.
  const segment = async (a: Action | null) => {
    await runFrames(page, 0);
    await restart(page);
    const before = (await readGame(page))!;
    let ran = true;
    const run = async () => {
      ran = await runFrames(page, SEGMENT_FRAMES);
    };
    if (a) await perform(page, a, run);
    else await run();
    return [before, (await readGame(page))!, ran] as const;
  };
  // A stopped frame loop makes every later segment wait for nothing: the rest are inconclusive.
  const base: (readonly [GameSnapshot, GameSnapshot, boolean])[] = [];
  for (let i = 0; i < actions.length; i++) base.push(base.at(-1)?.[2] === false ? base.at(-1)! : await segment(null));
  const plan = aimed(actions, base[0]?.[0].points ?? []);
  const run: (readonly [GameSnapshot, GameSnapshot, boolean])[] = [];
  for (const a of plan) run.push(run.at(-1)?.[2] === false ? run.at(-1)! : await segment(a));
  // Anything that changes on its own in any baseline segment is time's doing (and frame timing
  // shifts it between runs): only paths the baseline never changed can show an input's effect.
  const timeDriven = new Set(base.flatMap(([b0, b1]) => [...changedPaths(b0, b1)]));
  return plan.map((a, i) => {
    const inconclusive = [base[i]!, run[i]!].some(([s, , ran]) => s.state !== 'playing' || !ran);
    const effect = [...changedPaths(run[i]![0], run[i]![1])].filter((p) => !timeDriven.has(p));
    return { label: a.label, control: a.control, declared: a.declared, effect: effect.slice(0, 6), inconclusive };
  });
}

export async function testWithPicture(
  page: Page,
  actions: Action[],
  /** Whether an end screen shows; such a run is restarted (Enter) before the next action. */
  ended: () => Promise<boolean>,
  restart: () => Promise<void>,
): Promise<ActionResult[]> {
  const out: ActionResult[] = [];
  const frames = () => runFrames(page, SEGMENT_FRAMES);
  for (const a of actions) {
    if (out.at(-1)?.inconclusive) {
      out.push({ label: a.label, control: a.control, declared: a.declared, effect: [], inconclusive: true });
      continue;
    }
    await setClock(page, 1);
    if (await ended()) await restart();
    await runFrames(page, 0);
    const p0 = (await readPicture(page)).grid;
    let ran = await frames();
    const p1 = (await readPicture(page)).grid;
    await perform(page, a, async () => {
      ran = (await frames()) && ran;
    });
    const p2 = (await readPicture(page)).grid;
    ran = (await frames()) && ran;
    const p3 = (await readPicture(page)).grid;
    const [before, during, after] = [changedCells(p0, p1), changedCells(p1, p2), changedCells(p2, p3)];
    // Moving things reach new cells in every window: the quiet window after the input says how many.
    const fresh = (w: Set<number>, x: Set<number>, y: Set<number>) => [...w].filter((c) => !x.has(c) && !y.has(c));
    const only = fresh(during, before, after);
    const noise = fresh(after, before, during).length;
    out.push({
      label: a.label,
      control: a.control,
      declared: a.declared,
      effect:
        only.length >= Math.max(MIN_INPUT_CELLS, 2 * noise + 2)
          ? [`${only.length} picture cells (${noise} without input)`]
          : [],
      // A run that ended inside the windows stops moving: that says nothing about the input.
      inconclusive: !ran || (await ended()),
    });
  }
  return out;
}
