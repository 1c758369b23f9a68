// Per-phase turn and time budgets (lib/budgets.ts): defaults, the operator's
// overrides and their precedence, a clear error for a bad spec, and the line the
// prompt states.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGETS, PhaseBudgets, describeBudget, phaseBudget } from '../lib/budgets.ts';
import { ConfigError, loadConfig } from '../lib/config.ts';
import { renderPhasePrompt } from '../lib/prompts.ts';
import { ROOT_DIR } from '../lib/config.ts';
import path from 'node:path';

describe('phase budgets', () => {
  it('defaults: small for idea/design/plan, larger for build and repair', () => {
    const c = loadConfig({});
    expect(phaseBudget(c, 1)).toEqual(DEFAULT_BUDGETS[1]);
    expect(phaseBudget(c, 4).turns).toBeGreaterThan(phaseBudget(c, 1).turns * 3);
    expect(phaseBudget(c, 5).seconds).toBeGreaterThan(phaseBudget(c, 2).seconds);
  });

  it('PHASE_BUDGETS names phases; MAX_TURNS / PHASE_TIMEOUT_SECONDS cover the rest', () => {
    const c = loadConfig({
      PHASE_BUDGETS: 'build=80/1800, repair=/1200,1=8/',
      MAX_TURNS: '30',
      PHASE_TIMEOUT_SECONDS: '600',
    });
    expect(phaseBudget(c, 4)).toEqual({ turns: 80, seconds: 1800 });
    expect(phaseBudget(c, 5)).toEqual({ turns: 30, seconds: 1200 });
    expect(phaseBudget(c, 1)).toEqual({ turns: 8, seconds: 600 });
    expect(phaseBudget(c, 2)).toEqual({ turns: 30, seconds: 600 });
    expect(phaseBudget(loadConfig({ PHASE_BUDGETS: '', MAX_TURNS: '' }), 3)).toEqual(DEFAULT_BUDGETS[3]);
  });

  it.each(['build=80', 'deploy=1/2', 'build=0/10', 'build=10/999999', 'build=a/b'])(
    'rejects %j naming the format',
    (spec) => {
      expect(PhaseBudgets.safeParse(spec).success).toBe(false);
      expect(() => loadConfig({ PHASE_BUDGETS: spec })).toThrowError(ConfigError);
      expect(() => loadConfig({ PHASE_BUDGETS: spec })).toThrowError(
        /PHASE_BUDGETS: .* is not <phase>=<turns>\/<seconds>/,
      );
    },
  );

  it('the prompt states the budget it was given', async () => {
    const prompt = await renderPhasePrompt({
      phase: 4,
      workspaceDir: '/w',
      frameworkDir: path.join(ROOT_DIR, 'framework'),
      promptsDir: path.join(ROOT_DIR, 'prompts'),
      input: { jobId: 1, idea: null, genre: null, seed: 1, existingTitles: [], feedback: null },
      budget: { turns: 77, seconds: 1500 },
    });
    expect(prompt).toContain(`Budget: ${describeBudget(4, { turns: 77, seconds: 1500 })}`);
    expect(prompt).toContain('at most 77 turns and 25 minutes');
  });
});
