// The agent plays its own game (issue 10): in the build phase the scripted model
// runs `gamepocgen playtest dist/ --compact` through the real Claude Code CLI's Bash
// tool (the shim in lib/agents/claude/playtest-shim.ts), reads the judge's
// verdict and the rubric of its own design.json, and only then finishes. Control:
// `--json` on a broken copy of dist/ exits 1 and names the failed check. The shim
// refuses other subcommands.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { shimScript, writePlaytestShim } from '../../lib/agents/claude/playtest-shim.ts';
import { CHROMIUM_PATH } from '../../lib/playtest/browser.ts';
import { isPlaytestRecord } from '../../lib/playtest/versions.ts';
import { validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { readTree } from '../../lib/workspace.ts';
import type { Scenario } from '../fixtures/model-server.ts';
import { act, bash, happy, script } from '../fixtures/scenarios/index.ts';
import { existsSync } from 'node:fs';
import { HAVE_CLAUDE, makeWorkspace, modelServerPerTest, runAgentPhase, runBuiltinPhases, tempDir } from './helpers.ts';

const run = promisify(execFile);
const models = modelServerPerTest();

/** The JSON printed by `--json` or `--compact` inside a Bash tool result (the CLI may append its own lines). */
function jsonIn<T = { passed: boolean; checks: { id: string; passed: boolean; required: boolean }[] }>(
  text: string,
): T {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return JSON.parse(text.slice(start, end + 1));
}
const verdictIn = (text: string) => jsonIn(text);

describe('the gamepocgen shim', () => {
  it('runs only `playtest`: another subcommand exits 2 naming what is available', async () => {
    const home = await tempDir('shim-home-');
    const entry = path.join(home, 'entry.mjs');
    await writeFile(entry, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
    const dir = (await writePlaytestShim(home, null, entry))!;
    const ok = await run(path.join(dir, 'gamepocgen'), ['playtest', 'dist/', '--json']);
    expect(JSON.parse(ok.stdout)).toEqual(['dist/', '--json']);
    const refused = await run(path.join(dir, 'gamepocgen'), ['start']).catch((e) => e);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("only 'gamepocgen playtest");
    expect(await writePlaytestShim(home, null, path.join(home, 'missing.ts'))).toBeNull();
    expect(shimScript("/o'dd/node", '/e.ts')).toContain(`'/o'\\''dd/node' '/e.ts' "$@"`);
  });
});

describe.skipIf(!HAVE_CLAUDE || !existsSync(CHROMIUM_PATH))(
  'the agent plays its own game (real CLI, scripted model)',
  () => {
    it("runs `gamepocgen playtest dist/ --compact` in the build phase, reads the verdict and its design's rubric, then finishes; a broken copy fails with a check named", async () => {
      const ws = await makeWorkspace();
      await runBuiltinPhases(ws, [1, 2, 3]);
      const scenario: Scenario = (turn) =>
        turn.phase !== 4
          ? happy(turn)
          : script(turn, [
              act(bash('gamepocgen playtest dist/ --compact', 'Play the game and read the verdict')),
              act(
                bash(
                  'b=$(mktemp -d) && cp -r dist "$b/" && echo \'throw new Error("boom")\' > "$b/dist/game.js" && gamepocgen playtest "$b/dist" --json; echo "exit=$?"',
                  'Control: a broken copy',
                ),
              ),
            ]);
      const server = await models.start(scenario);
      const phase = await runAgentPhase({
        phase: 4,
        workspaceDir: ws,
        baseUrl: server.url,
        env: { BUILD_FALLBACK: 'none' },
      });
      expect(phase.error).toBeUndefined();
      const results = server.messageRequests().flatMap((r) => r.turn!.toolResults.map((t) => t.text));
      // The model received the judge's short report for its own dist/, with the rubric of its own design ...
      const own = results.find((t) => t.includes('"verdict"') && !t.includes('exit='));
      expect(own, results.join('\n---\n').slice(0, 3000)).toBeDefined();
      const report = jsonIn<{
        verdict: string;
        passedChecks: string[];
        rubric: { from: string; passed: number; total: number };
        files: { document: string };
      }>(own!);
      const design = JSON.parse(await readFile(path.join(ws, 'design.json'), 'utf8'));
      expect(report).toMatchObject({
        verdict: 'passed',
        rubric: { from: 'design.json', total: design.keypoints.length, passed: design.keypoints.length },
        files: { document: 'playtest-local/playtest.json' },
      });
      expect(report.passedChecks.length).toBeGreaterThan(0);
      // ... whose evidence stays out of the phase's outputs (lib/playtest/versions.ts isPlaytestRecord).
      expect(existsSync(path.join(ws, 'playtest-local/playtest.json'))).toBe(true);
      expect(isPlaytestRecord('playtest-local/playtest.json')).toBe(true);
      // ... and the control: the broken copy exits 1 with a failed required check named.
      const control = results.find((t) => t.includes('exit='))!;
      expect(control).toMatch(/exit=1\s*$/);
      const broken = verdictIn(control.replace(/exit=1\s*$/, ''));
      expect(broken.passed).toBe(false);
      expect(broken.checks.filter((c) => c.required && !c.passed).map((c) => c.id).length).toBeGreaterThan(0);
      // It finished only after both tool results came back, and the build it ships is valid.
      expect(
        server
          .messageRequests()
          .at(-1)!
          .turn!.toolResults.some((t) => t.text.includes('exit=')),
      ).toBe(true);
      expect(validatePhaseOutputs(4, await readTree(ws))).toEqual([]);
    }, 240_000);
  },
);
