// The build phase with the real Claude Code CLI against the scripted model server,
// starting from the starter game (lib/agents/starter.ts): a model that customises
// the starter's data and checks it with Bash, a `custom` game whose own kit the
// model edits, and a build that breaks the game config contract, which validation
// catches naming the field (and the corrective turn is told so).
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { starterDist } from '../../lib/agents/starter.ts';
import { checkConfigJs } from '../../lib/game-config.ts';
import { validatePhaseOutputs } from '../../lib/phase-outputs.ts';
import { readTree } from '../../lib/workspace.ts';
import type { Block, Scenario } from '../fixtures/model-server.ts';
import { act, bash, happy, needsWorkspace, read, script, write } from '../fixtures/scenarios/index.ts';
import {
  FRAMEWORK_DIR,
  HAVE_CLAUDE,
  INPUT,
  makeWorkspace,
  modelServerPerTest,
  runAgentPhase,
  runBuiltinPhases,
} from './helpers.ts';

const models = modelServerPerTest();

const edit = (ws: string, rel: string, oldString: string, newString: string): Block => ({
  type: 'tool_use',
  name: 'Edit',
  input: { file_path: path.join(ws, rel), old_string: oldString, new_string: newString },
});

/** Phase 4 only; the other phases never run here (their artifacts come from the builtin agent). */
const build =
  (steps: (ws: string, attempt: number) => ReturnType<typeof act>[]): Scenario =>
  (turn) =>
    turn.phase !== 4 ? happy(turn) : script(turn, steps(needsWorkspace(turn), turn.attempt));

async function plannedWorkspace(kit?: 'custom'): Promise<string> {
  const ws = await makeWorkspace();
  await runBuiltinPhases(ws, [1, 2, 3]);
  if (kit) {
    const plan = JSON.parse(await readFile(path.join(ws, 'plan.json'), 'utf8'));
    await writeFile(path.join(ws, 'plan.json'), JSON.stringify({ ...plan, kit }, null, 2));
  }
  return ws;
}

describe.skipIf(!HAVE_CLAUDE)('build from the starter (real CLI, scripted model)', () => {
  it('customises the starter: reads it, edits the config, checks it with Bash, and the edit is what ships', async () => {
    const ws = await plannedWorkspace();
    const starter = await starterDist(ws, FRAMEWORK_DIR, INPUT.idea ?? '');
    const server = await models.start(
      build((w) => [
        act(bash('ls -la dist', 'Look at the starter')),
        act(read(w, 'dist/config.js')),
        act(edit(w, 'dist/config.js', '"winTitle": "Victory!"', '"winTitle": "The fog lifts"')),
        act(bash('node --check dist/config.js && grep -c GAME_CONFIG dist/config.js', 'Check the config')),
      ]),
    );
    const run = await runAgentPhase({
      phase: 4,
      workspaceDir: ws,
      baseUrl: server.url,
      env: { BUILD_FALLBACK: 'none' },
    });
    expect(run.error).toBeUndefined();
    expect(run.events.find((e) => e.message.startsWith('starter:'))?.data?.kit).toBe(starter.kit);
    // The model's first look saw the starter's files.
    const results = server.messageRequests().flatMap((r) => r.turn!.toolResults.map((t) => t.text));
    expect(results.some((t) => t.includes('config.js') && t.includes('game.js') && t.includes('index.html'))).toBe(
      true,
    );
    expect(results.some((t) => /^1$/m.test(t))).toBe(true); // node --check passed, one GAME_CONFIG line
    const files = await readTree(ws);
    expect(validatePhaseOutputs(4, files)).toEqual([]);
    const config = checkConfigJs(files.get('dist/config.js')!.toString()).config!;
    expect(config.winTitle).toBe('The fog lifts');
    expect(files.get('dist/game.js')!.equals(starter.files.get('dist/game.js')!)).toBe(true);
    // The prompt told the model what it was starting from.
    expect(server.messageRequests()[0]!.turn!.humanText).toContain('**Start from the starter.**');
  });

  it('a custom game: the model rewrites the starter kit in dist/kit.js and it ships with the shell', async () => {
    const ws = await plannedWorkspace('custom');
    const server = await models.start(
      build((w) => [
        act(read(w, 'dist/kit.js')),
        act(edit(w, 'dist/kit.js', 'hunterSpeed: 70', 'hunterSpeed: 55')),
        act(bash('node --check dist/kit.js && echo kit-ok', 'Check the kit')),
      ]),
    );
    const run = await runAgentPhase({
      phase: 4,
      workspaceDir: ws,
      baseUrl: server.url,
      env: { BUILD_FALLBACK: 'none' },
    });
    expect(run.error).toBeUndefined();
    expect(run.events.find((e) => e.message.startsWith('starter:'))?.data?.kit).toBe('custom');
    const files = await readTree(ws);
    expect(validatePhaseOutputs(4, files)).toEqual([]);
    expect(files.get('dist/kit.js')!.toString()).toContain('hunterSpeed: 55');
    expect(files.get('dist/index.html')!.toString()).toContain('<script src="kit.js" defer></script>');
    expect(checkConfigJs(files.get('dist/config.js')!.toString()).config!.genre).toBe('custom');
  });

  it('a build that drops howToPlay is caught by validation naming the field, and the corrective turn is told', async () => {
    const ws = await plannedWorkspace();
    const broken = (w: string) => {
      const source = readFileSync(path.join(w, 'dist/config.js'), 'utf8');
      const config = JSON.parse(source.slice(source.indexOf('=') + 1).replace(/;\s*$/, ''));
      delete config.howToPlay;
      return `globalThis.GAME_CONFIG = ${JSON.stringify(config, null, 2)};\n`;
    };
    const server = await models.start(
      build((w) => [act(read(w, 'dist/config.js')), act(write(w, 'dist/config.js', broken(w)))]),
    );
    const run = await runAgentPhase({
      phase: 4,
      workspaceDir: ws,
      baseUrl: server.url,
      env: { BUILD_FALLBACK: 'none' },
    });
    expect(run.error?.code).toBe('invalid_output');
    expect(run.error!.message).toContain('dist/config.js: GAME_CONFIG.howToPlay: Invalid input: expected array');
    const corrective = server.messageRequests().find((r) => r.turn!.attempt === 1)!;
    expect(corrective.turn!.humanText).toContain('GAME_CONFIG.howToPlay');
  });
});
