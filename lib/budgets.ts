// Per-phase turn and time budgets: small for idea/design/plan, larger for build
// and repair. The phase runner gives the worker the phase's time limit and turn
// limit (MAX_TURNS), and the prompt states both, so the model can plan its work.
// Precedence per phase: a PHASE_BUDGETS entry, then MAX_TURNS /
// PHASE_TIMEOUT_SECONDS (when set, for every phase), then these defaults.
import { z } from 'zod';
import { PhaseNumber, phaseName } from './artifacts.ts';
import { PHASES } from './phases.ts';

export interface PhaseBudget {
  /** Agent turns (the Claude CLI's --max-turns). */
  turns: number;
  /** Wall-clock seconds before the worker stops the phase. */
  seconds: number;
}

export const DEFAULT_BUDGETS: Record<PhaseNumber, PhaseBudget> = {
  1: { turns: 12, seconds: 300 },
  2: { turns: 16, seconds: 300 },
  3: { turns: 16, seconds: 420 },
  4: { turns: 60, seconds: 1200 },
  5: { turns: 40, seconds: 900 },
};

const NAMES = Object.fromEntries(Object.entries(PHASES).map(([n, p]) => [p.name, Number(n) as PhaseNumber]));

/**
 * `PHASE_BUDGETS`: comma-separated `<phase>=<turns>/<seconds>` (either side may be empty),
 * phases by name or number, e.g. `build=80/1800,repair=/1200,1=8/`.
 */
export const PhaseBudgets = z
  .string()
  .trim()
  .transform((spec, ctx) => {
    const out: Partial<Record<PhaseNumber, Partial<PhaseBudget>>> = {};
    for (const part of spec
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^([a-z]+|[1-5])=(\d*)\/(\d*)$/.exec(part);
      const phase = m
        ? (NAMES[m[1]!] ?? (PhaseNumber.safeParse(Number(m[1])).data as PhaseNumber | undefined))
        : undefined;
      const turns = m?.[2] ? Number(m[2]) : undefined;
      const seconds = m?.[3] ? Number(m[3]) : undefined;
      if (
        !m ||
        !phase ||
        (turns !== undefined && (turns < 1 || turns > 500)) ||
        (seconds !== undefined && (seconds < 1 || seconds > 86_400))
      ) {
        ctx.addIssue({
          code: 'custom',
          message: `"${part.slice(0, 40)}" is not <phase>=<turns>/<seconds> (phases ${Object.keys(NAMES).join(', ')} or 1–5; turns 1–500; seconds 1–86400)`,
        });
        return z.NEVER;
      }
      out[phase] = { turns, seconds };
    }
    return out;
  });
export type PhaseBudgets = z.infer<typeof PhaseBudgets>;

export interface BudgetConfig {
  PHASE_BUDGETS?: PhaseBudgets;
  MAX_TURNS?: number;
  PHASE_TIMEOUT_SECONDS?: number;
}

/** The budget of `phase` under `config`. */
export function phaseBudget(config: BudgetConfig, phase: PhaseNumber): PhaseBudget {
  const own = config.PHASE_BUDGETS?.[phase] ?? {};
  return {
    turns: own.turns ?? config.MAX_TURNS ?? DEFAULT_BUDGETS[phase].turns,
    seconds: own.seconds ?? config.PHASE_TIMEOUT_SECONDS ?? DEFAULT_BUDGETS[phase].seconds,
  };
}

/** One line for the prompt. */
export function describeBudget(phase: PhaseNumber, budget: PhaseBudget): string {
  const minutes = Math.max(1, Math.floor(budget.seconds / 60));
  return `This phase (${phaseName(phase)}) has at most ${budget.turns} turns and ${minutes} minute${minutes === 1 ? '' : 's'}; it is stopped when either runs out, and what it wrote by then is judged as it is.`;
}
