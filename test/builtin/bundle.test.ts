// The build's mini-bundler: framework ES modules → one classic script.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bundle, dependencyOrder, wrapModule } from '../../lib/agents/builtin/bundle.ts';
import { frameworkFilesFor } from '../../lib/agents/builtin/framework-files.ts';
import { FRAMEWORK_DIR } from '../../support/generate-game.ts';

const modules = new Map([
  [
    'a.js',
    "import { twice } from './lib/b.js';\nimport { base as start } from './lib/c.js';\nexport const result = twice(start);\n",
  ],
  [
    'lib/b.js',
    "import { base } from './c.js';\n/** @param {import('./c.js').Num} n */\nexport function twice(n) { return n * 2 + base - base; }\n",
  ],
  ['lib/c.js', 'export const base = 21;\n'],
]);

describe('builtin bundler', () => {
  it('orders modules after their imports', () => {
    expect(dependencyOrder(modules, ['a.js'])).toEqual(['lib/c.js', 'lib/b.js', 'a.js']);
  });
  it('turns imports into lookups and exports into a returned object', () => {
    const wrapped = wrapModule('a.js', modules.get('a.js')!);
    expect(wrapped).toContain('const { twice } = __modules["lib/b.js"];');
    expect(wrapped).toContain('const { base: start } = __modules["lib/c.js"];');
    expect(wrapped).toContain('return { result };');
    expect(wrapModule('lib/b.js', modules.get('lib/b.js')!)).not.toContain("import('./c.js')");
  });
  it('produces a script that runs as a classic script', () => {
    const code = bundle(modules, ['a.js'], "globalThis.out = __modules['a.js'].result;");
    const sandbox: Record<string, unknown> = {};
    vm.runInNewContext(code, sandbox);
    expect(sandbox.out).toBe(42);
  });
  it('refuses forms it does not understand, and cycles', () => {
    expect(() => wrapModule('x.js', "import * as all from './y.js';\n")).toThrow(/unsupported/);
    expect(() => wrapModule('x.js', 'export default 1;\n')).toThrow(/unsupported/);
    const cyclic = new Map([
      ['p.js', "import { q } from './q.js';\nexport const p = 1;\n"],
      ['q.js', "import { p } from './p.js';\nexport const q = 1;\n"],
    ]);
    expect(() => dependencyOrder(cyclic, ['p.js'])).toThrow(/cycle/);
  });
  it('bundles every real kit, and the result parses as a classic script', async () => {
    for (const kit of ['arena-shooter', 'tower-defense', 'runner', 'breakout', 'snake', 'idle'] as const) {
      const files = await frameworkFilesFor(FRAMEWORK_DIR, kit);
      const js = new Map([...files].filter(([p]) => p.endsWith('.js')).map(([p, b]) => [p, b.toString()]));
      const code = bundle(js, ['game.js', `kits/${kit}.js`], '');
      expect(() => new vm.Script(code)).not.toThrow();
      // Running it defines every module without touching the DOM (boot is the entry's job).
      expect(() => vm.runInNewContext(code, {})).not.toThrow();
    }
  });
});
