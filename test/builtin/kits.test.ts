// Each kit's code and its metadata must agree: the agent tunes and names what
// the metadata declares, and the kit reads exactly those ids and numbers.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENRES } from '../../lib/artifacts.ts';
import { KitMeta, loadKitMetas } from '../../lib/agents/builtin/kits.ts';
import { FRAMEWORK_DIR } from '../../support/generate-game.ts';

describe.each(GENRES)('kit %s', (genre) => {
  it('has valid metadata whose upgrades and tuning match what the kit code reads', async () => {
    const meta = KitMeta.parse(
      JSON.parse(await readFile(path.join(FRAMEWORK_DIR, 'kits', `${genre}.meta.json`), 'utf8')),
    );
    const code = await readFile(path.join(FRAMEWORK_DIR, 'kits', `${genre}.js`), 'utf8');
    const mod = await import(path.join(FRAMEWORK_DIR, 'kits', `${genre}.js`));
    expect(mod.kit.id).toBe(genre);
    expect(typeof mod.kit.create).toBe('function');

    const levelsRead = new Set([...code.matchAll(/g\.level\('([a-z0-9-]+)'\)/g)].map((m) => m[1]));
    const upgradeIds = new Set(meta.upgrades.map((u) => u.id));
    expect(upgradeIds.size).toBeGreaterThanOrEqual(3);
    // Every upgrade does something, and the kit never reads an undeclared one.
    expect([...levelsRead].sort()).toEqual([...upgradeIds].sort());
    for (const u of meta.upgrades) if (u.requires) expect(upgradeIds.has(u.requires.id)).toBe(true);

    const tuningRead = new Set([...code.matchAll(/\bt\.([a-zA-Z]+)/g)].map((m) => m[1]));
    for (const key of tuningRead) expect(Object.keys(meta.tuning), `t.${key}`).toContain(key);
    expect(Object.keys(meta.tuning)).toContain('waves');
    for (const [k, r] of Object.entries(meta.tuning)) expect(r.min, k).toBeLessThanOrEqual(r.max);
  });
});

it('loads every kit from the framework directory', async () => {
  const metas = await loadKitMetas(FRAMEWORK_DIR);
  expect([...metas.keys()].sort()).toEqual([...GENRES].sort());
});
