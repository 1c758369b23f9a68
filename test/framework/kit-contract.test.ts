// The typed kit contract (framework/kit.js) is a real check: a kit that breaks it fails the
// same JSDoc type check `npm run check` runs on framework/ (framework/tsconfig.json), and a
// kit that keeps it passes. The shipped kits themselves are checked by `tsc -p framework`.
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../lib/config.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

const FILES = ['contract-good-kit.js', 'contract-bad-kit.js'];
let program: ts.Program | null = null;

/** One program for both fixtures (loading the DOM typings dominates the cost). */
function diagnostics(file: string): { line: number; message: string }[] {
  if (!program) {
    const configPath = path.join(ROOT_DIR, 'framework', 'tsconfig.json');
    const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
    program = ts.createProgram(
      FILES.map((f) => path.join(FIXTURES, f)),
      options,
    );
  }
  const source = program.getSourceFile(path.join(FIXTURES, file))!;
  return ts.getPreEmitDiagnostics(program, source).map((d) => ({
    line: d.file!.getLineAndCharacterOfPosition(d.start!).line + 1,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

describe('the kit contract', () => {
  it('passes a kit that keeps it (control)', () => {
    expect(diagnostics('contract-good-kit.js')).toEqual([]);
  });

  it('fails a kit that breaks it, at each broken line', () => {
    const found = diagnostics('contract-bad-kit.js');
    const messages = found.map((d) => d.message).join('\n');
    expect(messages).toMatch(/Property 'levle' does not exist on type 'KitContext'/);
    expect(messages).toMatch(/'string' is not assignable to parameter of type 'number'/);
    expect(messages).toMatch(
      /"blob"' is not assignable to parameter of type '"creature" \| "ship" \| "gem" \| "block"'/,
    );
    expect(messages).toMatch(/Property 'hud' is missing/);
  });
});
