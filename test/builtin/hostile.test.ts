// Untrusted idea text must stay data: it may appear in JSON, Markdown (escaped)
// and the game's config as \u-escaped strings, never as markup or code.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { Design, Idea, Plan } from '../../lib/artifacts.ts';
import { validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { generateGame } from '../../support/generate-game.ts';
import { HOSTILE_IDEAS } from './hostile-ideas.ts';

describe.each(Object.entries(HOSTILE_IDEAS))('hostile idea: %s', (_name, idea) => {
  it('produces valid artifacts and a dist/ where the text is inert', async () => {
    const g = await generateGame({ idea, seed: 3 });
    try {
      for (const phase of [1, 2, 3, 4] as const) expect(validatePhaseOutputs(phase, g.files)).toEqual([]);
      const parsed = Idea.parse(JSON.parse(g.files.get('idea.json')!.toString()));
      Design.parse(JSON.parse(g.files.get('design.json')!.toString()));
      Plan.parse(JSON.parse(g.files.get('plan.json')!.toString()));
      expect(parsed.title.length).toBeLessThanOrEqual(200);
      const html = g.files.get('dist/index.html')!.toString();
      expect(html).not.toContain('alert');
      for (const [p, bytes] of g.files) {
        if (!p.startsWith('dist/')) continue;
        const text = bytes.toString();
        expect(text, p).not.toContain('</script><script>');
        expect(text, p).not.toContain('http://evil'); // the words may remain, as escaped data
      }
      for (const md of ['idea.md', 'design.md', 'plan.md'])
        expect(g.files.get(md)!.toString()).not.toMatch(/<(script|img)/i);
      // The config is still real data: importing it gives back the text unchanged.
      await import(path.join(g.dir, 'dist/config.js'));
      const config = (globalThis as any).GAME_CONFIG;
      expect(typeof config.title).toBe('string');
      expect(idea.startsWith(config.idea.replace(/…$/, '').slice(0, 50).trim().slice(0, 20))).toBe(true);
    } finally {
      await g.cleanup();
    }
  });
});
